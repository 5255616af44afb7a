// The Checkout.com webhook envelope, in both styles:
//   NAS: { id, type, source, timestamp, created_on, version, data, _links }
//   ABC: { id, type, created_on, data, _links }
// Receiving checks only what makes a body an event (an id and a type); handlers parse `data` per type.
import { z } from "zod";

// Ids and types become keys and columns in both databases and appear in the admin: Checkout.com's are
// plain ASCII (evt_..., payment_approved), and anything else (a NUL, which PostgreSQL text refuses; a
// lone surrogate; markup) is not an event.
const EVENT_ID = /^[A-Za-z0-9_.:-]{1,256}$/;
const EVENT_TYPE = /^[A-Za-z0-9_.:-]{1,256}$/;
const PAYMENT_ID = /^pay_[A-Za-z0-9]{1,252}$/;

export const checkoutEventSchema = z
  .object({
    id: z.string().regex(EVENT_ID, "must be an event id (letters, digits, _ . : -)"),
    type: z.string().regex(EVENT_TYPE, "must be an event type (letters, digits, _ . : -)"),
    created_on: z.string().nullish(),
    timestamp: z.string().nullish(),
    version: z.string().nullish(),
    source: z.unknown().optional(),
    data: z.record(z.unknown()).nullish(),
    _links: z.record(z.unknown()).nullish(),
  })
  .passthrough();

export type CheckoutEvent = z.infer<typeof checkoutEventSchema>;

/** Checkout.com's events nest a few levels; a stored payload must stay re-serialisable (JSON.stringify recurses). */
export const MAX_EVENT_DEPTH = 32;

export type ParsedEvent = { ok: true; event: CheckoutEvent; text: string } | { ok: false; error: string };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The event in a webhook body, or why the body is not one. Never throws. The body must be UTF-8 (so the
 * stored text is exactly the signed bytes), JSON nested at most MAX_EVENT_DEPTH levels, and an event.
 */
export function parseCheckoutEvent(body: Uint8Array): ParsedEvent {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, error: "Body is not UTF-8" };
  }
  if (nestsDeeperThan(text, MAX_EVENT_DEPTH)) return { ok: false, error: `Body nests deeper than ${MAX_EVENT_DEPTH} levels` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: "Body is not JSON" };
  }
  const event = checkoutEventSchema.safeParse(json);
  if (!event.success) {
    const issue = event.error.issues[0];
    return { ok: false, error: `Body is not a Checkout.com event: ${issue.path.join(".") || "body"} ${issue.message}` };
  }
  return { ok: true, event: event.data, text };
}

/** Whether arrays and objects in JSON text nest deeper than `limit`, counted in one pass outside strings. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export type EnvelopeStyle = "NAS" | "ABC";

/** NAS events carry `timestamp`/`version`/`source`; ABC events only `created_on` and `_links`. */
export function envelopeStyle(event: CheckoutEvent): EnvelopeStyle {
  return event.timestamp != null || event.version != null || event.source !== undefined ? "NAS" : "ABC";
}

/** A date from an ISO string in a payload, or null when absent or unreadable. */
export function validDate(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** When the event happened by Checkout.com's clock: NAS `timestamp`, else `created_on`. */
export function eventTime(event: CheckoutEvent): Date | null {
  return validDate(event.timestamp) ?? validDate(event.created_on);
}

/** The Checkout.com payment an event is about: `data.id` for payment events, `data.payment_id` for disputes. */
/** Early fraud warnings and chargeback precursors: processed ahead of any backlog. */
const WARNING_TYPES: ReadonlySet<string> = new Set(["payment_risk_matched", "fraud_reported", "payment_retrieval"]);

/**
 * 1 for an event that may lead to a hold (a payment Checkout.com flagged as risky, a fraud warning):
 * the worker takes it, and the review it leads to, ahead of the backlog (docs/decisions/0009); else 0.
 */
export function eventPriority(event: Pick<CheckoutEvent, "type" | "data">): 0 | 1 {
  if (WARNING_TYPES.has(event.type)) return 1;
  const risk = (event.data as { risk?: { flagged?: unknown } } | undefined)?.risk;
  return risk?.flagged === true ? 1 : 0;
}

export function eventPaymentId(event: Pick<CheckoutEvent, "data">): string | null {
  const data = event.data ?? {};
  for (const candidate of [data.id, data.payment_id]) {
    if (typeof candidate === "string" && PAYMENT_ID.test(candidate)) return candidate;
  }
  return null;
}
