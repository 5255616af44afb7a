// Stores verified webhook events in the inbox (WebhookEvent), with group commit: the events of
// concurrent deliveries are written together by one INSERT ... ON CONFLICT DO NOTHING, which is one
// atomic statement, and each delivery is answered only after the statement that holds its row returned.
// The unique (connectionId, eventId) index makes a repeated delivery a no-op ("duplicate"), also when
// both copies are in the same batch.
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { isForeignKeyViolation, rawSql } from "../db.server";
import { announceWork } from "../queue/wakeups.server";

export interface InboxEvent {
  shopId: string;
  connectionId: string;
  eventId: string;
  type: string;
  ckoPaymentId: string | null;
  /** 1: processed ahead of the backlog (envelope.ts, eventPriority). */
  priority?: 0 | 1;
  /** The raw body as received. */
  payload: string;
}

export type StoreOutcome = "stored" | "duplicate";

interface Waiting {
  event: InboxEvent;
  receivedAt: Date;
  /** performance.now() when it was handed in. */
  queuedAt: number;
  resolve(outcome: StoreOutcome): void;
  reject(error: unknown): void;
}

// 12 parameters a row; well under SQLite's and PostgreSQL's limits on bound parameters.
const MAX_BATCH = 500;
/** Batches this large on average mean deliveries are queueing: a burst. */
const BURST_BATCH_ROWS = 3;

let waiting: Waiting[] = [];
let flushing = false;
let lastArrivalAt = -Infinity;
/** Moving averages over recent batches: how long deliveries waited for their row to be stored (ms), and how many were written together. */
let storeLatencyMs = 0;
let batchRows = 0;
const listeners = new Set<() => void>();

/** Stores one event; resolves once it is durable (or was already there). */
export function storeInboxEvent(event: InboxEvent): Promise<StoreOutcome> {
  lastArrivalAt = performance.now();
  return new Promise((resolve, reject) => {
    waiting.push({ event, receivedAt: new Date(), queuedAt: lastArrivalAt, resolve, reject });
    if (!flushing) {
      flushing = true;
      // Let the deliveries that are already readable join this batch.
      setImmediate(flush);
    }
  });
}

/**
 * Whether deliveries to this process are arriving (one in the last `windowMs`) faster than one at a
 * time: several are waiting together to be stored (a burst: group commit writes them in one batch), or
 * they wait more than `targetMs` for their rows. The in-process worker gives way to intake while this
 * holds; a steady stream of single deliveries that are stored promptly does not slow it down.
 */
export function inboxIntakeContended(windowMs: number, targetMs: number): boolean {
  return performance.now() - lastArrivalAt < windowMs && (batchRows >= BURST_BATCH_ROWS || storeLatencyMs > targetMs);
}

/** Called after new events were stored (the in-process worker wakes up instead of polling). */
export function onInboxEventsStored(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function flush() {
  let stored = 0;
  try {
    while (waiting.length) {
      const batch = waiting.length <= MAX_BATCH ? waiting : waiting.slice(0, MAX_BATCH);
      waiting = waiting.length <= MAX_BATCH ? [] : waiting.slice(MAX_BATCH);
      stored += await writeBatch(batch);
      storeLatencyMs = 0.7 * storeLatencyMs + 0.3 * (performance.now() - batch[0].queuedAt);
      batchRows = 0.7 * batchRows + 0.3 * batch.length;
    }
  } finally {
    flushing = false;
  }
  if (stored) {
    for (const listener of listeners) listener();
    // Worker processes of their own (PostgreSQL) hear of it too.
    void announceWork();
  }
}

const key = (connectionId: string, eventId: string) => `${connectionId}\n${eventId}`;

async function writeBatch(batch: Waiting[]): Promise<number> {
  let inserted: Set<string>;
  try {
    inserted = await insertRows(batch);
  } catch (error) {
    // One bad row (its connection was deleted a moment ago) must not fail the others. Any other
    // failure (the database is down or locked) is every row's: writing them one by one would only
    // make each delivery wait once per row before its 503.
    if (batch.length > 1 && isForeignKeyViolation(error)) {
      let stored = 0;
      for (const one of batch) stored += await writeBatch([one]);
      return stored;
    }
    for (const w of batch) w.reject(error);
    return 0;
  }
  const count = inserted.size;
  for (const w of batch) w.resolve(inserted.delete(key(w.event.connectionId, w.event.eventId)) ? "stored" : "duplicate");
  return count;
}

async function insertRows(batch: Waiting[]): Promise<Set<string>> {
  // Every column is given explicitly: the database defaults would write timestamps in another format
  // than Prisma does on SQLite.
  const values = batch.map(
    ({ event: e, receivedAt }) =>
      Prisma.sql`(${randomUUID()}, ${e.shopId}, ${e.connectionId}, ${e.eventId}, ${e.type}, ${e.ckoPaymentId}, ${receivedAt}, ${e.payload}, 'pending', 0, ${receivedAt}, ${e.priority ?? 0})`,
  );
  const rows = await rawSql().$queryRaw<Array<{ connectionId: string; eventId: string }>>`
    INSERT INTO "WebhookEvent" ("id", "shopId", "connectionId", "eventId", "type", "ckoPaymentId", "receivedAt", "payload", "status", "attempts", "nextAttemptAt", "priority")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("connectionId", "eventId") DO NOTHING
    RETURNING "connectionId", "eventId"`;
  return new Set(rows.map((r) => key(r.connectionId, r.eventId)));
}
