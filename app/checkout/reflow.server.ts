// Recovery after an outage on the app's side: asks Checkout.com to deliver again ("reflow") the events
// of one payment, or of the payments of a time range, through the workflow the app registered
// (decision 0014). They come back through the normal webhook route with their original event ids, so
// the inbox stores each event once (decision 0004): what had arrived changes nothing, what was lost
// is processed as if it had just arrived.
import type { CheckoutConnection } from "@prisma/client";
import { z, type ZodIssue } from "zod";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { formatDateTime } from "../lib/dates";
import { log } from "../log.server";
import { paymentIdsOfOrdersCreatedBetween } from "../orders/order-index.server";
import { clientFor, getConnection } from "./connection.server";
import { asCheckoutError, explainCheckoutError } from "./errors";
import { checkoutErrorWords } from "./error-words";
import { fieldWordsOf, issueSaying, paramsWords, type FieldWords } from "../i18n/domain-words";
import type { Words } from "../i18n/locales";
import { fieldErrorsOf } from "../lib/form";

/** A Checkout.com payment id as the API makes them: pay_ and 26 lowercase base32 characters. */
const CHECKOUT_PAYMENT_ID = /^pay_[a-z2-7]{26}$/;

const MAX_RANGE_DAYS = 31;
/** More payments than this in one request is more than an outage of a few hours: a shorter range is asked for. */
export const MAX_REDELIVERY_PAYMENTS = 1_000;
/** The July 2023 API description sets no maximum on `subjects`; 100 a request keeps each one small. */
const PAYMENTS_PER_REQUEST = 100;
/** A request repeated within this time (a double click, a resubmitted form) is not sent again. */
const REPEAT_WINDOW_MS = 60_000;
const ACTION = "checkout.reflow_requested";

/** A datetime-local value ("2026-12-04T15:00"), read as UTC: the form says so, and the answer names the range in UTC. */
const utcDateTime = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "Enter a date and time.")
  .transform((value) => new Date(`${value}Z`))
  .refine((date) => !Number.isNaN(date.getTime()), {
    message: "Enter a real date and time.",
    params: { words: { key: "checkout.redelivery.form.realDateTime" } },
  });

/** The Events screen's redelivery form: one payment id, or a from/to range in UTC of at most 31 days. */
const redeliveryFormSchema = z
  .discriminatedUnion("mode", [
    z.object({
      mode: z.literal("payment"),
      paymentId: z.string().trim().toLowerCase().regex(CHECKOUT_PAYMENT_ID, "Enter a Checkout.com payment id: pay_ followed by 26 letters and digits."),
    }),
    z.object({ mode: z.literal("range"), from: utcDateTime, to: utcDateTime }),
  ])
  .superRefine((request, ctx) => {
    if (request.mode !== "range") return;
    if (request.to <= request.from) ctx.addIssue({ ...issueSaying("End after the start.", { key: "checkout.redelivery.form.endAfterStart" }), path: ["to"] });
    else if (request.to.getTime() - request.from.getTime() > MAX_RANGE_DAYS * 86_400_000)
      ctx.addIssue({
        ...issueSaying(`At most ${MAX_RANGE_DAYS} days at a time: split the range.`, {
          key: "checkout.redelivery.form.atMostDays",
          values: { days: MAX_RANGE_DAYS },
        }),
        path: ["to"],
      });
  });
export type RedeliveryRequest = z.infer<typeof redeliveryFormSchema>;

/** The words of a wrong field (errors.checkout.redelivery.form.*): the refinements carry theirs, the formats are named here. */
const redeliveryIssueWords = (issue: ZodIssue): Words | undefined =>
  issue.code === "invalid_string"
    ? { key: issue.path[0] === "paymentId" ? "checkout.redelivery.form.paymentId" : "checkout.redelivery.form.dateTime" }
    : paramsWords(issue);

/** The form as a request, or the message to show beside each wrong field, in English and in words. */
export function parseRedeliveryForm(
  form: Record<string, unknown>,
): { ok: true; request: RedeliveryRequest } | { ok: false; fieldErrors: Record<string, string>; fieldWords: FieldWords } {
  const parsed = redeliveryFormSchema.safeParse(form);
  return parsed.success
    ? { ok: true, request: parsed.data }
    : { ok: false, fieldErrors: fieldErrorsOf(parsed.error), fieldWords: fieldWordsOf(parsed.error, redeliveryIssueWords) };
}

type Refusal =
  | "not_connected"
  | "no_workflow"
  | "workflow_unavailable"
  | "just_requested"
  | "no_payments"
  | "too_many_payments"
  | "missing_scope"
  | "not_found"
  | "checkout_error";

/** The answer: the English message (the audit log records it) and its sentences in words (errors.checkout.redelivery.*). */
type RedeliveryResult =
  | { ok: true; subjects: number; batches: number; message: string; words: Words[] }
  | { ok: false; refusal: Refusal; message: string; words: Words[]; subjects?: number; batches?: number };

