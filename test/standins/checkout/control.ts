// The stand-in's own HTTP control routes under /_standin/, for a stand-in running as its own process
// (main.ts) or driven from a browser page in the demo. They mirror the JavaScript API one to one and are
// no part of Checkout.com's API: the app never calls them.
import { z } from "zod";
import type { FaultRule } from "./faults";
import { payoutView } from "./finance";
import { SCENARIOS, type ScenarioName } from "./scenarios";
import type { CheckoutStandIn } from "./server";
import { disputeView, paymentView } from "./views";

const text = z.string().min(1).max(200);
const country = z.string().regex(/^[A-Z]{2}$/);

const paymentInput = z
  .object({
    id: z
      .string()
      .regex(/^pay_\w+$/)
      .optional(),
    amount: z.number().int().positive().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    reference: text.optional(),
    email: z.string().email().optional(),
    name: text.optional(),
    riskScore: z.number().int().min(0).max(100).optional(),
    flagged: z.boolean().optional(),
    responseCode: z
      .string()
      .regex(/^\d{5}$/)
      .optional(),
    responseSummary: text.optional(),
    bin: z
      .string()
      .regex(/^\d{6,8}$/)
      .optional(),
    last4: z
      .string()
      .regex(/^\d{4}$/)
      .optional(),
    scheme: text.optional(),
    fingerprint: text.optional(),
    issuerCountry: country.optional(),
    billingCountry: country.optional(),
    shippingCountry: country.optional(),
    ip: z.string().ip().optional(),
    avs: z.string().max(2).optional(),
    cvv: z.string().max(2).optional(),
  })
  .strict();

const disputeInput = z
  .object({
    id: z
      .string()
      .regex(/^dsp_\w+$/)
      .optional(),
    paymentId: z
      .string()
      .regex(/^pay_\w+$/)
      .optional(),
    amount: z.number().int().positive().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    category: z
      .enum([
        "fraudulent",
        "unrecognized",
        "canceled_recurring",
        "product_service_not_received",
        "not_as_described",
        "credit_not_issued",
        "duplicate",
        "incorrect_amount",
        "general",
      ])
      .optional(),
    reasonCode: text.optional(),
    evidenceRequiredBy: z.string().datetime().optional(),
    relevantEvidence: z.array(text).optional(),
  })
  .strict();

const account = z.string().min(1).optional();

const schemas = {
  payment: paymentInput.extend({ account, capture: z.union([z.boolean(), z.number().int().positive()]).optional() }),
  dispute: disputeInput.extend({ account }),
  scenario: z
    .object({ account, payment: paymentInput.optional(), paymentId: z.string().optional(), dispute: disputeInput.omit({ paymentId: true }).optional() })
    .strict(),
  event: z.object({ account, event: z.object({ id: z.string().min(1), type: z.string().min(1) }).passthrough() }).strict(),
  settle: z
    .object({
      account,
      payoutDate: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .optional(),
    })
    .strict(),
  faults: z.array(
    z
      .object({
        status: z.union([z.literal(401), z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
        rate: z.number().min(0).max(1).optional(),
        count: z.number().int().positive().optional(),
        paths: z.string().optional(),
        methods: z.array(z.string()).optional(),
        when: z.enum(["before", "after"]).optional(),
      })
      .strict(),
  ),
};

export interface ControlReply {
  status: number;
  body?: unknown;
  raw?: { data: Buffer; contentType: string };
}

const problem = (status: number, message: string): ControlReply => ({ status, body: { error: message } });

function parse<S extends z.ZodTypeAny>(schema: S, raw: Buffer): { ok: true; value: z.infer<S> } | { ok: false; reply: ControlReply } {
  let json: unknown;
  try {
    json = raw.length ? JSON.parse(raw.toString("utf8")) : {};
  } catch {
    return { ok: false, reply: problem(400, "The body is not JSON") };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, reply: problem(400, `${issue.path.join(".") || "body"}: ${issue.message}`) };
}

/** Answers a /_standin/... request, or null when no control route matches. */
export function control(standIn: CheckoutStandIn, method: string, path: string, raw: Buffer): ControlReply | null {
  const parts = path.split("/").filter(Boolean).slice(1).map(decodeURIComponent);
  const route = `${method} ${parts[0] ?? ""}`;
  const guard = (run: () => ControlReply): ControlReply => {
    try {
      return run();
    } catch (error) {
      return problem(422, (error as Error).message || "Refused");
    }
  };
  switch (route) {
    case "GET ":
      return {
        status: 200,
        body: {
          url: standIn.url,
          accounts: standIn.state.accounts.map((a) => ({ id: a.id, accountType: a.accountType, webhookUrl: a.webhookUrl ?? null })),
          scenarios: SCENARIOS,
        },
      };
    case "POST payments": {
      const input = parse(schemas.payment, raw);
      return input.ok ? guard(() => ({ status: 201, body: paymentView(standIn.state.createPayment(input.value), standIn.url) })) : input.reply;
    }
    case "POST disputes": {
      const input = parse(schemas.dispute, raw);
      if (!input.ok) return input.reply;
      return guard(() => {
        const dispute = standIn.state.createDispute(input.value);
        return { status: 201, body: disputeView(dispute, standIn.state.payments.get(dispute.fixture.paymentId), standIn.url) };
      });
    }
    case "POST scenarios": {
      const name = parts[1] as ScenarioName;
      if (!(name in SCENARIOS)) return problem(404, `Unknown scenario; known: ${Object.keys(SCENARIOS).join(", ")}`);
      const input = parse(schemas.scenario, raw);
      if (!input.ok) return input.reply;
      return guard(() => {
        const result = standIn.scenarios.play(name, input.value);
        return {
          status: 201,
          body: { payment_id: result.payment.fixture.id, dispute_id: result.dispute?.fixture.id ?? null, event_ids: result.deliveries.map((d) => d.eventId) },
        };
      });
    }
    case "POST events": {
      const input = parse(schemas.event, raw);
      return input.ok
        ? guard(() => ({ status: 202, body: { event_id: standIn.deliverEvent(input.value.account, input.value.event)?.eventId ?? null } }))
        : input.reply;
    }
    case "POST settle": {
      const input = parse(schemas.settle, raw);
      if (!input.ok) return input.reply;
      const { account: ref, ...options } = input.value;
      return guard(() => ({ status: 201, body: { payouts: standIn.state.settle(ref, options).map(payoutView) } }));
    }
    case "PUT faults": {
      const input = parse(schemas.faults, raw);
      if (!input.ok) return input.reply;
      return guard(() => {
        standIn.faults.set(input.value.map((r): FaultRule => ({ ...r, paths: r.paths === undefined ? undefined : new RegExp(r.paths) })));
        return { status: 204 };
      });
    }
    case "DELETE faults":
      standIn.faults.clear();
      return { status: 204 };
    case "GET deliveries":
      return {
        status: 200,
        body: standIn.webhooks.deliveries().map(({ eventId, type, accountId, url, state, attempts }) => ({ eventId, type, accountId, url, state, attempts })),
      };
    case "GET downloads": {
      const file = standIn.state.files.get(parts[1] ?? "") ?? standIn.state.finance.files.get(parts[1] ?? "");
      if (!file || file.downloadToken !== parts[2]) return { status: 404 };
      return { status: 200, raw: { data: file.data, contentType: file.contentType } };
    }
  }
  return null;
}
