// The stand-in against Checkout.com's OpenAPI description (NAS, ../shared/reference): request bodies it
// accepts are the ones the spec describes, and every response body it gives has the spec's shape for
// that operation and status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { NasSpec } from "./openapi";
import { captureRequest, parseDisputeQuery, provideEvidenceRequest, refundRequest, voidRequest } from "./requests";
import { addWorkflowRequest, patchWorkflowRequest } from "./workflows";
import { createCheckoutStandIn, type CheckoutStandIn } from "./server";
import { call, fileForm, nasAccount, OTHER_NAS_KEY, otherNasAccount, SAMPLE_FILES, type ApiAnswer } from "./testing";

const spec = new NasSpec();
let standIn: CheckoutStandIn;

beforeAll(async () => {
  standIn = await createCheckoutStandIn({ accounts: [nasAccount(), otherNasAccount()], actionLatencyMs: 1 });
});
afterAll(() => standIn.stop());

/** Statuses the stand-in answers that the July 2023 spec does not list for the operation, and why. */
const UNDOCUMENTED: Record<string, string> = {
  "POST /payments/{id}/captures 409": "concurrent duplicate idempotency key (Checkout.com's idempotency guide)",
  "POST /payments/{id}/refunds 409": "concurrent duplicate idempotency key (Checkout.com's idempotency guide)",
  "POST /payments/{id}/voids 409": "concurrent duplicate idempotency key (Checkout.com's idempotency guide)",
  "POST /disputes/{dispute_id}/evidence 422": "submission refused: already submitted, past the deadline, or nothing provided",
  "POST /disputes/{dispute_id}/accept 422": "acceptance refused: not awaiting evidence, or past the deadline",
  "GET /disputes/{dispute_id}/evidence 401": "the spec lists only OAuth for this operation; secret keys are refused the same way",
  "GET /workflows/{workflowId} 404": "documented, but with no body schema: Checkout.com's 404s are empty",
};

const answered = new Set<string>();

/** Calls the stand-in and checks the answer against the spec for this operation and status. */
async function probe(method: string, template: string, path: string, options: Parameters<typeof call>[3] = {}, variant?: string): Promise<ApiAnswer> {
  const answer = await call(standIn, method, path, options);
  const key = `${method} ${template} ${answer.status}`;
  answered.add(key);
  const documented = spec.documentedStatuses(method, template).includes(answer.status);
  if (!documented) expect(UNDOCUMENTED[key], `${key} is not in the spec`).toBeDefined();
  const check = documented
    ? spec.checkResponse(method, template, answer.status, answer.body, variant)
    : answer.status === 422
      ? spec.checkComponent("ValidationError", answer.body)
      : { valid: answer.body === undefined, errors: answer.body === undefined ? [] : ["expected an empty body"] };
  expect(check.errors, `${key}: ${answer.text.slice(0, 300)}`).toEqual([]);
  if (answer.status === 422) expect(Object.keys(answer.body).sort()).toEqual(["error_codes", "error_type", "request_id"]);
  return answer;
}

const newPayment = (capture = false, amount = 10_000) => standIn.state.createPayment({ account: "shop_a", amount, capture }).fixture.id;

