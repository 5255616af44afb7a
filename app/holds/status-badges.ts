// How a hold's status reads in the review queue (browser-safe).
export const HOLD_STATUS_BADGES: Record<string, { label: string; tone?: "attention" | "critical" | "success" | "info" | "warning" }> = {
  pending: { label: "Placing hold", tone: "attention" },
  held: { label: "On hold", tone: "warning" },
  monitored: { label: "Monitor-only", tone: "info" },
  released: { label: "Released", tone: "success" },
  canceled: { label: "Cancelled" },
  failed: { label: "Hold failed", tone: "critical" },
};
