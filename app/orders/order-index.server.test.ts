// The order index's lookups stay within one shop, and Shopify's privacy webhooks reach it: customers/redact
// takes the customer's email out of the indexed orders, shop/redact deletes the shop's rows.
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { action as compliance } from "../routes/webhooks.compliance";
import { createShop } from "../../test/helpers/factories";
import { callAction, shopifyWebhookRequest } from "../../test/helpers/shopify";
import type { OrderSnapshot } from "./order-payloads";
import { addOrderReferences, indexedEmailCandidates, indexedOrder, indexedStrongCandidates, indexOrders, indexOrderTogether } from "./order-index.server";

const at = new Date("2026-12-04T15:00:00Z");
let nextId = 7_100_000_001;

function snapshot(overrides: Partial<OrderSnapshot> = {}): OrderSnapshot {
  const id = nextId++;
  return {
    gid: `gid://shopify/Order/${id}`,
    legacyId: String(id),
    name: "#1001",
    checkoutToken: `token${id}abcdef0123456789`,
    email: "ada@example.com",
    createdAt: at,
    updatedAt: at,
    total: 9400,
    currency: "USD",
    transactionIds: [`pay_index${id}`],
    ...overrides,
  };
}

const sendCompliance = (topic: string, domain: string, payload: unknown) =>
  callAction(compliance, shopifyWebhookRequest("/webhooks/compliance", topic, domain, payload));
const window = { from: new Date(at.getTime() - 3_600_000), to: new Date(at.getTime() + 3_600_000) };

describe("tenancy", () => {
  it("shop A's indexed orders never answer shop B's lookups, however alike the orders are", async () => {
    const a = await createShop();
    const b = await createShop();
    const order = snapshot({ name: "#1001", email: "ada@example.com", transactionIds: ["pay_sharedbetweenshops0001", "743201"] });
    await indexOrders(a.id, [order]);
    await addOrderReferences(a.id, order.gid, ["act_sharedbetweenshops0001"]);

    const lookups = { reference: "#1001", transactionIds: ["pay_sharedbetweenshops0001", "act_sharedbetweenshops0001", "743201"] };
    expect((await indexedStrongCandidates(a.id, lookups)).map((o) => o.gid)).toEqual([order.gid]);
    expect(await indexedStrongCandidates(b.id, lookups)).toEqual([]);
    expect(await indexedStrongCandidates(b.id, { reference: order.gid, transactionIds: [] })).toEqual([]);
    expect(await indexedStrongCandidates(b.id, { reference: order.legacyId, transactionIds: [] })).toEqual([]);
    expect(await indexedStrongCandidates(b.id, { reference: order.checkoutToken, transactionIds: [] })).toEqual([]);
    expect(await indexedEmailCandidates(b.id, "ada@example.com", window.from, window.to)).toEqual([]);
    expect(await indexedOrder(b.id, order.gid)).toBeNull();

    // The same order id indexed for B (a copied payload) is B's own row, with B's references only.
    await indexOrders(b.id, [{ ...order, email: "bob@example.com", transactionIds: [] }]);
    expect(await indexedOrder(b.id, order.gid)).toMatchObject({ email: "bob@example.com", transactionIds: [] });
    expect(await indexedOrder(a.id, order.gid)).toMatchObject({ email: "ada@example.com" });
  });
});

describe("lookups", () => {
  it("find an order by name with or without #, by id, gid, checkout token, and any transaction id; by email only in the time window", async () => {
    const shop = await createShop();
    const order = snapshot({ name: "#2002", email: "ada@example.com" });
    await indexOrders(shop.id, [order, snapshot({ name: "#2003", email: "ada@example.com", createdAt: new Date(at.getTime() - 5 * 3_600_000) })]);
    const found = async (reference: string | null, transactionIds: string[] = []) =>
      (await indexedStrongCandidates(shop.id, { reference, transactionIds })).map((o) => o.gid);
    for (const reference of ["#2002", "2002", " #2002 ", order.legacyId, order.gid, order.checkoutToken!]) expect(await found(reference)).toEqual([order.gid]);
    expect(await found(null, [order.transactionIds[0]])).toEqual([order.gid]);
    // Read back as matching compares it (dates as dates, the total as a number).
    const { updatedAt: _updatedAt, ...candidate } = order;
    expect(await indexedStrongCandidates(shop.id, { reference: "#2002", transactionIds: [] })).toEqual([candidate]);
    expect(await found("#9999", ["pay_nothing00000000"])).toEqual([]);
    expect((await indexedEmailCandidates(shop.id, " Ada@Example.com ", window.from, window.to)).map((o) => o.gid)).toEqual([order.gid]);
  });
});

