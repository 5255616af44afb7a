// What the Events screens show, shared by the server and the browser.
export const EVENT_STATUS_BADGES: Record<string, { label: string; tone?: "success" | "critical" | "attention" | "info" }> = {
  pending: { label: "Waiting", tone: "attention" },
  processing: { label: "Processing", tone: "info" },
  processed: { label: "Processed", tone: "success" },
  dead: { label: "Dead-lettered", tone: "critical" },
};

/** The type filter's value for event types this app does not handle. */
export const UNKNOWN_TYPES = "unknown";

/**
 * A processed event's payload once data retention removed it (app/shops/retention.server.ts); the row
 * stays as the guard against redeliveries. Intake never stores an empty body, so it means only that.
 */
export const REMOVED_PAYLOAD = "";

/** Why a processed event did not act (WebhookEvent.skipped), in words. */
export const SKIPPED_LABELS: Record<string, string> = {
  inactive_environment: "Not acted on: inactive environment",
  other_processing_channel: "Not acted on: another processing channel",
};
