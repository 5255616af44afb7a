// What the Events screens show, shared by the server and the browser. The words are the admin's
// `events` messages: `status.<status>` and `skipped.<reason>`.
export const EVENT_STATUSES = ["pending", "processing", "processed", "dead"] as const;

export const EVENT_STATUS_TONES: Record<string, "success" | "critical" | "attention" | "info" | undefined> = {
  pending: "attention",
  processing: "info",
  processed: "success",
  dead: "critical",
};

export const isEventStatus = (status: string): status is (typeof EVENT_STATUSES)[number] => (EVENT_STATUSES as readonly string[]).includes(status);

/** The type filter's value for event types this app does not handle. */
export const UNKNOWN_TYPES = "unknown";

/**
 * A processed event's payload once data retention removed it (app/shops/retention.server.ts); the row
 * stays as the guard against redeliveries. Intake never stores an empty body, so it means only that.
 */
export const REMOVED_PAYLOAD = "";

/** Why a processed event did not act (WebhookEvent.skipped). */
const SKIP_REASONS = ["inactive_environment", "other_processing_channel", "other_entity"] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

export const isSkipReason = (skipped: string): skipped is SkipReason => (SKIP_REASONS as readonly string[]).includes(skipped);