describe("privacy webhooks", () => {
  it("customers/redact takes the customer's email out of her indexed orders (by email and by the orders named) and leaves others alone", async () => {
    const shop = await createShop();
    const byEmail = snapshot({ email: "ada@example.com" });
    const named = snapshot({ email: "ada.lovelace@work.example" });
    const bobs = snapshot({ email: "bob@example.com" });
    await indexOrders(shop.id, [byEmail, named, bobs]);
    const other = await createShop();
    const otherShops = snapshot({ email: "ada@example.com" });
    await indexOrders(other.id, [otherShops]);

    const response = await sendCompliance("customers/redact", shop.domain, {
      shop_id: 1,
      shop_domain: shop.domain,
      customer: { id: 42, email: "ADA@example.com", phone: null },
      orders_to_redact: [Number(named.legacyId)],
    });
    expect(response.status).toBe(200);
    expect(await indexedOrder(shop.id, byEmail.gid)).toMatchObject({ email: null, name: byEmail.name, total: 9400 });
    expect(await indexedOrder(shop.id, named.gid)).toMatchObject({ email: null });
    expect(await indexedOrder(shop.id, bobs.gid)).toMatchObject({ email: "bob@example.com" });
    expect(await indexedOrder(other.id, otherShops.gid)).toMatchObject({ email: "ada@example.com" });
    expect(await indexedEmailCandidates(shop.id, "ada@example.com", window.from, window.to)).toEqual([]);
  });

  it("shop/redact deletes the shop's indexed orders and their references, and no other shop's", async () => {
    const gone = await createShop();
    const stays = await createShop();
    await indexOrders(gone.id, [snapshot()]);
    await addOrderReferences(gone.id, "gid://shopify/Order/1", ["pay_notindexedyet000001"]);
    await indexOrders(stays.id, [snapshot()]);
    expect((await sendCompliance("shop/redact", gone.domain, { shop_id: 1, shop_domain: gone.domain })).status).toBe(200);
    expect(await db().indexedOrder.count({ where: { shopId: gone.id } })).toBe(0);
    expect(await db().indexedOrderReference.count({ where: { shopId: gone.id } })).toBe(0);
    expect(await db().indexedOrder.count({ where: { shopId: stays.id } })).toBe(1);
    expect(await db().indexedOrderReference.count({ where: { shopId: stays.id } })).toBe(1);
  });
});

describe("the order webhooks of one moment (indexOrderTogether)", () => {
  it("are written together per shop, each webhook answered once its order is stored; a failing shop's batch fails alone", async () => {
    const a = await createShop();
    const b = await createShop();
    const ofA = [snapshot(), snapshot(), snapshot({ transactionIds: [] })];
    const ofB = snapshot();
    // A shop that is gone (uninstalled and redacted a moment ago): its rows break no other shop's.
    const gone = indexOrderTogether("no-such-shop", snapshot());
    const stored = await Promise.allSettled([...ofA.map((o) => indexOrderTogether(a.id, o)), indexOrderTogether(b.id, ofB), gone]);
    expect(stored.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled", "rejected"]);
    for (const order of ofA) expect(await indexedOrder(a.id, order.gid)).toMatchObject({ gid: order.gid, transactionIds: order.transactionIds });
    expect(await indexedOrder(b.id, ofB.gid)).toMatchObject({ gid: ofB.gid });
    expect(await indexedOrder(a.id, ofB.gid)).toBeNull();
  });
});
