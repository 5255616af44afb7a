// Wake-ups between processes on PostgreSQL (docs/decisions/0009): whoever stores work (webhook intake,
// a worker whose events queued jobs) sends NOTIFY on one channel, and every worker LISTENs and claims
// at once instead of at its next poll. On SQLite everything runs in one process, which wakes its
// worker directly (app/events/registry.server.ts), so these do nothing there.
import pg from "pg";
import { db } from "../db.server";
import { postgresPool } from "../lib/prepared-sql.server";
import { log } from "../log.server";

const CHANNEL = "checkout_companion_work";
const RECONNECT_MS = 1_000;

/** Tells the other processes' workers that work is due. Best effort: they also poll. */
export async function announceWork(): Promise<void> {
  const pool = postgresPool(db());
  if (!pool) return;
  await pool.query(`SELECT pg_notify('${CHANNEL}', '')`).catch((error: Error) => log.warn("queue.notify_failed", { error: error.message }));
}

/** Calls `onWork` whenever another process announced work; returns the stop. */
export function listenForWork(onWork: () => void): () => Promise<void> {
  const pool = postgresPool(db());
  if (!pool) return async () => {};
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    // A connection of its own: a LISTEN lasts as long as the connection, so it cannot go back to the pool.
    const listener = new pg.Client(pool.options);
    listener.on("notification", () => onWork());
    listener.on("error", (error) => {
      log.warn("queue.listen_lost", { error: error.message });
      void listener.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect(), RECONNECT_MS);
    });
    try {
      await listener.connect();
      await listener.query(`LISTEN ${CHANNEL}`);
      if (stopped) return void (await listener.end());
      client = listener;
      // Work announced while the listener was away is found by this claim.
      onWork();
    } catch (error) {
      log.warn("queue.listen_failed", { error: (error as Error).message });
      await listener.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect(), RECONNECT_MS);
    }
  };
  void connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
