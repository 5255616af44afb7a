// Words and colours for payment states and timeline entries, in one place.
import type { PaymentState, TimelineEntry, TimelineEntryType } from "#app/zendesk/contract";

type Hue = "grey" | "blue" | "green" | "yellow" | "red";

export const STATE_LABEL: Record<PaymentState, { label: string; hue: Hue }> = {
  pending: { label: "Pending", hue: "grey" },
  authorized: { label: "Authorised", hue: "blue" },
  partially_captured: { label: "Partly captured", hue: "green" },
  captured: { label: "Captured", hue: "green" },
  partially_refunded: { label: "Partly refunded", hue: "yellow" },
  refunded: { label: "Refunded", hue: "grey" },
  voided: { label: "Voided", hue: "grey" },
  declined: { label: "Declined", hue: "red" },
  canceled: { label: "Canceled", hue: "grey" },
  expired: { label: "Expired", hue: "grey" },
};

const ENTRY: Record<TimelineEntryType, { label: string; hue: Hue }> = {
  authorized: { label: "Authorised", hue: "blue" },
  captured: { label: "Captured", hue: "green" },
  refund_requested: { label: "Refund requested", hue: "yellow" },
  refunded: { label: "Refunded", hue: "grey" },
  partially_refunded: { label: "Partially refunded", hue: "yellow" },
  refund_declined: { label: "Refund declined", hue: "red" },
  void_requested: { label: "Void requested", hue: "yellow" },
  voided: { label: "Voided", hue: "grey" },
  declined: { label: "Declined", hue: "red" },
  flagged: { label: "Flagged by risk checks", hue: "red" },
  held: { label: "Fulfilment held", hue: "yellow" },
  released: { label: "Hold released", hue: "green" },
  order_canceled: { label: "Order canceled", hue: "grey" },
  dispute_opened: { label: "Dispute opened", hue: "red" },
  evidence_submitted: { label: "Evidence submitted", hue: "blue" },
  dispute_won: { label: "Dispute won", hue: "green" },
  dispute_lost: { label: "Dispute lost", hue: "red" },
  other: { label: "Update", hue: "grey" },
};

const DECLINE_CLASS: Record<NonNullable<TimelineEntry["declineClass"]>, string> = {
  soft: "soft decline: the customer may retry",
  hard: "hard decline: retrying will not help",
  risk: "blocked by fraud checks",
};

export function entryLabel(entry: TimelineEntry): { label: string; hue: Hue } {
  const base = ENTRY[entry.type];
  if (entry.type === "declined" && entry.declineClass) return { ...base, label: `Declined (${DECLINE_CLASS[entry.declineClass]})` };
  return base;
}

export const HUE_COLOR: Record<Hue, string> = {
  grey: "#87929d",
  blue: "#1f73b7",
  green: "#038153",
  yellow: "#ad5918",
  red: "#cd3642",
};
