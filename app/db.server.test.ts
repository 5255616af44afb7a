// The one database client (db.server.ts). On SQLite every query shares one connection, so a query
// from elsewhere that ran while a transaction was open would join it, and vanish with its rollback
// (the row of a webhook already answered 200, say). Here: such queries wait for the transaction. And
// the connection answers synchronously: a long run of queries must still let the event loop turn.
import { describe, expect, it } from "vitest";
import { createConnectedShop } from "../test/helpers/factories";
import { db, rawSql } from "./db.server";
import { inPreparedTransaction } from "./lib/prepared-sql.server";
import { isPostgresClient } from "./lib/row-lock.server";
import { SLICE_MS } from "./lib/sqlite-connection.server";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// A single statement, as webhook intake writes its rows (Prisma runs a typed create in a transaction of its own).
const insertShop = (domain: string) =>
  db()
    .$executeRaw`INSERT INTO "Shop" ("id", "domain", "name", "installedAt", "updatedAt") VALUES (${domain}, ${domain}, ${domain}, ${new Date()}, ${new Date()})`;
const shopCount = (domain: string) => db().shop.count({ where: { domain } });

/** Runs `transaction` (given a callback to call once it has written), and a write of its own meanwhile. */
async function writeDuringRolledBack(transaction: (opened: () => void) => Promise<unknown>) {
  const domain = `kept-${crypto.randomUUID()}.myshopify.com`;
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const rolledBack = transaction(opened);
  await open;
  const kept = insertShop(domain).then(() => undefined); // Prisma's promises are lazy: this starts it
  await expect(rolledBack).rejects.toThrow("abandoned");
  await kept;
  return domain;
}

describe("the database client", () => {
  it("keeps a write made while another request's Prisma transaction is open out of that transaction's rollback", async () => {
    const gone = `gone-${crypto.randomUUID()}.myshopify.com`;
    const kept = await writeDuringRolledBack((opened) =>
      db().$transaction(async (tx) => {
        await tx.shop.create({ data: { domain: gone } });
        opened();
        await pause(50); // real work between queries: a fetch, a file, the PDF thread
        throw new Error("abandoned");
      }),
    );
    expect(await shopCount(kept)).toBe(1);
    expect(await shopCount(gone)).toBe(0);
  });

  it("keeps a write made while a prepared transaction is open out of its rollback", async () => {
    const { shop } = await createConnectedShop();
    const kept = await writeDuringRolledBack((opened) =>
      inPreparedTransaction(db(), async (tx) => {
        await tx.$executeRaw`UPDATE "Shop" SET "name" = 'changed' WHERE "id" = ${shop.id}`;
        opened();
        await pause(50);
        throw new Error("abandoned");
      }),
    );
    expect(await shopCount(kept)).toBe(1);
    expect((await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).name).toBe(shop.name);
  });

  it("lets the event loop turn during a long run of queries (webhook intake waits at most a slice)", async () => {
    let turns = 0;
    let running = true;
    const turn = () => {
      turns++;
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    const started = performance.now();
    let queries = 0;
    while (performance.now() - started < 10 * SLICE_MS) {
      await db().shop.count();
      queries++;
    }
    running = false;
    // One turn per slice at least (the loop above never waits for anything but the database).
    expect(queries).toBeGreaterThan(10);
    expect(turns).toBeGreaterThanOrEqual(5);
  });

  it("lets a prepared transaction's own work query through the client without waiting for itself", async () => {
    const { shop } = await createConnectedShop();
    const read = inPreparedTransaction(db(), async (tx) => {
      await tx.$executeRaw`UPDATE "Shop" SET "name" = 'inside' WHERE "id" = ${shop.id}`;
      // Code called from the work that forgot its `tx` (it would wait for ever for this transaction).
      return rawSql().$queryRaw<Array<{ name: string }>>`SELECT "name" FROM "Shop" WHERE "id" = ${shop.id}`;
    });
    const stalled = pause(5_000).then(() => "stalled");
    expect(await Promise.race([read, stalled])).toEqual(isPostgresClient(db()) ? [{ name: shop.name }] : [{ name: "inside" }]);
  });
});