/**
 * The Checkout.com payment ids of a time range: the transaction ids of the Shopify orders created in it
 * (the order index, which also has the payments whose webhooks were lost) and the payments the app
 * recorded in it, once each; at most one more than MAX_REDELIVERY_PAYMENTS, which says there are too many.
 */
export async function paymentIdsBetween(shopId: string, from: Date, to: Date): Promise<string[]> {
  const limit = MAX_REDELIVERY_PAYMENTS + 1;
  const [fromOrders, recorded] = await Promise.all([
    paymentIdsOfOrdersCreatedBetween(shopId, from, to, limit),
    db().payment.findMany({ where: { shopId, createdAt: { gte: from, lte: to } }, select: { ckoPaymentId: true }, take: limit }),
  ]);
  const ids = new Set([...fromOrders, ...recorded.map((p) => p.ckoPaymentId)].filter((id) => CHECKOUT_PAYMENT_ID.test(id)));
  return [...ids].slice(0, limit);
}

/** What the audit log records as the request; an identical one within the window is a repeat. */
const requestKey = (request: RedeliveryRequest) =>
  request.mode === "payment" ? request.paymentId : `${request.from.toISOString()}/${request.to.toISOString()}`;

const rangeText = (from: Date, to: Date) => `from ${formatDateTime(from)} to ${formatDateTime(to)}`;
/** The range's ends as the English message writes them (dates stay in English: the words carry text, not dates). */
const rangeValues = (from: Date, to: Date) => ({ from: formatDateTime(from), to: formatDateTime(to) });
const describeRequest = (request: RedeliveryRequest) =>
  request.mode === "payment" ? `payment ${request.paymentId}` : `payments ${rangeText(request.from, request.to)}`;

/**
 * Whether the same request succeeded within the window. Read then act, so two submissions at the same
 * instant can both go through: that is fine, because a reflow only delivers events again and the inbox
 * stores each once. The check is there to spare Checkout.com (and the audit log) a double click.
 */
async function askedRecently(shopId: string, key: string): Promise<boolean> {
  const recent = await db().auditLog.findMany({
    where: { shopId, action: ACTION, result: "ok", createdAt: { gte: new Date(Date.now() - REPEAT_WINDOW_MS) } },
    select: { details: true },
  });
  return recent.some((entry) => (JSON.parse(entry.details) as { request?: string }).request === key);
}

const NOT_CONNECTED = "Connect Checkout.com in Settings first.";
const NEEDS_WORKFLOW =
  "Checkout.com redelivers events through the webhook the app registers (Settings → Webhook), and this shop's webhook was set up by hand or is not registered. Register it with Checkout.com in Settings first.";

/** The workflow a redelivery goes through: the active connection's, when the app registered it. */
const registeredWorkflow = (connection: CheckoutConnection) => (connection.workflowStatus === "registered" ? connection.workflowId : null);

const NOT_CONNECTED_WORDS: Words = { key: "checkout.redelivery.notConnected" };
const NEEDS_WORKFLOW_WORDS: Words = { key: "checkout.redelivery.needsWorkflow" };

export interface RedeliveryView {
  available: boolean;
  /** Why not, when it is not. */
  reason: string | null;
  /** The reason's words (the route says them in the reader's language). */
  reasonWords?: Words | null;
  maxRangeDays: number;
}

export async function redeliveryView(shopId: string): Promise<RedeliveryView> {
  const connection = await getConnection(shopId);
  const [reason, reasonWords] = !connection
    ? [NOT_CONNECTED, NOT_CONNECTED_WORDS]
    : registeredWorkflow(connection)
      ? [null, null]
      : [NEEDS_WORKFLOW, NEEDS_WORKFLOW_WORDS];
  return { available: reason === null, reason, reasonWords, maxRangeDays: MAX_RANGE_DAYS };
}

const plural = (n: number) => `${n} payment${n === 1 ? "" : "s"}`;
const redeliveryWords = (key: string, values?: Words["values"]): Words => ({ key: `checkout.redelivery.${key}`, ...(values ? { values } : {}) });
/** The words naming the request in a sentence: the payment's id, or the range's ends. */
const requestValues = (request: RedeliveryRequest) => (request.mode === "payment" ? { paymentId: request.paymentId } : rangeValues(request.from, request.to));

/**
 * Asks Checkout.com to redeliver the events of one payment, or of the payments of a time range, to the
 * shop's registered workflow only (other integrations of the merchant are not triggered again), in
 * requests of PAYMENTS_PER_REQUEST. Audited, whatever the outcome.
 */
export async function requestRedelivery(shopId: string, request: RedeliveryRequest, actor: string): Promise<RedeliveryResult> {
  const key = requestKey(request);
  const result = await redeliver(shopId, request, key);
  const payment =
    request.mode === "payment" ? await db().payment.findUnique({ where: { shopId_ckoPaymentId: { shopId, ckoPaymentId: request.paymentId } } }) : null;
  await audit({
    shopId,
    actor,
    source: "admin",
    action: ACTION,
    paymentId: payment?.id ?? null,
    details: { request: key, subjects: result.subjects ?? 0, batches: result.batches ?? 0, ...(result.ok ? {} : { refusal: result.refusal }) },
    result: result.ok ? "ok" : "error",
    error: result.ok ? null : result.message,
  });
  return result;
}