describe("request bodies", () => {
  it.each([
    ["POST", "/payments/{id}/captures", captureRequest],
    ["POST", "/payments/{id}/refunds", refundRequest],
    ["POST", "/payments/{id}/voids", voidRequest],
    ["PUT", "/disputes/{dispute_id}/evidence", provideEvidenceRequest],
  ] as const)("%s %s accepts exactly the fields the spec lists", (method, template, schema) => {
    expect(Object.keys((schema as z.AnyZodObject).shape).sort()).toEqual(spec.requestFields(method, template));
  });

  it("GET /disputes reads the spec's query parameters", () => {
    const query = parseDisputeQuery(
      new URLSearchParams("limit=10&skip=5&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&id=dsp_x&statuses=won,lost&payment_id=pay_x&payment_reference=R1"),
    );
    const names = spec.queryParameters("GET", "/disputes");
    for (const used of Object.keys(query)) expect(names).toContain(used);
  });

  // Each body with whether the stand-in accepts it (202/204) or refuses it (422). The spec's schema
  // must give the same verdict, except where `stricter` names a rule the spec states only in prose
  // (there the schema allows what the stand-in refuses).
  type Case = { body: unknown; allowed: boolean; stricter?: string };
  const specShouldAllow = (c: Case) => c.allowed || c.stricter !== undefined;
  const long = (n: number) => "x".repeat(n);
  const amountCases: Case[] = [
    { body: {}, allowed: true },
    { body: { amount: 500 }, allowed: true },
    { body: { amount: "500" }, allowed: false },
    { body: { amount: 1.5 }, allowed: false },
    { body: { amount: -1 }, allowed: false },
    { body: { amount: null }, allowed: false },
  ];
  const commonCases: Case[] = [
    { body: { reference: "ORD-5023-4E89" }, allowed: true },
    { body: { reference: long(50) }, allowed: true },
    { body: { reference: long(51) }, allowed: false },
    { body: { reference: 5023 }, allowed: false },
    { body: { metadata: { coupon_code: "NY2018", partner_id: 123989, gift: true } }, allowed: true },
    { body: { metadata: "coupon" }, allowed: false },
    { body: { metadata: { nested: { a: 1 } } }, allowed: false, stricter: "metadata holds one level of primitives (spec prose)" },
    { body: { unknown_field: 1 }, allowed: false },
  ];
  const cases: Record<string, Case[]> = {
    "/payments/{id}/captures": [
      ...amountCases,
      ...commonCases,
      { body: { amount: 500, capture_type: "NonFinal" }, allowed: true },
      { body: { capture_type: "Partial" }, allowed: false },
      { body: { description: long(100) }, allowed: true },
      { body: { description: long(101) }, allowed: false },
      { body: { items: [] }, allowed: true },
      { body: { items: {} }, allowed: false },
    ],
    "/payments/{id}/refunds": [...amountCases, ...commonCases, { body: { amount_allocations: "all" }, allowed: false }],
    "/payments/{id}/voids": [...commonCases, { body: { amount: 500 }, allowed: false }],
  };

  it.each(Object.entries(cases))("POST %s: the stand-in accepts what the spec allows and refuses the rest", async (template, list) => {
    const fields = spec.requestFields("POST", template);
    for (const c of list) {
      const { body, allowed } = c;
      const check = spec.check(spec.requestSchema("POST", template), body);
      const specAllows = check.valid && Object.keys(body as object).every((k) => fields.includes(k));
      expect(specAllows, `spec verdict for ${JSON.stringify(body)}`).toBe(specShouldAllow(c));
      const payment = newPayment(template.endsWith("refunds"));
      const answer = await probe("POST", template, template.replace("{id}", payment), { body });
      expect(answer.status, `stand-in verdict for ${JSON.stringify(body)}: ${answer.text}`).toBe(allowed ? 202 : 422);
    }
  });

  it("PUT /disputes/{id}/evidence: the stand-in accepts what the spec allows and refuses the rest", async () => {
    const file = (await call(standIn, "POST", "/files", { rawBody: fileForm(SAMPLE_FILES.pdf, "pod.pdf") })).body.id;
    const list: Case[] = [
      { body: { proof_of_delivery_or_service_text: long(500) }, allowed: true },
      { body: { proof_of_delivery_or_service_text: long(501) }, allowed: false },
      { body: { proof_of_delivery_or_service_date_text: "Delivered on 2026-11-02" }, allowed: true },
      { body: { invoice_or_receipt_file: file, invoice_or_receipt_text: "Invoice #1001" }, allowed: true },
      { body: { invoice_or_receipt_file: 12 }, allowed: false },
      { body: { additional_evidence_text: null }, allowed: false },
      { body: { tracking_number: "1Z999" }, allowed: false },
      { body: { invoice_or_receipt_file: "file_notuploaded" }, allowed: false, stricter: "file ids must name files uploaded by this account" },
      { body: {}, allowed: false, stricter: "at least one evidence type (spec prose)" },
    ];
    const schema = spec.requestSchema("PUT", "/disputes/{dispute_id}/evidence");
    const fields = spec.requestFields("PUT", "/disputes/{dispute_id}/evidence");
    for (const c of list) {
      const { body, allowed } = c;
      const check = spec.check(schema, body);
      expect(check.valid && Object.keys(body as object).every((k) => fields.includes(k)), `spec verdict for ${JSON.stringify(body)}`).toBe(specShouldAllow(c));
      const dispute = standIn.state.createDispute({ account: "shop_a" }).fixture.id;
      const answer = await probe("PUT", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`, { body });
      expect(answer.status, `stand-in verdict for ${JSON.stringify(body)}: ${answer.text}`).toBe(allowed ? 204 : 422);
    }
  });
});

describe("response bodies", () => {
  it("GET /payments/{id} and /actions in every payment state", async () => {
    const ids = [
      newPayment(),
      newPayment(true),
      standIn.state.createPayment({ account: "shop_a", flagged: true, riskScore: 91 }).fixture.id,
      standIn.state.createPayment({ account: "shop_a", responseCode: "20051", responseSummary: "Insufficient Funds" }).fixture.id,
    ];
    const refunded = newPayment(true);
    await call(standIn, "POST", `/payments/${refunded}/refunds`, { body: { amount: 100 } });
    const voided = newPayment();
    await call(standIn, "POST", `/payments/${voided}/voids`, {});
    for (const id of [...ids, refunded, voided]) {
      const payment = await probe("GET", "/payments/{id}", `/payments/${id}`, {}, "PaymentDetails");
      expect(spec.checkComponent("01_PaymentResponseCardSource", payment.body.source).errors).toEqual([]);
      await probe("GET", "/payments/{id}/actions", `/payments/${id}/actions`, {}, "PaymentActionsResponse");
    }
    await probe("GET", "/payments/{id}", "/payments/pay_unknown", {}, "PaymentDetails");
    await probe("GET", "/payments/{id}", `/payments/${ids[0]}`, { key: OTHER_NAS_KEY }, "PaymentDetails");
    await probe("GET", "/payments/{id}/actions", "/payments/pay_unknown/actions", {}, "PaymentActionsResponse");
    await probe("GET", "/payments/{id}", `/payments/${ids[0]}`, { key: null }, "PaymentDetails");
  });

  it("POST captures, refunds and voids: 202, 401, 403, 404, 422 (and 409 when duplicates meet)", async () => {
    for (const action of ["captures", "refunds", "voids"]) {
      const template = `/payments/{id}/${action}`;
      const ready = newPayment(action === "refunds");
      await probe("POST", template, `/payments/${ready}/${action}`, { body: { reference: "ORD-1" } });
      await probe("POST", template, `/payments/${ready}/${action}`, { body: {} }); // nothing left: 403 or 422
      await probe("POST", template, `/payments/${newPayment(action === "refunds")}/${action}`, { body: { bogus: true } });
      await probe("POST", template, `/payments/pay_unknown/${action}`, { body: {} });
      await probe("POST", template, `/payments/${ready}/${action}`, { key: null, body: {} });
      const payment = newPayment(action === "refunds");
      const twice = { body: { reference: "R" }, idempotencyKey: `${action}-twice` };
      await Promise.all([1, 2].map(() => probe("POST", template, `/payments/${payment}/${action}`, twice)));
    }
    for (const action of ["captures", "refunds", "voids"]) {
      for (const status of [202, 401, 404, 422]) expect(answered).toContain(`POST /payments/{id}/${action} ${status}`);
    }
    expect(answered).toContain("POST /payments/{id}/voids 403");
  });

  it("GET /disputes, /disputes/{id} and evidence; submit and accept", async () => {
    const payment = newPayment(true);
    const dispute = standIn.state.createDispute({ account: "shop_a", paymentId: payment }).fixture.id;
    const other = standIn.state.createDispute({ account: "shop_a" }).fixture.id;
    await probe("GET", "/disputes", "/disputes");
    await probe("GET", "/disputes", `/disputes?limit=1&skip=0&statuses=evidence_required&payment_id=${payment}`);
    await probe("GET", "/disputes", "/disputes?limit=500");
    await probe("GET", "/disputes", "/disputes", { key: null });
    await probe("GET", "/disputes/{dispute_id}", `/disputes/${dispute}`);
    await probe("GET", "/disputes/{dispute_id}", "/disputes/dsp_unknown");
    await probe("GET", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`);
    await probe("PUT", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`, { body: { additional_evidence_text: "Signed slip" } });
    await probe("GET", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`);
    await probe("POST", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`);
    await probe("POST", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`);
    await probe("POST", "/disputes/{dispute_id}/evidence", "/disputes/dsp_unknown/evidence");
    await probe("GET", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`, { key: null });
    await probe("POST", "/disputes/{dispute_id}/accept", `/disputes/${other}/accept`);
    await probe("POST", "/disputes/{dispute_id}/accept", `/disputes/${other}/accept`);
    await probe("POST", "/disputes/{dispute_id}/accept", "/disputes/dsp_unknown/accept");
    await probe("GET", "/disputes/{dispute_id}", `/disputes/${dispute}`);
  });

  it("POST /files and GET /files/{id}", async () => {
    const uploaded = await probe("POST", "/files", "/files", { rawBody: fileForm(SAMPLE_FILES.jpg, "photo.jpg") });
    await probe("POST", "/files", "/files", { rawBody: fileForm(Buffer.from("plain text"), "notes.pdf") });
    await probe("POST", "/files", "/files", { key: null, rawBody: fileForm(SAMPLE_FILES.jpg, "photo.jpg") });
    await probe("GET", "/files/{file_id}", `/files/${uploaded.body.id}`);
    await probe("GET", "/files/{file_id}", "/files/file_unknown");
  });
});

describe("workflows", () => {
  const webhook = { type: "webhook", url: "https://shop.example.com/webhooks/checkout/abc", signature: { method: "HMACSHA256", key: "k".repeat(32) } };
  const events = { type: "event", events: { gateway: ["payment_approved", "payment_captured"], dispute: ["dispute_evidence_required"] } };
  const channel = { type: "processing_channel", processing_channels: ["pc_axclravnqf5u5ejkweijnp5zc4"] };

  it.each([
    ["POST", "/workflows", addWorkflowRequest],
    ["PATCH", "/workflows/{workflowId}", patchWorkflowRequest],
  ] as const)("%s %s accepts exactly the fields the spec lists", (method, template, schema) => {
    expect(Object.keys((schema as z.AnyZodObject).shape).sort()).toEqual(spec.requestFields(method, template));
  });

  it("POST /workflows: the stand-in accepts what the spec allows and refuses the rest", async () => {
    type Case = { body: unknown; allowed: boolean; stricter?: string };
    const list: Case[] = [
      { body: { name: "Shop", conditions: [events], actions: [webhook] }, allowed: true },
      { body: { name: "Shop", active: true, conditions: [events, channel], actions: [{ ...webhook, headers: { Authorization: "secret" } }] }, allowed: true },
      { body: { name: "Shop", conditions: [], actions: [webhook] }, allowed: false },
      { body: { name: "Shop", conditions: [events], actions: [] }, allowed: false },
      // The spec's webhook-action requires a URL, behind a discriminator the schema checker does not follow.
      { body: { name: "Shop", conditions: [events], actions: [{ type: "webhook" }] }, allowed: false, stricter: "webhook-action.url is required" },
      { body: { name: "Shop", conditions: [events], actions: [{ ...webhook, url: "not a url" }] }, allowed: false, stricter: "webhook-action.url is a URI" },
      { body: { name: "Shop", conditions: [events, events], actions: [webhook] }, allowed: false, stricter: "one condition of each type (spec prose)" },
      {
        body: { name: "Shop", conditions: [{ type: "event", events: { gateway: ["payment_teleported"] } }], actions: [webhook] },
        allowed: false,
        stricter: "event types the source raises (GET /workflows/event-types)",
      },
    ];
    const schema = spec.requestSchema("POST", "/workflows");
    for (const c of list) {
      expect(spec.check(schema, c.body).valid, `spec verdict for ${JSON.stringify(c.body)}`).toBe(c.allowed || c.stricter !== undefined);
      const answer = await probe("POST", "/workflows", "/workflows", { body: c.body });
      expect(answer.status, `stand-in verdict for ${JSON.stringify(c.body)}: ${answer.text}`).toBe(c.allowed ? 201 : 422);
    }
  });

  it("every workflow operation answers in the spec's shape", async () => {
    const created = await probe("POST", "/workflows", "/workflows", { body: { name: "Shop", conditions: [events], actions: [webhook] } });
    const id = created.body.id as string;
    expect(id).toMatch(/^wf_[a-z2-7]{26}$/);
    await probe("GET", "/workflows", "/workflows");
    await probe("GET", "/workflows", "/workflows", { key: null });
    await probe("GET", "/workflows/event-types", "/workflows/event-types");
    await probe("GET", "/workflows/{workflowId}", `/workflows/${id}`);
    await probe("GET", "/workflows/{workflowId}", `/workflows/${id}`, { key: OTHER_NAS_KEY });
    await probe("PATCH", "/workflows/{workflowId}", `/workflows/${id}`, { body: { name: "Renamed", conditions: [events, channel] } });
    await probe("PATCH", "/workflows/{workflowId}", `/workflows/${id}`, { body: { conditions: [] } });
    await probe("PATCH", "/workflows/{workflowId}", "/workflows/wf_unknown", { body: { name: "x" } });
    await probe("POST", "/workflows/{workflowId}/test", `/workflows/${id}/test`, { body: { event_types: ["payment_approved"] } });
    await probe("POST", "/workflows/{workflowId}/test", `/workflows/${id}/test`, { body: { event_types: ["payment_teleported"] } });
    await probe("DELETE", "/workflows/{workflowId}", `/workflows/${id}`);
    await probe("DELETE", "/workflows/{workflowId}", `/workflows/${id}`);
    for (const status of [200, 401]) expect(answered).toContain(`GET /workflows ${status}`);
    for (const status of [200, 404, 422]) expect(answered).toContain(`PATCH /workflows/{workflowId} ${status}`);
    for (const status of [204, 404]) expect(answered).toContain(`DELETE /workflows/{workflowId} ${status}`);
  });
});
