// Colours for payment states and timeline entries, and the entry's label in the agent's words.
import type { PaymentState, TimelineEntry, TimelineEntryType } from "#app/zendesk/contract";
import type { Words } from "./words";

type Hue = "grey" | "blue" | "green" | "yellow" | "red";

export const STATE_HUE: Record<PaymentState, Hue> = {
  pending: "grey",
  authorized: "blue",
  partially_captured: "green",
  captured: "green",
  partially_refunded: "yellow",
  refunded: "grey",
  voided: "grey",
  declined: "red",
  canceled: "grey",
  expired: "grey",
};

const ENTRY_HUE: Record<TimelineEntryType, Hue> = {
  authorized: "blue",
  captured: "green",
  refund_requested: "yellow",
  refunded: "grey",
  partially_refunded: "yellow",
  refund_declined: "red",
  void_requested: "yellow",
  voided: "grey",
  declined: "red",
  flagged: "red",
  held: "yellow",
  released: "green",
  order_canceled: "grey",
  dispute_opened: "red",
  evidence_submitted: "blue",
  dispute_won: "green",
  dispute_lost: "red",
  other: "grey",
};

export function entryLabel(entry: TimelineEntry, w: Words): { label: string; hue: Hue } {
  const hue = ENTRY_HUE[entry.type];
  if (entry.type === "declined" && entry.declineClass) return { label: w.declinedBecause(w.declines[entry.declineClass]), hue };
  return { label: w.entries[entry.type], hue };
}

export const HUE_COLOR: Record<Hue, string> = {
  grey: "#87929d",
  blue: "#1f73b7",
  green: "#038153",
  yellow: "#ad5918",
  red: "#cd3642",
};
