// Orders marked paid through Checkout.com's gateway with no Checkout.com payment, from the local copy of
// the orders' transactions (seeded here as the order webhooks would store them) and the Checkout.com
// stand-in: an id Checkout.com does not know opens one issue about the order alone with the exact
// amount, one it knows is imported instead, what a payment accounts for or another gateway took is
// never asked about, a re-run changes nothing, dismissal holds while the amount does, a 429, an outage
// or a refused key stops the run opening nothing, and each shop's orders and payments are its own.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { createConnectedShop, createShop } from "../../test/helpers/factories";
import { ckoId } from "../../test/fixtures/checkout-events";
import { nasAccount, OTHER_NAS_KEY, otherNasAccount } from "../../test/standins/checkout/testing";
import { clientFor } from "../checkout/connection.server";
import { CheckoutError } from "../checkout/errors";
import { db } from "../db.server";
import { log } from "../log.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { dismissReconciliationIssue } from "./issues.server";
import { checkOrdersWithoutPayment } from "./orders-without-payment.server";

const checkout = useCheckoutStandIn({ accounts: [nasAccount(), otherNasAccount()], actionLatencyMs: 1 });
afterEach(() => vi.restoreAllMocks());

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const SINCE = () => daysAgo(60);
const run = (shopId: string, options: { limit?: number; now?: Date } = {}) => checkOrdersWithoutPayment(shopId, { since: SINCE(), ...options });
const NOTHING = { opened: 0, updated: 0, resolved: 0, imported: 0, asked: 0, skipped: 0, more: false, stopped: null };

/** Shopify's payment id for a payment at checkout, which Checkout.com's payments app uses as the payment's reference. */
const shopifyPaymentId = () => `c${randomUUID().replaceAll("-", "").slice(0, 20)}.1`;

let orderSeq = 0;
let transactionSeq = 0;

interface TransactionData {
  kind?: string;
  status?: string;
  gateway?: string;
  amount?: number;
  currency?: string;
  /** The gateway's ids: Shopify's payment id first. */
  ids: string[];
  createdAt?: Date;
}

/** One of an order's transactions, as the order index keeps it. */
async function addTransaction(shopId: string, orderGid: string, data: TransactionData) {
  await db().indexedOrderTransaction.create({
    data: {
      shopId,
      orderGid,
      transactionGid: `gid://shopify/OrderTransaction/${7_300_000 + ++transactionSeq}`,
      kind: data.kind ?? "SALE",
      status: data.status ?? "SUCCESS",
      gateway: data.gateway ?? "checkout_com",
      amount: data.amount ?? 12_345,
      currency: data.currency ?? "USD",
      references: JSON.stringify(data.ids),
      createdAt: data.createdAt ?? daysAgo(3),
    },
  });
}

/** An indexed order with one transaction. */
async function paidOrder(shopId: string, data: TransactionData) {
  const legacyId = String(9_100_000 + ++orderSeq);
  const order = { orderGid: `gid://shopify/Order/${legacyId}`, name: `#${2_000 + orderSeq}` };
  const createdAt = data.createdAt ?? daysAgo(3);
  await db().indexedOrder.create({
    data: {
      shopId,
      orderGid: order.orderGid,
      legacyId,
      name: order.name,
      nameKey: order.name.slice(1),
      total: data.amount ?? 12_345,
      currency: data.currency ?? "USD",
      createdAt,
      shopifyUpdatedAt: createdAt,
    },
  });
  await addTransaction(shopId, order.orderGid, data);
  return order;
}

const issuesOf = (shopId: string) => db().reconciliationIssue.findMany({ where: { shopId }, orderBy: { firstSeenAt: "asc" } });
const auditOf = (shopId: string) => db().auditLog.findMany({ where: { shopId, action: { startsWith: "reconciliation." } }, orderBy: { createdAt: "asc" } });

/** Runs `act` and returns the API requests it made with this account's key, as "METHOD path?query". */
async function requestsDuring<T>(account: string, act: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  const before = checkout().requests.length;
  const result = await act();
  const requests = checkout()
    .requests.slice(before)
    .filter((r) => r.accountId === account)
    .map((r) => `${r.method} ${r.path}${r.query}`);
  return { result, requests };
}

