// The `data` of Checkout.com payment events (payment_* and fraud_reported), as far as the payment
// record needs it. The same fields appear in NAS and ABC events. Fields may be absent or null.
import { z } from "zod";
import { type PAYMENT_EVENT_TYPES } from "../webhooks/event-types";

export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number] | "fraud_reported";

/** Events that report the authorization itself: they carry the card, customer, risk and response code. */
export const AUTHORIZATION_EVENTS: ReadonlySet<string> = new Set(["payment_approved", "payment_pending", "payment_declined", "payment_authentication_failed"]);

/** Events whose amount moved money, summed over distinct action ids. */
export const CAPTURE_EVENT = "payment_captured";
export const REFUND_EVENT = "payment_refunded";

const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === "" ? undefined : String(v)));
const minorUnits = z
  .number()
  .int()
  .nonnegative()
  .nullish()
  .transform((v) => v ?? undefined);
const countryOf = z.object({ country: text }).passthrough().nullish();

export const paymentEventDataSchema = z
  .object({
    id: z.string().min(1).optional(),
    payment_id: z.string().min(1).optional(),
    action_id: text,
    amount: minorUnits,
    currency: text,
    reference: text,
    processed_on: text,
    approved: z.boolean().nullish(),
    response_code: text,
    response_summary: text,
    risk: z.object({ flagged: z.boolean().nullish(), score: z.number().nullish() }).passthrough().nullish(),
    source: z
      .object({
        scheme: text,
        bin: text,
        last4: text,
        fingerprint: text,
        issuer_country: text,
        avs_check: text,
        cvv_check: text,
        billing_address: countryOf,
      })
      .passthrough()
      .nullish(),
    customer: z.object({ id: text, email: text, name: text }).passthrough().nullish(),
    shipping: z.object({ address: countryOf }).passthrough().nullish(),
    payment_ip: text,
    "3ds": z.record(z.unknown()).nullish(),
    // fraud_reported names its payment here, and the issuer's report in `fraud`.
    payment: z.object({ id: text }).passthrough().nullish(),
    fraud: z.object({ reason: text, type: text, issue_date: text }).passthrough().nullish(),
  })
  .passthrough()
  .transform((d) => ({ ...d, paymentId: [d.id, d.payment_id, d.payment?.id].find((v) => v?.startsWith("pay_")) }));

/** The issuer's warnings before a dispute: the last cheap moment to stop a chargeback (app/holds/early-warnings.server.ts). */
export const EARLY_WARNING_EVENTS: ReadonlySet<string> = new Set(["fraud_reported", "payment_retrieval"]);

export type PaymentEventData = z.infer<typeof paymentEventDataSchema>;