async function redeliver(shopId: string, request: RedeliveryRequest, key: string): Promise<RedeliveryResult> {
  const connection = await getConnection(shopId);
  if (!connection) return { ok: false, refusal: "not_connected", message: NOT_CONNECTED, words: [NOT_CONNECTED_WORDS] };
  const workflowId = registeredWorkflow(connection);
  if (!workflowId) return { ok: false, refusal: "no_workflow", message: NEEDS_WORKFLOW, words: [NEEDS_WORKFLOW_WORDS] };
  if (await askedRecently(shopId, key)) {
    return {
      ok: false,
      refusal: "just_requested",
      message: `Checkout.com was asked to redeliver the events of ${describeRequest(request)} less than a minute ago; they arrive by themselves. Ask again later if some are still missing.`,
      words: [redeliveryWords(`justRequested.${request.mode}`, requestValues(request))],
    };
  }
  const subjects = request.mode === "payment" ? [request.paymentId] : await paymentIdsBetween(shopId, request.from, request.to);
  if (request.mode === "range" && !subjects.length) {
    return {
      ok: false,
      refusal: "no_payments",
      message: `No order or payment created ${rangeText(request.from, request.to)} carries a Checkout.com payment id: there is nothing to redeliver.`,
      words: [redeliveryWords("noPayments", rangeValues(request.from, request.to))],
    };
  }
  if (subjects.length > MAX_REDELIVERY_PAYMENTS) {
    return {
      ok: false,
      refusal: "too_many_payments",
      message: `More than ${MAX_REDELIVERY_PAYMENTS.toLocaleString("en")} payments were made in that time: choose a shorter range.`,
      // The translations write the maximum as their language writes 1,000.
      words: [redeliveryWords("tooMany")],
    };
  }

  const client = clientFor(connection, { retry: { retries: 2, baseMs: 250, maxMs: 2_000 }, timeoutMs: 10_000 });
  try {
    // A workflow deleted or paused on the dashboard would take the request and deliver nothing.
    const workflow = await client.getWorkflow(workflowId);
    if (workflow.active === false)
      return {
        ok: false,
        refusal: "workflow_unavailable",
        message: "The app's workflow is paused in the Checkout.com Dashboard: turn it on, then ask again.",
        words: [redeliveryWords("workflowPaused")],
      };
  } catch (error) {
    const e = asCheckoutError(error);
    if (e.kind === "not_found")
      return {
        ok: false,
        refusal: "workflow_unavailable",
        message: "The app's workflow is gone from Checkout.com: register the webhook again in Settings, then ask again.",
        words: [redeliveryWords("workflowGone")],
      };
    return { ok: false, refusal: "checkout_error", message: explainCheckoutError(e), words: [checkoutErrorWords(e)] };
  }

  let accepted = 0;
  let batches = 0;
  for (let start = 0; start < subjects.length; start += PAYMENTS_PER_REQUEST) {
    const batch = subjects.slice(start, start + PAYMENTS_PER_REQUEST);
    batches++;
    try {
      await client.reflowSubjects(batch, [workflowId]);
      accepted += batch.length;
    } catch (error) {
      const e = asCheckoutError(error);
      // 404: Checkout.com keeps no event of these payments (another account's, or the other environment's).
      if (e.kind === "not_found") continue;
      log.warn("checkout.reflow_failed", { shopId, kind: e.kind, status: e.status, accepted, batches });
      const missingScope = e.kind === "authentication";
      const reason = missingScope
        ? "This key may not ask for redelivery: give it the flow:reflow scope (Checkout.com Dashboard → Developers → Keys) and ask again."
        : explainCheckoutError(e);
      const done = accepted ? `Checkout.com is redelivering the events of ${plural(accepted)} of ${subjects.length}; the rest were not asked for. ` : "";
      return {
        ok: false,
        refusal: missingScope ? "missing_scope" : "checkout_error",
        message: `${done}${reason}`,
        words: [
          ...(accepted ? [redeliveryWords("partial", { count: accepted, total: subjects.length })] : []),
          missingScope ? redeliveryWords("missingScope") : checkoutErrorWords(e),
        ],
        subjects: accepted,
        batches,
      };
    }
  }
  if (!accepted) {
    return {
      ok: false,
      refusal: "not_found",
      message: `Checkout.com has no events of the ${describeRequest(request)} on this shop's ${connection.environment} account.`,
      words: [redeliveryWords(`noEvents.${request.mode}.${connection.environment}`, requestValues(request))],
      subjects: 0,
      batches,
    };
  }
  const unknown = subjects.length - accepted;
  return {
    ok: true,
    subjects: accepted,
    batches,
    message: `Asked Checkout.com to redeliver the events of ${plural(accepted)}; they will appear here as they arrive.${unknown ? ` Checkout.com had no events of ${plural(unknown)}.` : ""}`,
    words: [redeliveryWords("asked", { count: accepted }), ...(unknown ? [redeliveryWords("hadNone", { count: unknown })] : [])],
  };
}
