// The hot path's prepared-statement transactions (prepared-sql.server.ts) against the real database
// (SQLite here, PostgreSQL in `npm run test:postgres`): rows written through them read the same
// through Prisma and the other way round, a failure rolls everything back, a savepoint undoes only
// its own part, and Prisma's transactions wait for one that is open.
import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { createConnectedShop } from "../../test/helpers/factories";
import { db, rawSql } from "../db.server";
import { inPreparedTransaction, transactionMemo, transactionReads, type RawSql } from "./prepared-sql.server";
import { isPostgresClient } from "./row-lock.server";
import { insertIfAbsent, selectOne, updateWhere } from "./sql.server";

const paymentRow = (shopId: string) => ({
  shopId,
  ckoPaymentId: `pay_${randomUUID().replaceAll("-", "").slice(0, 26)}`,
  amount: 1234,
  currency: "EUR",
  status: "Authorized",
  riskFlagged: true,
  processedOn: new Date("2026-11-30T23:59:58.123Z"),
});

describe("prepared-statement transactions", () => {
  it("write rows that Prisma reads as it wrote them (dates, booleans, numbers), and read Prisma's rows the same way", async () => {
    const { shop } = await createConnectedShop();
    const row = paymentRow(shop.id);
    const read = await inPreparedTransaction(db(), async (tx) => {
      await insertIfAbsent(tx, "Payment", row, ["shopId", "ckoPaymentId"]);
      return selectOne(tx, "Payment", { shopId: shop.id, ckoPaymentId: row.ckoPaymentId });
    });
    const viaPrisma = await db().payment.findFirstOrThrow({ where: { shopId: shop.id, ckoPaymentId: row.ckoPaymentId } });
    expect(viaPrisma).toMatchObject({ ...row, processedOn: row.processedOn });
    expect(read).toEqual(viaPrisma);

    const other = await db().payment.create({ data: { ...paymentRow(shop.id), riskFlagged: false } });
    const readOther = await inPreparedTransaction(db(), (tx) => selectOne(tx, "Payment", { id: other.id }));
    expect(readOther).toEqual(other);
  });

  it("rolls the whole transaction back when the work throws", async () => {
    const { shop } = await createConnectedShop();
    const row = paymentRow(shop.id);
    await expect(
      inPreparedTransaction(db(), async (tx) => {
        await insertIfAbsent(tx, "Payment", row, ["shopId", "ckoPaymentId"]);
        throw new Error("the work failed");
      }),
    ).rejects.toThrow("the work failed");
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(0);
    // The connection is usable afterwards, by both.
    await inPreparedTransaction(db(), (tx) => insertIfAbsent(tx, "Payment", row, ["shopId", "ckoPaymentId"]));
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("undoes only a failed savepoint's writes; the rest commits", async () => {
    const { shop } = await createConnectedShop();
    const kept = paymentRow(shop.id);
    const undone = paymentRow(shop.id);
    await inPreparedTransaction(db(), async (tx) => {
      await tx.savepoint(() => insertIfAbsent(tx, "Payment", kept, ["shopId", "ckoPaymentId"]));
      await expect(
        tx.savepoint(async () => {
          await insertIfAbsent(tx, "Payment", undone, ["shopId", "ckoPaymentId"]);
          await updateWhere(tx, "Payment", { shopId: shop.id, ckoPaymentId: kept.ckoPaymentId }, { amount: 1 });
          throw new Error("this event failed");
        }),
      ).rejects.toThrow("this event failed");
      await tx.savepoint(() => updateWhere(tx, "Payment", { shopId: shop.id, ckoPaymentId: kept.ckoPaymentId }, { amount: 777 }));
    });
    const rows = await db().payment.findMany({ where: { shopId: shop.id } });
    expect(rows.map((r) => [r.ckoPaymentId, r.amount])).toEqual([[kept.ckoPaymentId, 777]]);
  });

  it("remembers what a transaction wrote (transactionMemo) until one of its savepoints rolls back, and nothing outside one", async () => {
    const memo = transactionMemo();
    expect(memo(rawSql())).toBeNull();
    await inPreparedTransaction(db(), async (tx) => {
      await tx.savepoint(async () => void memo(tx)!.add("kept"));
      expect(memo(tx)!.has("kept")).toBe(true);
      await expect(
        tx.savepoint(async () => {
          memo(tx)!.add("undone");
          throw new Error("this event failed");
        }),
      ).rejects.toThrow("this event failed");
      // Its writes were undone with the savepoint: whatever it remembered must be written again.
      expect([...memo(tx)!]).toEqual([]);
    });
  });

  it("reads once per transaction what its statements share (transactionReads), and every time outside one", async () => {
    const once = transactionReads();
    let reads = 0;
    const read = async () => ++reads;
    expect([await once(rawSql(), "shop", read), await once(rawSql(), "shop", read)]).toEqual([1, 2]);
    await inPreparedTransaction(db(), async (tx) => {
      expect(await Promise.all([once(tx, "shop", read), once(tx, "shop", read), once(tx, "other", read)])).toEqual([3, 3, 4]);
      await expect(tx.savepoint(() => Promise.reject(new Error("this event failed")))).rejects.toThrow("this event failed");
      // A rolled-back savepoint forgets them too: cheap to read again, and never stale.
      expect(await once(tx, "shop", read)).toBe(5);
    });
    await inPreparedTransaction(db(), async (tx) => expect(await once(tx, "shop", read)).toBe(6));
  });

  it("on SQLite's one connection, makes Prisma's transactions wait until it has committed (no write of theirs lands inside it)", async () => {
    const { shop } = await createConnectedShop();
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const prepared = inPreparedTransaction(db(), async (tx) => {
      await insertIfAbsent(tx, "Payment", paymentRow(shop.id), ["shopId", "ckoPaymentId"]);
      order.push("prepared wrote");
      await held;
      order.push("prepared commits");
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const prisma = db().$transaction(async (tx) => {
      order.push("prisma began");
      await tx.payment.create({ data: paymentRow(shop.id) });
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await Promise.all([prepared, prisma]);
    // PostgreSQL gives each its own connection; there they need not wait for each other.
    if (!isPostgresClient(db())) expect(order).toEqual(["prepared wrote", "prepared commits", "prisma began"]);
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(2);
  });

  it("run reads together in one turn: a transaction asked for meanwhile starts after the last of them (none of its writes is seen)", async () => {
    const { shop } = await createConnectedShop();
    const count = async (sql: RawSql) =>
      Number((await sql.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM "Payment" WHERE "shopId" = ${shop.id}`)[0].n);
    let writing: Promise<unknown> | undefined;
    const seen = await rawSql().readsTogether(async (sql) => {
      const first = await count(sql);
      writing = inPreparedTransaction(db(), (tx) => insertIfAbsent(tx, "Payment", paymentRow(shop.id), ["shopId", "ckoPaymentId"]));
      // Given every chance to start and commit (on SQLite it waits for this turn to end).
      await new Promise((resolve) => setTimeout(resolve, 30));
      return [first, await count(sql)];
    });
    // PostgreSQL runs each read on the pool, beside other transactions: there the second sees the commit.
    expect(seen).toEqual(isPostgresClient(db()) ? [0, 1] : [0, 0]);
    await writing;
    expect(await rawSql().readsTogether(count)).toBe(1);
  });

  it("refuse a write among reads run together (a write belongs in a transaction)", async () => {
    const { shop } = await createConnectedShop();
    await expect(rawSql().readsTogether(async (sql) => sql.$executeRaw`DELETE FROM "Payment" WHERE "shopId" = ${shop.id}`)).rejects.toThrow("reads only");
  });

  it("serve the client from another copy of this module too (server.ts and the Remix build each load one)", async () => {
    const { shop } = await createConnectedShop();
    vi.resetModules();
    const copy = await import("./prepared-sql.server");
    const rows = await copy.preparedSql(db()).$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Shop" WHERE "id" = ${shop.id}`;
    expect(rows).toEqual([{ id: shop.id }]);
    expect(await copy.inPreparedTransaction(db(), (tx) => selectOne(tx, "Shop", { id: shop.id }))).toMatchObject({ id: shop.id });
  });
});
