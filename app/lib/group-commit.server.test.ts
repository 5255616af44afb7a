// Group commit against the real database: the items of one shop arriving in the same turn of the
// event loop share a transaction, at most `maxTogether` to one; a failing transaction refuses its own
// items and no other's.
import { describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { db } from "../db.server";
import { groupCommit } from "./group-commit.server";

/** A writer that keeps each transaction's items, and stores them as audit rows of the shop. */
function recordingWriter(maxTogether: number) {
  const transactions: Array<{ shopId: string; items: string[] }> = [];
  const write = groupCommit<string>(maxTogether, async (shopId, items, tx) => {
    transactions.push({ shopId, items });
    for (const item of items) {
      await tx.$executeRaw`INSERT INTO "AuditLog" ("id", "shopId", "action", "actor", "source", "details", "result", "createdAt")
        VALUES (${`${shopId}:${item}`}, ${shopId}, ${"test.group_commit"}, ${"system"}, ${"test"}, ${"{}"}, ${"ok"}, ${new Date()})`;
    }
    if (items.includes("fail")) throw new Error("this transaction fails");
  });
  return { write, transactions };
}

const stored = (shopId: string) =>
  db()
    .auditLog.findMany({ where: { shopId, action: "test.group_commit" }, select: { id: true }, orderBy: { id: "asc" } })
    .then((rows) => rows.map((r) => r.id.split(":")[1]));

describe("groupCommit", () => {
  it("writes one shop's items of one turn in one transaction, at most maxTogether each, and later items in the next", async () => {
    const a = await createShop();
    const b = await createShop();
    const { write, transactions } = recordingWriter(3);
    const results = await Promise.allSettled(["1", "2", "3", "4"].map((item) => write(a.id, item)).concat(write(b.id, "x")));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    // Shops' transactions may run side by side (PostgreSQL): each shop's in order.
    const itemsOf = (shopId: string) => transactions.filter((t) => t.shopId === shopId).map((t) => t.items);
    expect(itemsOf(a.id)).toEqual([["1", "2", "3"], ["4"]]);
    expect(itemsOf(b.id)).toEqual([["x"]]);
    await write(a.id, "5");
    expect(transactions.at(-1)).toEqual({ shopId: a.id, items: ["5"] });
    expect(await stored(a.id)).toEqual(["1", "2", "3", "4", "5"]);
    expect(await stored(b.id)).toEqual(["x"]);
  });

  it("a failing transaction refuses each of its items and writes none of them; other shops' items are written", async () => {
    const a = await createShop();
    const b = await createShop();
    const { write } = recordingWriter(10);
    const results = await Promise.allSettled([write(a.id, "1"), write(a.id, "fail"), write(b.id, "2")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "fulfilled"]);
    expect(await stored(a.id)).toEqual([]);
    expect(await stored(b.id)).toEqual(["2"]);
  });
});
