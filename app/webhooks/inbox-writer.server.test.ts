// Group commit when a write fails: a row whose connection is gone fails alone, while a failure of the
// database itself (here SQLite's write lock held elsewhere) fails the whole batch at once: one attempt,
// not one more per row, each waiting out the busy timeout. (The second test is SQLite's.) And what the
// in-process worker reads to give way to intake: a burst is contention, a steady trickle is not.
import Database from "better-sqlite3";
import { expect, it, vi } from "vitest";
import { createDb, db, rawSql, setDb } from "../db.server";
import { createConnectedShop } from "../../test/helpers/factories";
import { inboxIntakeContended, storeInboxEvent, type InboxEvent } from "./inbox-writer.server";

const event = (connection: { id: string; shopId: string }, eventId: string): InboxEvent => ({
  shopId: connection.shopId,
  connectionId: connection.id,
  eventId,
  type: "payment_approved",
  ckoPaymentId: null,
  payload: "{}",
});

/** Counts the INSERTs into the inbox while `run` runs. */
async function countingInserts<T>(run: () => Promise<T>): Promise<{ result: T; inserts: number }> {
  const statements = vi.spyOn(rawSql(), "$queryRaw");
  try {
    const result = await run();
    const inserts = statements.mock.calls.filter(([strings]) => (strings as TemplateStringsArray).join("?").includes('INSERT INTO "WebhookEvent"')).length;
    return { result, inserts };
  } finally {
    statements.mockRestore();
  }
}

it("stores the other deliveries of a batch when one row's connection no longer exists", async () => {
  const { connection } = await createConnectedShop();
  const gone = { id: "deleted-connection", shopId: connection.shopId };
  const { result } = await countingInserts(() =>
    Promise.allSettled([storeInboxEvent(event(connection, "evt_a")), storeInboxEvent(event(gone, "evt_b")), storeInboxEvent(event(connection, "evt_c"))]),
  );
  expect(result.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect(await db().webhookEvent.count({ where: { connectionId: connection.id } })).toBe(2);
});

it.skipIf(/^postgres/.test(process.env.TEST_DATABASE_URL ?? ""))(
  "fails every delivery of a batch with one attempt when the database cannot write",
  async () => {
    const { connection } = await createConnectedShop();
    // Another connection holds SQLite's write lock; this client gives up waiting for it after 50 ms.
    const [{ file }] = await db().$queryRawUnsafe<Array<{ file: string }>>(`PRAGMA database_list`);
    const locker = new Database(file);
    locker.exec("BEGIN EXCLUSIVE");
    const base = db();
    const impatient = createDb(`file:${file}`, { busyTimeoutMs: 50 });
    setDb(impatient);
    try {
      const { result, inserts } = await countingInserts(() =>
        Promise.allSettled(["evt_1", "evt_2", "evt_3", "evt_4"].map((id) => storeInboxEvent(event(connection, id)))),
      );
      expect(result.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
      expect(inserts).toBe(1);
    } finally {
      locker.exec("ROLLBACK");
      locker.close();
      setDb(base);
      await impatient.$disconnect();
    }
    expect(await db().webhookEvent.count({ where: { connectionId: connection.id } })).toBe(0);
  },
);

it("tells the in-process worker a burst of deliveries is contention, and a steady trickle is not", async () => {
  const { connection } = await createConnectedShop();
  // One at a time, each stored before the next arrives (a steady stream intake keeps up with).
  for (let i = 0; i < 12; i++) await storeInboxEvent(event(connection, `evt_trickle_${i}`));
  expect(inboxIntakeContended(1_000, 25)).toBe(false);
  // Fifty at once: they queue and are written together.
  await Promise.all(Array.from({ length: 50 }, (_, i) => storeInboxEvent(event(connection, `evt_burst_${i}`))));
  expect(inboxIntakeContended(1_000, 25)).toBe(true);
  // Once deliveries stop, the worker has the process to itself again.
  await new Promise((r) => setTimeout(r, 60));
  expect(inboxIntakeContended(50, 25)).toBe(false);
});
