// The Checkout.com webhook event types this app understands (NAS and ABC). The settings page lists
// them so the merchant subscribes to exactly these; anything else is stored and shown, not failed.
export const PAYMENT_EVENT_TYPES = [
  "payment_approved",
  "payment_pending",
  "payment_declined",
  "payment_expired",
  "payment_canceled",
  "payment_cancelled",
  "payment_voided",
  "payment_void_declined",
  "payment_captured",
  "payment_capture_declined",
  "payment_capture_pending",
  "payment_refunded",
  "payment_refund_declined",
  "payment_refund_pending",
  "payment_authorization_incremented",
  "payment_authorization_increment_declined",
  "payment_chargeback",
  "payment_retrieval",
  "payment_returned",
  "payment_paid",
  "payment_risk_matched",
  "payment_authentication_failed",
] as const;

export const DISPUTE_EVENT_TYPES = [
  "dispute_received",
  "dispute_evidence_required",
  "dispute_evidence_submitted",
  "dispute_evidence_acknowledged_by_scheme",
  "dispute_accepted",
  "dispute_won",
  "dispute_lost",
  "dispute_resolved",
  "dispute_canceled",
  "dispute_expired",
  "dispute_arbitration_sent_to_scheme",
  "dispute_arbitration_won",
  "dispute_arbitration_lost",
] as const;

export const FRAUD_EVENT_TYPES = ["fraud_reported"] as const;

export const KNOWN_EVENT_TYPES = [...PAYMENT_EVENT_TYPES, ...DISPUTE_EVENT_TYPES, ...FRAUD_EVENT_TYPES] as const;
export type KnownEventType = (typeof KNOWN_EVENT_TYPES)[number];

export const isKnownEventType = (type: string): type is KnownEventType => (KNOWN_EVENT_TYPES as readonly string[]).includes(type);
