// The local copy of orders' transactions: stored from the Admin API's shape (the reconciliation check's
// read) and from order_transactions/create's REST payload, read back in bulk, one shop at a time.
import { describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { ShopifyStore } from "../../test/standins/shopify/store";
import { restTransaction } from "../../test/standins/shopify/transaction-webhooks";
import { db } from "../db.server";
import type { OrderTransaction } from "../money/shopify-order.server";
import { localOrderMoney, storeOrderTransactions, webhookTransactionSchema } from "./order-transactions.server";

const ORDER = "gid://shopify/Order/7200000001";
const at = (minute: number) => new Date(Date.UTC(2026, 11, 4, 15, minute));

const authorization: OrderTransaction = {
  id: "gid://shopify/OrderTransaction/8100000001",
  kind: "AUTHORIZATION",
  status: "SUCCESS",
  gateway: "checkout_com",
  amount: 9_400,
  parentId: null,
  createdAt: at(0),
  errorCode: null,
  references: ["c25361.1", "pay_localcopy000000000000001"],
};
const capture: OrderTransaction = {
  ...authorization,
  id: "gid://shopify/OrderTransaction/8100000002",
  kind: "CAPTURE",
  status: "PENDING",
  parentId: authorization.id,
  createdAt: at(5),
  references: ["act_localcopy000000000000001"],
};

describe("storing and reading an order's transactions", () => {
  it("stores them as given, and a later word on a transaction replaces the earlier one", async () => {
    const shop = await createShop();
    // Given newest first: read back oldest first.
    await storeOrderTransactions(shop.id, ORDER, { currency: "usd", transactions: [capture, authorization] });
    expect(await localOrderMoney(shop.id, [ORDER])).toEqual(new Map([[ORDER, { currency: "USD", transactions: [authorization, capture] }]]));

    const declined = { ...capture, status: "FAILURE" as const, errorCode: "CARD_DECLINED" as const };
    await storeOrderTransactions(shop.id, ORDER, { currency: "USD", transactions: [declined] });
    expect((await localOrderMoney(shop.id, [ORDER])).get(ORDER)?.transactions).toEqual([authorization, declined]);
    expect(await db().indexedOrderTransaction.count({ where: { shopId: shop.id } })).toBe(2);
  });

  it("reads many orders at once; an order with nothing stored is absent", async () => {
    const shop = await createShop();
    const other = "gid://shopify/Order/7200000002";
    const sale: OrderTransaction = { ...authorization, id: "gid://shopify/OrderTransaction/8100000003", kind: "SALE", amount: 1_250 };
    await storeOrderTransactions(shop.id, ORDER, { currency: "USD", transactions: [authorization, capture] });
    await storeOrderTransactions(shop.id, other, { currency: "EUR", transactions: [sale] });

    const read = await localOrderMoney(shop.id, [ORDER, other, "gid://shopify/Order/7200000003"]);
    expect([...read.keys()].sort()).toEqual([ORDER, other]);
    expect(read.get(other)).toEqual({ currency: "EUR", transactions: [sale] });
    expect(read.get(ORDER)?.transactions.map((t) => t.id)).toEqual([authorization.id, capture.id]);
    expect(await localOrderMoney(shop.id, [])).toEqual(new Map());
  });

  it("never reads another shop's copy of the same order", async () => {
    const a = await createShop();
    const b = await createShop();
    await storeOrderTransactions(b.id, ORDER, { currency: "USD", transactions: [authorization, capture] });
    expect(await localOrderMoney(a.id, [ORDER])).toEqual(new Map());

    const refund: OrderTransaction = { ...authorization, id: "gid://shopify/OrderTransaction/8100000004", kind: "REFUND", amount: 500 };
    await storeOrderTransactions(a.id, ORDER, { currency: "USD", transactions: [refund] });
    expect((await localOrderMoney(a.id, [ORDER])).get(ORDER)?.transactions).toEqual([refund]);
    expect((await localOrderMoney(b.id, [ORDER])).get(ORDER)?.transactions).toEqual([authorization, capture]);
  });
});

describe("order_transactions/create's payload", () => {
  let now = Date.parse("2026-12-04T15:00:00Z");
  const shopify = new ShopifyStore(() => now);
  shopify.createShop({ domain: "local-copy.myshopify.com", ianaTimezone: "Europe/Berlin" });

  it("a pending capture and a refund on it, in the order's presentment currency and Admin API spelling", () => {
    const order = shopify.createOrder({
      shop: "local-copy.myshopify.com",
      currency: "EUR",
      payment: { kind: "AUTHORIZATION", paymentId: "c25362.1", authorizationCode: "743202", receipt: { id: "pay_restpayload00000000000001" } },
    });
    const [auth] = order.transactions;
    now += 60_000;
    const pending = shopify.addTransaction(order.id, {
      kind: "CAPTURE",
      status: "PENDING",
      parentId: auth.id,
      amount: "94.00",
      paymentId: "c25362.1",
      receipt: null,
    });
    now += 60_000;
    const refund = shopify.addTransaction(order.id, {
      kind: "REFUND",
      parentId: pending.id,
      amount: "15.50",
      paymentId: "c25362.1",
      authorizationCode: null,
      receipt: { action_id: "act_restpayload00000000000001", status: "Refunded" },
    });

    expect(webhookTransactionSchema.parse(restTransaction(shopify, pending.id))).toEqual({
      orderGid: order.id,
      money: {
        currency: "EUR",
        transactions: [
          {
            id: pending.id,
            kind: "CAPTURE",
            status: "PENDING",
            gateway: "checkout_com",
            amount: 9_400,
            parentId: auth.id,
            createdAt: new Date("2026-12-04T15:01:00Z"),
            errorCode: null,
            references: ["c25362.1", pending.authorizationCode],
          },
        ],
      },
    });
    expect(webhookTransactionSchema.parse(restTransaction(shopify, refund.id)).money.transactions).toEqual([
      {
        id: refund.id,
        kind: "REFUND",
        status: "SUCCESS",
        gateway: "checkout_com",
        amount: 1_550,
        parentId: pending.id,
        createdAt: new Date("2026-12-04T15:02:00Z"),
        errorCode: null,
        references: ["c25362.1", "act_restpayload00000000000001", "Refunded"],
      },
    ]);
  });

  it("reads a currency without decimals, and a declined one's error code as the Admin API spells it", () => {
    const order = shopify.createOrder({ shop: "local-copy.myshopify.com", currency: "JPY", payment: { kind: "SALE", amount: "12000" } });
    const failed = shopify.addTransaction(order.id, { kind: "SALE", status: "FAILURE", amount: "12000", errorCode: "CARD_DECLINED" });
    const [money] = webhookTransactionSchema.parse(restTransaction(shopify, failed.id)).money.transactions;
    expect(money).toMatchObject({ kind: "SALE", status: "FAILURE", amount: 12_000, errorCode: "CARD_DECLINED" });
  });

  it("refuses what is not a transaction's money: an unknown kind, an amount its currency cannot have", () => {
    const order = shopify.createOrder({ shop: "local-copy.myshopify.com", currency: "USD" });
    const payload = restTransaction(shopify, order.transactions[0].id);
    expect(webhookTransactionSchema.safeParse(payload).success).toBe(true);
    expect(webhookTransactionSchema.safeParse({ ...payload, kind: "chargeback" }).success).toBe(false);
    const tooPrecise = webhookTransactionSchema.safeParse({ ...payload, amount: "94.001" });
    expect(tooPrecise.success ? null : tooPrecise.error.issues.map((i) => [i.path, i.message])).toEqual([[["amount"], "USD has 2 decimal places."]]);
  });
});
