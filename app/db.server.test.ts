// The one database client (db.server.ts). On SQLite every query shares one connection, so a query
// from elsewhere that ran while a transaction was open would join it, and vanish with its rollback
// (the row of a webhook already answered 200, say). Here: such queries wait for the transaction. And
// the connection answers synchronously: a long run of queries must still let the event loop turn, and
// so must a write waiting for another process's write lock.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createConnectedShop } from "../test/helpers/factories";
import { createDb, db, rawSql } from "./db.server";
import { inPreparedTransaction } from "./lib/prepared-sql.server";
import { isPostgresClient } from "./lib/row-lock.server";
import { SLICE_MS } from "./lib/sqlite-connection.server";
import { asUrgentWork } from "./lib/urgent-work.server";

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

  it("keeps a write that came while a transaction was starting out of that transaction's rollback", async () => {
    const { shop } = await createConnectedShop();
    const abandon = async (write: () => PromiseLike<unknown>) => {
      await write();
      await pause(2);
      throw new Error("abandoned");
    };
    const starts = {
      prepared: () => inPreparedTransaction(db(), (tx) => abandon(() => tx.$executeRaw`UPDATE "Shop" SET "name" = 'never' WHERE "id" = ${shop.id}`)),
      prisma: () => db().$transaction((tx) => abandon(() => tx.shop.update({ where: { id: shop.id }, data: { name: "never" } }))),
    };
    const writes = {
      prepared: (domain: string) =>
        rawSql()
          .$executeRaw`INSERT INTO "Shop" ("id", "domain", "name", "installedAt", "updatedAt") VALUES (${domain}, ${domain}, 'x', ${new Date()}, ${new Date()})`,
      prisma: insertShop,
    };
    const domains: string[] = [];
    // The write arrives some microtasks after the transaction began to start: every moment of its start.
    for (const start of Object.values(starts)) {
      for (const write of Object.values(writes)) {
        for (let ticks = 0; ticks < 40; ticks++) {
          const rolledBack = start();
          for (let i = 0; i < ticks; i++) await Promise.resolve();
          const domain = `started-${ticks}-${crypto.randomUUID()}.myshopify.com`;
          domains.push(domain);
          const written = Promise.resolve(write(domain));
          await expect(rolledBack).rejects.toThrow("abandoned");
          await written;
        }
      }
    }
    expect(await db().shop.count({ where: { domain: { in: domains } } })).toBe(domains.length);
    expect((await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).name).toBe(shop.name);
  });

  /** Turns of the event loop while ten slices' worth of back-to-back queries run (at least 20 of them, however slow the machine). */
  async function turnsDuringQueries(): Promise<number> {
    let turns = 0;
    let running = true;
    const turn = () => {
      turns++;
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    const started = performance.now();
    let queries = 0;
    while (queries < 20 || performance.now() - started < 10 * SLICE_MS) {
      await db().shop.count();
      queries++;
    }
    running = false;
    return turns;
  }

  it("lets the event loop turn during a long run of queries (webhook intake waits at most a slice)", async () => {
    // One turn per slice at least (the queries never wait for anything but the database).
    expect(await turnsDuringQueries()).toBeGreaterThanOrEqual(5);
  });

  // PostgreSQL answers over a socket, so every query turns the event loop there.
  it.skipIf(/^postgres/.test(process.env.TEST_DATABASE_URL ?? ""))(
    "does not make urgent work (a risky payment's review) wait for turns of the event loop on SQLite",
    async () => {
      // The first turn may come before the first query starts its slice; none after.
      expect(await asUrgentWork(turnsDuringQueries)).toBeLessThanOrEqual(1);
    },
  );

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

describe.skipIf(/^postgres/.test(process.env.TEST_DATABASE_URL ?? ""))("SQLite: another process holds the write lock", () => {
  /** A client of its own on the test database, and a second connection that takes the write lock. */
  async function lockedDatabase(busyTimeoutMs: number) {
    const [{ file }] = await db().$queryRawUnsafe<Array<{ file: string }>>(`PRAGMA database_list`);
    const client = createDb(`file:${file}`, { busyTimeoutMs });
    await client.$connect();
    const locker = new Database(file);
    locker.exec("BEGIN EXCLUSIVE");
    const release = () => locker.inTransaction && locker.exec("ROLLBACK");
    return { client, release, close: async () => (release(), locker.close(), client.$disconnect()) };
  }

  /** The longest the event loop went without a turn while `work` ran. */
  async function longestStall(work: () => Promise<unknown>) {
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      longest = Math.max(longest, performance.now() - last);
      last = performance.now();
    }, 5);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
    return longest;
  }

  it("waits for the lock without stopping the process, then writes: single statements, Prisma's and prepared transactions", async () => {
    const { client, release, close } = await lockedDatabase(5_000);
    const domain = (kind: string) => `${kind}-${crypto.randomUUID()}.myshopify.com`;
    const names = { single: domain("single"), prisma: domain("prisma"), prepared: domain("prepared") };
    try {
      const stall = await longestStall(async () => {
        const writes = Promise.all([
          client.$executeRaw`INSERT INTO "Shop" ("id", "domain", "name", "installedAt", "updatedAt") VALUES (${names.single}, ${names.single}, 'x', ${new Date()}, ${new Date()})`,
          client.shop.create({ data: { domain: names.prisma } }),
          inPreparedTransaction(client, async (tx) => {
            await tx.$executeRaw`INSERT INTO "Shop" ("id", "domain", "name", "installedAt", "updatedAt") VALUES (${names.prepared}, ${names.prepared}, 'x', ${new Date()}, ${new Date()})`;
          }),
        ]);
        await pause(600);
        release();
        await writes;
      });
      // The driver's busy handler used to sleep for the whole wait (five seconds a statement).
      expect(stall).toBeLessThan(300);
      for (const name of Object.values(names)) expect(await shopCount(name)).toBe(1);
    } finally {
      await close();
    }
  });

  it("gives up after its patience with the busy error, having written nothing", async () => {
    const { client, close } = await lockedDatabase(300);
    const name = `late-${crypto.randomUUID()}.myshopify.com`;
    try {
      const started = performance.now();
      await expect(client.shop.create({ data: { domain: name } })).rejects.toThrow();
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      await close();
    }
    expect(await shopCount(name)).toBe(0);
  });
});