describe("orders marked paid with no Checkout.com payment", () => {
  it("opens one issue about the order with the transaction's exact amount when Checkout.com knows neither its id nor its reference, audited", async () => {
    const { shop } = await createConnectedShop();
    const reference = shopifyPaymentId();
    const unknownId = ckoId("pay");
    const order = await paidOrder(shop.id, { amount: 12_345, ids: [reference, "831942", unknownId] });

    const { result, requests } = await requestsDuring("shop_a", () => run(shop.id));

    expect(result).toEqual({ ...NOTHING, opened: 1, asked: 1 });
    expect(requests).toEqual([`GET /payments/${unknownId}`, `GET /payments?reference=${reference}&limit=100`]);
    const [issue] = await issuesOf(shop.id);
    expect(await issuesOf(shop.id)).toHaveLength(1);
    expect(issue).toMatchObject({
      kind: "paid_without_checkout_payment",
      subject: "order",
      paymentId: null,
      orderGid: order.orderGid,
      orderName: order.name,
      currency: "USD",
      checkoutAmount: null,
      shopifyAmount: 12_345,
      amount: 12_345,
      status: "open",
    });
    const audit = await auditOf(shop.id);
    expect(audit.map((a) => [a.action, a.actor, a.paymentId, a.orderGid, JSON.parse(a.details)])).toEqual([
      [
        "reconciliation.issue_open",
        "system",
        null,
        order.orderGid,
        { kind: "paid_without_checkout_payment", amount: 12_345, currency: "USD", orderName: order.name },
      ],
    ]);
  });

  it("imports a payment Checkout.com knows by the id on the transaction, opens nothing, and does not ask again", async () => {
    const { shop } = await createConnectedShop();
    const stored = checkout().state.createPayment({ account: "shop_a", amount: 9_400, currency: "USD", reference: "#web-4411", capture: true });
    await paidOrder(shop.id, { amount: 9_400, ids: [shopifyPaymentId(), stored.fixture.id] });

    const { result, requests } = await requestsDuring("shop_a", () => run(shop.id));

    expect(result).toEqual({ ...NOTHING, imported: 1, asked: 1 });
    expect(requests).toEqual([`GET /payments/${stored.fixture.id}`, `GET /payments/${stored.fixture.id}/actions`]);
    const payment = await db().payment.findUniqueOrThrow({ where: { shopId_ckoPaymentId: { shopId: shop.id, ckoPaymentId: stored.fixture.id } } });
    expect(payment).toMatchObject({ amount: 9_400, capturedAmount: 9_400, currency: "USD", reference: "#web-4411", status: "Captured" });
    // Matched, checked and counted in Insights as any imported payment is.
    const jobs = await db().job.findMany({ where: { shopId: shop.id }, select: { kind: true } });
    expect(jobs.map((j) => j.kind).sort()).toEqual([JOB_KINDS.insightsRollup, JOB_KINDS.paymentReview, JOB_KINDS.reconciliationCheck]);
    expect(await issuesOf(shop.id)).toEqual([]);

    const again = await requestsDuring("shop_a", () => run(shop.id));
    expect(again).toEqual({ result: NOTHING, requests: [] });
  });

  it("finds the payment by Shopify's payment id as its reference when the transaction carries no Checkout.com id, and imports it", async () => {
    const { shop } = await createConnectedShop();
    const reference = shopifyPaymentId();
    const stored = checkout().state.createPayment({ account: "shop_a", amount: 5_000, currency: "EUR", reference, capture: false });
    await paidOrder(shop.id, { kind: "AUTHORIZATION", amount: 5_000, currency: "EUR", ids: [reference, "auth-5521"] });

    const { result, requests } = await requestsDuring("shop_a", () => run(shop.id));

    expect(result).toEqual({ ...NOTHING, imported: 1, asked: 1 });
    expect(requests).toEqual([`GET /payments?reference=${reference}&limit=100`, `GET /payments/${stored.fixture.id}/actions`]);
    expect(await db().payment.findFirst({ where: { shopId: shop.id }, select: { ckoPaymentId: true, status: true, amount: true } })).toEqual({
      ckoPaymentId: stored.fixture.id,
      status: "Authorized",
      amount: 5_000,
    });
    expect(await issuesOf(shop.id)).toEqual([]);
  });

  it("asks nothing about an order a payment accounts for, another gateway's, an unsuccessful or non-root transaction, or one before `since`", async () => {
    const { shop } = await createConnectedShop();
    const byReference = shopifyPaymentId();
    const byId = ckoId("pay");
    await db().payment.createMany({
      data: [
        { shopId: shop.id, ckoPaymentId: ckoId("pay"), reference: byReference, amount: 12_345, currency: "USD", status: "Captured" },
        { shopId: shop.id, ckoPaymentId: byId, reference: "#1001", amount: 12_345, currency: "USD", status: "Captured" },
      ],
    });
    // Accounted for: the payment's reference is Shopify's payment id; the payment's id is among the receipt's.
    await paidOrder(shop.id, { ids: [byReference, "auth-1"] });
    await paidOrder(shop.id, { ids: [shopifyPaymentId(), "auth-2", byId] });
    // Not Checkout.com's gateway, however unknown their ids.
    await paidOrder(shop.id, { gateway: "manual", ids: [ckoId("pay")] });
    await paidOrder(shop.id, { gateway: "shopify_payments", ids: [shopifyPaymentId(), ckoId("pay")] });
    // Checkout.com's gateway, but no money taken (yet), or not the transaction that took it.
    for (const status of ["PENDING", "FAILURE", "ERROR"]) await paidOrder(shop.id, { status, ids: [shopifyPaymentId(), ckoId("pay")] });
    await paidOrder(shop.id, { kind: "CAPTURE", ids: [shopifyPaymentId(), ckoId("pay")] });
    await paidOrder(shop.id, { kind: "REFUND", ids: [shopifyPaymentId(), ckoId("pay")] });
    // Before the window.
    await paidOrder(shop.id, { createdAt: daysAgo(61), ids: [shopifyPaymentId(), ckoId("pay")] });

    expect(await requestsDuring("shop_a", () => run(shop.id))).toEqual({ result: NOTHING, requests: [] });
    expect(await issuesOf(shop.id)).toEqual([]);
  });

  it("changes nothing when run again: Checkout.com is not asked again, the issue and the audit log stay as they were", async () => {
    const { shop } = await createConnectedShop();
    await paidOrder(shop.id, { amount: 4_990, ids: [shopifyPaymentId(), ckoId("pay")] });
    await run(shop.id);
    const [before] = await issuesOf(shop.id);

    const again = await requestsDuring("shop_a", () => run(shop.id));

    expect(again).toEqual({ result: { ...NOTHING, updated: 1 }, requests: [] });
    const [after] = await issuesOf(shop.id);
    expect({ ...after, lastCheckedAt: null }).toEqual({ ...before, lastCheckedAt: null });
    expect((await auditOf(shop.id)).map((a) => a.action)).toEqual(["reconciliation.issue_open"]);
  });

  it("resolves the issue once a payment accounts for the order, audited, and opens it again, as new, for a later unknown payment", async () => {
    const { shop } = await createConnectedShop();
    const reference = shopifyPaymentId();
    const order = await paidOrder(shop.id, { amount: 7_000, ids: [reference] });
    await run(shop.id);
    const [opened] = await issuesOf(shop.id);

    // Its webhooks arrive late: the payment's reference is Shopify's payment id.
    await db().payment.create({
      data: { shopId: shop.id, ckoPaymentId: ckoId("pay"), reference, amount: 7_000, currency: "USD", status: "Captured" },
    });
    const resolving = await requestsDuring("shop_a", () => run(shop.id));
    expect(resolving).toEqual({ result: { ...NOTHING, resolved: 1 }, requests: [] });
    const [resolved] = await issuesOf(shop.id);
    expect(resolved).toMatchObject({ id: opened.id, status: "resolved", resolvedAt: expect.any(Date), amount: 7_000 });
    const audit = await auditOf(shop.id);
    expect(audit.map((a) => [a.action, a.orderGid, JSON.parse(a.details).amount])).toEqual([
      ["reconciliation.issue_open", order.orderGid, 7_000],
      ["reconciliation.issue_resolved", order.orderGid, 7_000],
    ]);

    // The order is edited and paid again, with an id Checkout.com does not know: a new difference.
    await addTransaction(shop.id, order.orderGid, { kind: "AUTHORIZATION", amount: 1_500, ids: [shopifyPaymentId(), ckoId("pay")] });
    const later = new Date(opened.firstSeenAt.getTime() + DAY);
    expect(await run(shop.id, { now: later })).toEqual({ ...NOTHING, opened: 1, asked: 1 });
    expect((await issuesOf(shop.id))[0]).toMatchObject({
      id: opened.id,
      status: "open",
      resolvedAt: null,
      amount: 1_500,
      shopifyAmount: 1_500,
      firstSeenAt: later,
    });
  });

  it("keeps a dismissed issue dismissed while the amount is the same, and opens it again when another unknown payment adds to it", async () => {
    const { shop } = await createConnectedShop();
    const order = await paidOrder(shop.id, { amount: 3_000, ids: [shopifyPaymentId(), ckoId("pay")] });
    await run(shop.id);
    const [opened] = await issuesOf(shop.id);
    const staff = { shopId: shop.id, actor: "Sam Finance <sam@example.com>" };
    expect(await dismissReconciliationIssue(staff, opened.id, "Paid by bank transfer")).toEqual({ ok: true });

    expect(await requestsDuring("shop_a", () => run(shop.id))).toEqual({ result: { ...NOTHING, updated: 1 }, requests: [] });
    expect((await issuesOf(shop.id))[0]).toMatchObject({ status: "dismissed", dismissReason: "Paid by bank transfer", amount: 3_000 });

    // A second authorization on the order, also unknown to Checkout.com: 30.00 + 12.50.
    await addTransaction(shop.id, order.orderGid, { kind: "AUTHORIZATION", amount: 1_250, ids: [shopifyPaymentId(), ckoId("pay")] });
    const grown = await requestsDuring("shop_a", () => run(shop.id));
    expect(grown.result).toEqual({ ...NOTHING, opened: 1, asked: 1 });
    expect(grown.requests).toHaveLength(4);
    const [reopened] = await issuesOf(shop.id);
    expect(reopened).toMatchObject({
      id: opened.id,
      status: "open",
      dismissReason: null,
      dismissedBy: null,
      amount: 4_250,
      shopifyAmount: 4_250,
      firstSeenAt: opened.firstSeenAt,
    });
  });

  it("asks about at most `limit` orders a run, oldest first, and the next run goes on", async () => {
    const { shop } = await createConnectedShop();
    const newer = await paidOrder(shop.id, { createdAt: daysAgo(2), amount: 200, ids: [shopifyPaymentId(), ckoId("pay")] });
    const older = await paidOrder(shop.id, { createdAt: daysAgo(5), amount: 500, ids: [shopifyPaymentId(), ckoId("pay")] });

    expect(await run(shop.id, { limit: 1 })).toEqual({ ...NOTHING, opened: 1, asked: 1, more: true });
    expect((await issuesOf(shop.id)).map((i) => [i.orderGid, i.amount])).toEqual([[older.orderGid, 500]]);
    expect(await run(shop.id, { limit: 1 })).toEqual({ ...NOTHING, opened: 1, updated: 1, asked: 1 });
    expect((await issuesOf(shop.id)).map((i) => [i.orderGid, i.amount])).toEqual([
      [older.orderGid, 500],
      [newer.orderGid, 200],
    ]);
  });

  it("stops on a 429 or an outage opening nothing, and the next run opens the issue", async () => {
    const { shop } = await createConnectedShop();
    await paidOrder(shop.id, { amount: 800, ids: [shopifyPaymentId(), ckoId("pay")] });

    checkout().faults.set({ status: 429 });
    expect(await run(shop.id)).toEqual({ ...NOTHING, stopped: "rate_limited" });
    checkout().faults.set({ status: 503 });
    expect(await run(shop.id)).toEqual({ ...NOTHING, stopped: "unavailable" });
    expect(await issuesOf(shop.id)).toEqual([]);
    expect(await auditOf(shop.id)).toEqual([]);

    checkout().faults.clear();
    expect(await run(shop.id)).toEqual({ ...NOTHING, opened: 1, asked: 1 });
    expect((await issuesOf(shop.id)).map((i) => i.amount)).toEqual([800]);
  });

  it("stops on a refused key, logged, opening nothing", async () => {
    const { shop } = await createConnectedShop();
    await paidOrder(shop.id, { ids: [shopifyPaymentId(), ckoId("pay")] });
    const warn = vi.spyOn(log, "warn");
    checkout().faults.set({ status: 401 });

    expect(await run(shop.id)).toEqual({ ...NOTHING, stopped: "authentication" });
    expect(warn).toHaveBeenCalledWith("reconciliation.orders_without_payment_stopped", { shopId: shop.id, kind: "authentication", status: 401 });
    expect(await issuesOf(shop.id)).toEqual([]);
  });

  it("skips an order Checkout.com refuses to answer about, and goes on with the others", async () => {
    const { shop, connection } = await createConnectedShop();
    const refused = shopifyPaymentId();
    const skippedOrder = await paidOrder(shop.id, { createdAt: daysAgo(4), ids: [refused] });
    const next = await paidOrder(shop.id, { createdAt: daysAgo(3), amount: 640, ids: [shopifyPaymentId()] });
    const real = clientFor(connection);
    const client = {
      ...real,
      listPayments: (query: { reference: string }) =>
        query.reference === refused ? Promise.reject(new CheckoutError("validation", "Checkout.com refused the request", 422)) : real.listPayments(query),
    };
    const warn = vi.spyOn(log, "warn");

    expect(await checkOrdersWithoutPayment(shop.id, { since: SINCE(), client })).toEqual({ ...NOTHING, opened: 1, asked: 1, skipped: 1 });
    expect(warn).toHaveBeenCalledWith("reconciliation.order_without_payment_skipped", {
      shopId: shop.id,
      orderGid: skippedOrder.orderGid,
      kind: "validation",
      status: 422,
    });
    expect((await issuesOf(shop.id)).map((i) => [i.orderGid, i.amount])).toEqual([[next.orderGid, 640]]);
  });

  it("asks nothing without an active connection", async () => {
    const shop = await createShop();
    await paidOrder(shop.id, { ids: [shopifyPaymentId(), ckoId("pay")] });
    expect(await run(shop.id)).toEqual({ ...NOTHING, stopped: "no_connection" });
    expect(await issuesOf(shop.id)).toEqual([]);
  });

  it("neither imports nor opens anything for a payment of a processing channel the connection is not scoped to", async () => {
    const { shop, connection } = await createConnectedShop();
    const scoped = await db().checkoutConnection.update({ where: { id: connection.id }, data: { processingChannelIds: "pc_ourchannel2222222222222222" } });
    const stored = checkout().state.createPayment({ account: "shop_a", amount: 1_000, capture: true });
    await paidOrder(shop.id, { amount: 1_000, ids: [shopifyPaymentId(), stored.fixture.id] });
    // The stand-in's payments name no channel: this one says it went through another.
    const real = clientFor(scoped);
    const client = { ...real, getPayment: async (id: string) => ({ ...(await real.getPayment(id)), processing_channel_id: "pc_otherchannel333333333333333" }) };

    expect(await checkOrdersWithoutPayment(shop.id, { since: SINCE(), client })).toEqual({ ...NOTHING, asked: 1 });
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await issuesOf(shop.id)).toEqual([]);
  });

  it("keeps shops apart: another shop's payments account for none of this shop's orders, and its orders are never this shop's issues", async () => {
    const a = (await createConnectedShop()).shop;
    const b = (await createConnectedShop(undefined, { secretKey: OTHER_NAS_KEY })).shop;
    // Shop B's payment, at its own Checkout.com account and recorded in the app for shop B.
    const reference = shopifyPaymentId();
    const storedB = checkout().state.createPayment({ account: "shop_b", amount: 6_000, reference, capture: true });
    await db().payment.create({ data: { shopId: b.id, ckoPaymentId: storedB.fixture.id, reference, amount: 6_000, currency: "USD", status: "Captured" } });
    // Shop A's order carries shop B's ids; shop B has the same order (accounted for) and one of its own nobody knows.
    const orderA = await paidOrder(a.id, { amount: 6_000, ids: [reference, storedB.fixture.id] });
    await paidOrder(b.id, { amount: 6_000, ids: [reference, storedB.fixture.id] });
    const unknownB = ckoId("pay");
    const orderB = await paidOrder(b.id, { amount: 2_500, ids: [shopifyPaymentId(), unknownB] });

    // Asked of shop A's account, which knows neither.
    const forA = await requestsDuring("shop_a", () => run(a.id));
    expect(forA.result).toEqual({ ...NOTHING, opened: 1, asked: 1 });
    expect(forA.requests).toEqual([`GET /payments/${storedB.fixture.id}`, `GET /payments?reference=${reference}&limit=100`]);
    expect(await db().payment.count({ where: { shopId: a.id } })).toBe(0);

    const forB = await requestsDuring("shop_b", () => run(b.id));
    expect(forB.result).toEqual({ ...NOTHING, opened: 1, asked: 1 });
    expect(forB.requests[0]).toBe(`GET /payments/${unknownB}`);

    expect((await issuesOf(a.id)).map((i) => [i.orderGid, i.amount])).toEqual([[orderA.orderGid, 6_000]]);
    expect((await issuesOf(b.id)).map((i) => [i.orderGid, i.amount])).toEqual([[orderB.orderGid, 2_500]]);
  });
});
