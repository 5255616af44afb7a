// What the Events screens show, shared by the server and the browser.
export const EVENT_STATUS_BADGES: Record<string, { label: string; tone?: "success" | "critical" | "attention" | "info" }> = {
  pending: { label: "Waiting", tone: "attention" },
  processing: { label: "Processing", tone: "info" },
  processed: { label: "Processed", tone: "success" },
  dead: { label: "Dead-lettered", tone: "critical" },
};

/** The type filter's value for event types this app does not handle. */
export const UNKNOWN_TYPES = "unknown";
