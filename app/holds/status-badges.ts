// How a hold's status reads in the review queue, and which statuses a reviewer can still decide (browser-safe).

/** Not yet released or canceled: a reviewer can still release, cancel or assign these. */
export const UNDECIDED_HOLD_STATUSES: readonly string[] = ["pending", "held", "failed", "monitored"];

export const HOLD_STATUS_BADGES: Record<string, { label: string; tone?: "attention" | "critical" | "success" | "info" | "warning" }> = {
  pending: { label: "Placing hold", tone: "attention" },
  held: { label: "On hold", tone: "warning" },
  monitored: { label: "Monitor-only", tone: "info" },
  released: { label: "Released", tone: "success" },
  canceled: { label: "Canceled" },
  failed: { label: "Hold failed", tone: "critical" },
};
