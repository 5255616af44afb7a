// The Checkout.com webhook envelope, in both styles:
//   NAS: { id, type, source, timestamp, created_on, version, data, _links }
//   ABC: { id, type, created_on, data, _links }
// Receiving checks only what makes a body an event (an id and a type); handlers parse `data` per type.
import { z } from "zod";

export const checkoutEventSchema = z
  .object({
    id: z.string().min(1).max(256),
    type: z.string().min(1).max(256),
    created_on: z.string().nullish(),
    timestamp: z.string().nullish(),
    version: z.string().nullish(),
    source: z.unknown().optional(),
    data: z.record(z.unknown()).nullish(),
    _links: z.record(z.unknown()).nullish(),
  })
  .passthrough();

export type CheckoutEvent = z.infer<typeof checkoutEventSchema>;

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
export function eventPaymentId(event: Pick<CheckoutEvent, "data">): string | null {
  const data = event.data ?? {};
  for (const candidate of [data.id, data.payment_id]) {
    if (typeof candidate === "string" && candidate.startsWith("pay_") && candidate.length <= 256) return candidate;
  }
  return null;
}
