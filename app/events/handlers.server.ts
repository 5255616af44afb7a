// What processing an inbox event does, by type: payment events update the payment and its timeline,
// dispute events the dispute; any other type is kept and shown but has no effect. So is an event from
// the shop's inactive environment, or from a processing channel or entity the shop does not sell
// through: kept, labelled (WebhookEvent.skipped), never acted on. Runs inside the worker's transaction,
// so an event's effects and its "processed" mark commit together.
import { entitiesOf, inConnectionChannels, inConnectionEntities, processingChannelsOf } from "../checkout/connection.server";
import { transactionReads, type RawSql } from "../lib/prepared-sql.server";
import { applyDisputeEvent, disputeEventDataSchema } from "../disputes/dispute-events.server";
import { paymentEventDataSchema } from "../payments/payment-events";
import { reviewInEvent } from "../holds/review.server";
import { queueInsightsRollup } from "../insights/stale.server";
import { applyPaymentEvent } from "../payments/record.server";
import { UnprocessableEventError } from "../queue/jobs.server";
import { checkoutEventSchema, eventTime } from "../webhooks/envelope";
import { DISPUTE_EVENT_TYPES, FRAUD_EVENT_TYPES, PAYMENT_EVENT_TYPES } from "../webhooks/event-types";
import { REMOVED_PAYLOAD, type SkipReason } from "./inbox-view";

export interface InboxEventRow {
  id: string;
  connectionId: string;
  shopId: string;
  eventId: string;
  type: string;
  payload: string;
  receivedAt: Date;
}

export type EventEffect = "applied" | "none";

const PAYMENT_TYPES: ReadonlySet<string> = new Set([...PAYMENT_EVENT_TYPES, ...FRAUD_EVENT_TYPES]);
const DISPUTE_TYPES: ReadonlySet<string> = new Set(DISPUTE_EVENT_TYPES);

function readable<T>(
  result: { success: true; data: T } | { success: false; error: { issues: Array<{ path: (string | number)[]; message: string }> } },
  what: string,
): T {
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new UnprocessableEventError(`${what}: ${["data", ...issue.path].join(".")} ${issue.message}`);
}

/** Per transaction: each connection's settings, read once for the events of a batch. */
const readOnce = transactionReads();

/** Why the event must not act, from its connection: not the active one, or another channel's or entity's. */
async function skipReason(tx: RawSql, row: InboxEventRow, data: Record<string, unknown> | undefined): Promise<SkipReason | null> {
  const [connection] = await readOnce(
    tx,
    `connection:${row.shopId}:${row.connectionId}`,
    () => tx.$queryRaw<Array<{ active: boolean | number; processingChannelIds: string; entityIds: string }>>`
      SELECT "active", "processingChannelIds", "entityIds" FROM "CheckoutConnection" WHERE "id" = ${row.connectionId} AND "shopId" = ${row.shopId}`,
  );
  if (!connection || !Number(connection.active)) return "inactive_environment";
  // An event that names no channel or entity cannot be told apart: it acts, as it did before they were set.
  if (!inConnectionChannels(data?.processing_channel_id, processingChannelsOf(connection))) return "other_processing_channel";
  // The workflow's entity condition keeps these away; a webhook made by hand at the same URL does not.
  if (!inConnectionEntities(data?.entity_id, entitiesOf(connection))) return "other_entity";
  return null;
}

export async function applyEvent(tx: RawSql, row: InboxEventRow): Promise<EventEffect> {
  if (!PAYMENT_TYPES.has(row.type) && !DISPUTE_TYPES.has(row.type)) return "none";
  // A replayed event whose payload data retention removed: its effects were applied when it was processed.
  if (row.payload === REMOVED_PAYLOAD) return "none";
  let json: unknown;
  try {
    json = JSON.parse(row.payload);
  } catch {
    throw new UnprocessableEventError("The stored payload is not JSON");
  }
  const event = checkoutEventSchema.safeParse(json);
  if (!event.success) throw new UnprocessableEventError("The stored payload is not a Checkout.com event");
  // Older versions of customers/redact replaced payloads with a stub (the effects were applied before);
  // today it removes the personal data in place, so such events still apply.
  if ((json as { redacted?: unknown }).redacted === true) return "none";
  const skipped = await skipReason(tx, row, event.data.data ?? undefined);
  if (skipped) {
    await tx.$executeRaw`UPDATE "WebhookEvent" SET "skipped" = ${skipped} WHERE "id" = ${row.id}`;
    return "none";
  }
  const source = { shopId: row.shopId, eventId: row.eventId, type: row.type, occurredAt: eventTime(event.data) ?? row.receivedAt };
  // The row every batch of the minute shares, before any payment's: locks in one order, no deadlock.
  await queueInsightsRollup(tx, row.shopId);

  if (PAYMENT_TYPES.has(row.type)) {
    const data = readable(paymentEventDataSchema.safeParse(event.data.data ?? {}), `${row.type} event`);
    if (!data.paymentId) {
      // fraud_reported may concern something this app does not track; a payment event must name its payment.
      if (row.type === "fraud_reported") return "none";
      throw new UnprocessableEventError(`${row.type} event: data.id is not a payment id (pay_...)`);
    }
    const { payment, reviewJob } = await applyPaymentEvent(tx, source, { ...data, paymentId: data.paymentId });
    // Most payments need no Shopify call to review (their order is indexed, nothing to hold): reviewed
    // here, they cost no job (docs/decisions/0009).
    if (reviewJob) await reviewInEvent(tx, payment, reviewJob);
    return "applied";
  }
  const data = readable(disputeEventDataSchema.safeParse(event.data.data ?? {}), `${row.type} event`);
  await applyDisputeEvent(tx, source, data);
  return "applied";
}
