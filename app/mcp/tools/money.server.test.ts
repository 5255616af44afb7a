// The money tools through the SDK's client, with money moving at the stand-ins: an order paid through
// Shopify's Checkout.com payments app, so refunds, captures, voids and cancellations go through the
// Shopify order and the payments app asks Checkout.com. Each is done once per idempotency key; limits,
// scopes, roles and shops refuse before anything is sent; dry runs say what would happen and do nothing.
import type { Shop } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createConnectedShop } from "../../../test/helpers/factories";
import { agentToken, callTool, mcpClient } from "../../../test/helpers/mcp";
import { createPaidOrder, useMoneyStandIns, type PaidOrder } from "../../../test/helpers/money-world";
import { seedOfflineSession } from "../../../test/helpers/session-token";
import { NAS_SANDBOX_KEY } from "../../../test/standins/checkout/testing";
import { db } from "../../db.server";
import type { AgentScope } from "../scopes";
import type { AgentLimits } from "../limits";

const standIns = useMoneyStandIns();
let shop: Shop;

beforeAll(async () => {
  ({ shop } = await createConnectedShop());
  standIns.shopify.store.createShop({ domain: shop.domain, currencyCode: "USD" });
  standIns.shopify.connectPaymentsApp(shop.domain, { baseUrl: standIns.checkout.url, secretKey: NAS_SANDBOX_KEY });
});

beforeEach(async () => {
  // A fresh offline token each test (the stand-in's expire after an hour of its clock).
  await seedOfflineSession(shop.domain, { accessToken: standIns.shopify.issueAccessToken(shop.domain).token });
});

type Paid = PaidOrder;

/** An order of USD 118.00 paid at Shopify's checkout through Checkout.com (captured: a SALE; else an AUTHORIZATION). */
const paidOrder = (options: { capture?: boolean } = {}) => createPaidOrder(standIns, shop, options);

/** What reached Checkout.com for the payment (the payments app calls it a moment after Shopify answers). */
async function callsAtCheckout(paid: Paid, kind: "refunds" | "captures" | "voids") {
  await standIns.shopify.paymentsApp.idle();
  return standIns.checkout.requests.filter((r) => r.method === "POST" && r.path === `/payments/${paid.ckoPaymentId}/${kind}`);
}
const orderNow = (paid: Paid) => standIns.shopify.store.requireOrder(paid.order.id);
const actionsOf = (paid: Paid) => db().moneyAction.findMany({ where: { paymentId: paid.paymentId } });

let agents = 0;
async function agent(options: { limits?: AgentLimits; scopes?: AgentScope[]; userId?: string; shopId?: string } = {}) {
  const { token, row } = await agentToken(
    options.shopId ?? shop.id,
    { name: `Refund bot ${++agents}`, limits: options.limits, scopes: options.scopes },
    { actor: "admin@example.com", userId: options.userId ?? null },
  );
  return { client: await mcpClient(token), tokenId: row.id, name: row.name };
}

describe("refund_payment", () => {
  it("refunds through the Shopify order once: a retry with the same key is answered `replayed` and sends nothing", async () => {
    const paid = await paidOrder();
    const { client, tokenId, name } = await agent();
    const args = { payment: paid.order.name, amount: 2_000, idempotency_key: "refund-1", reason: "Damaged in transit" };
    const first = await callTool(client, "refund_payment", args);
    expect(first.isError, first.text).toBe(false);
    expect(first.data).toMatchObject({
      dry_run: false,
      action: "refund",
      via: "shopify",
      status: "accepted",
      replayed: false,
      amount: { minor: 2_000, formatted: "$20.00" },
      order: { name: paid.order.name },
    });
    expect(first.text).toContain(`through Shopify's order ${paid.order.name}`);

    const again = await callTool(client, "refund_payment", args);
    expect(again.isError, again.text).toBe(false);
    expect(again.data).toMatchObject({ replayed: true, moneyActionId: first.data!.moneyActionId });
    expect(orderNow(paid).refunds).toHaveLength(1);
    expect(await callsAtCheckout(paid, "refunds")).toHaveLength(1);
    expect(await actionsOf(paid)).toMatchObject([{ amount: 2_000, source: "agent", requestedBy: name, agentTokenId: tokenId }]);
    expect(await db().agentRequest.count({ where: { tokenId } })).toBe(1);
    const audited = await db().auditLog.findMany({ where: { shopId: shop.id, action: "mcp.refund_payment", paymentId: paid.paymentId } });
    expect(audited.map((e) => [e.actor, e.source, e.result])).toEqual([
      [name, "agent", "ok"],
      [name, "agent", "ok"],
    ]);
  });

  it("refuses the same key with a different amount, sending nothing", async () => {
    const paid = await paidOrder();
    const { client } = await agent();
    expect((await callTool(client, "refund_payment", { payment: paid.ckoPaymentId, amount: 1_000, idempotency_key: "k" })).isError).toBe(false);
    const other = await callTool(client, "refund_payment", { payment: paid.ckoPaymentId, amount: 1_500, idempotency_key: "k" });
    expect(other.isError).toBe(true);
    expect(other.text).toContain('The idempotency_key "k" was already used with refund_payment for a different request');
    // The same key with another tool is refused too, naming the first.
    const voided = await callTool(client, "void_payment", { payment: paid.ckoPaymentId, idempotency_key: "k" });
    expect(voided.text).toContain("already used with refund_payment");
    expect(orderNow(paid).refunds).toHaveLength(1);
    expect(await callsAtCheckout(paid, "refunds")).toHaveLength(1);
    expect(await actionsOf(paid)).toHaveLength(1);
  });

  it("a dry run writes no money action, claims no key and says the path and the amounts", async () => {
    const paid = await paidOrder();
    const { client, tokenId } = await agent({ limits: { USD: { perAction: null, perDay: 50_000 } } });
    const dry = await callTool(client, "refund_payment", {
      payment: paid.ckoPaymentId,
      amount: 3_000,
      idempotency_key: "dry",
      dry_run: true,
      notify_customer: true,
    });
    expect(dry.isError, dry.text).toBe(false);
    expect(dry.data).toMatchObject({
      dry_run: true,
      via: "shopify",
      amount: { minor: 3_000 },
      limits: { usedToday: { minor: 0 }, leftToday: { minor: 50_000 } },
      would: { allowed: true, refusal: null, refundableAfter: { minor: 8_800 }, capturableAfter: { minor: 0 }, notifyCustomer: true, idempotencyKey: "new" },
    });
    expect(dry.text).toContain(`Through Shopify's order ${paid.order.name}`);
    expect(dry.text).toContain("Refundable after: $88.00");
    expect(await actionsOf(paid)).toHaveLength(0);
    expect(await db().agentRequest.count({ where: { tokenId } })).toBe(0);
    expect(orderNow(paid).refunds).toHaveLength(0);

    // Once the key is used, a dry run says so, and what a different request with it would get.
    await callTool(client, "refund_payment", { payment: paid.ckoPaymentId, amount: 3_000, idempotency_key: "dry" });
    const repeat = await callTool(client, "refund_payment", { payment: paid.ckoPaymentId, amount: 3_000, idempotency_key: "dry", dry_run: true });
    expect(repeat.data?.would).toMatchObject({ allowed: true, idempotencyKey: "repeat" });
    expect(repeat.text).toContain("answers with its first result (refund of $30.00");
    const clash = await callTool(client, "refund_payment", { payment: paid.ckoPaymentId, amount: 100, idempotency_key: "dry", dry_run: true });
    expect(clash.data?.would).toMatchObject({ allowed: false, idempotencyKey: "other_request" });
    expect(await actionsOf(paid)).toHaveLength(1);
  });

  it("refuses more than is refundable, sending nothing, and a dry run says the same", async () => {
    const paid = await paidOrder();
    const { client } = await agent();
    const dry = await callTool(client, "refund_payment", { payment: paid.ckoPaymentId, amount: 11_801, idempotency_key: "big", dry_run: true });
    expect(dry.data?.would).toMatchObject({ allowed: false, refusal: expect.stringContaining("At most $118.00 can be refunded") });
    const refused = await callTool(client, "refund_payment", { payment: paid.ckoPaymentId, amount: 11_801, idempotency_key: "big" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toBe("At most $118.00 can be refunded (the lower of Shopify's and Checkout.com's figures), and $118.01 was asked.");
    expect(await actionsOf(paid)).toHaveLength(0);
    expect(orderNow(paid).refunds).toHaveLength(0);
    // Refused before anything was asked: the key is still free for the corrected request.
    const corrected = await callTool(client, "refund_payment", { payment: paid.ckoPaymentId, amount: 11_800, idempotency_key: "big" });
    expect(corrected.isError, corrected.text).toBe(false);
  });

  it("refuses over the per-action limit and over the day's limit, sending nothing", async () => {
    const first = await paidOrder();
    const second = await paidOrder();
    const { client } = await agent({ limits: { USD: { perAction: 5_000, perDay: 8_000 } } });
    const tooBig = await callTool(client, "refund_payment", { payment: first.ckoPaymentId, amount: 6_000, idempotency_key: "a" });
    expect(tooBig.isError).toBe(true);
    expect(tooBig.text).toContain("at most $50.00 per action, and this refund would move $60.00");

    expect((await callTool(client, "refund_payment", { payment: first.ckoPaymentId, amount: 5_000, idempotency_key: "b" })).isError).toBe(false);
    // Another payment: the day's limit counts every refund of the token.
    const overDay = await callTool(client, "refund_payment", { payment: second.ckoPaymentId, amount: 4_000, idempotency_key: "c" });
    expect(overDay.isError).toBe(true);
    expect(overDay.text).toContain("at most $80.00 in 24 hours: $50.00 is used, so $30.00 is left, and this refund would move $40.00");
    expect(await actionsOf(second)).toHaveLength(0);
    expect(orderNow(second).refunds).toHaveLength(0);
    expect(await callsAtCheckout(second, "refunds")).toHaveLength(0);
    expect(await callsAtCheckout(first, "refunds")).toHaveLength(1);
  });

  it("two refunds asked at once on different payments cannot both pass the day's limit", async () => {
    const payments = [await paidOrder(), await paidOrder()];
    const { client, tokenId } = await agent({ limits: { USD: { perAction: null, perDay: 5_000 } } });
    const results = await Promise.all(
      payments.map((paid, i) => callTool(client, "refund_payment", { payment: paid.ckoPaymentId, amount: 4_000, idempotency_key: `race-${i}` })),
    );
    expect(results.filter((r) => r.isError).map((r) => r.text)).toEqual([expect.stringContaining("at most $50.00 in 24 hours")]);
    expect(await db().moneyAction.count({ where: { agentTokenId: tokenId } })).toBe(1);
  });

  it("refuses a currency the token's limits do not list", async () => {
    const paid = await paidOrder();
    const { client } = await agent({ limits: { EUR: { perAction: 10_000, perDay: null } } });
    const refused = await callTool(client, "refund_payment", { payment: paid.ckoPaymentId, amount: 1_000, idempotency_key: "usd" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("only in EUR, and this payment is in USD");
    expect(await actionsOf(paid)).toHaveLength(0);
  });

  it("refuses a token without the refund scope, naming it", async () => {
    const paid = await paidOrder();
    const { client } = await agent({ scopes: ["read"] });
    const refused = await callTool(client, "refund_payment", { payment: paid.ckoPaymentId, idempotency_key: "x" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('lacks the "refund" scope');
    expect(await actionsOf(paid)).toHaveLength(0);
  });

  it("refuses when the token's maker is now a viewer, naming the role", async () => {
    const paid = await paidOrder();
    const { client } = await agent({ userId: "staff-77" });
    await db().staffMember.create({ data: { shopId: shop.id, userId: "staff-77", role: "viewer" } });
    const refused = await callTool(client, "refund_payment", { payment: paid.ckoPaymentId, idempotency_key: "x" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("needs the finance role, and the staff member who made this token is now viewer");
    expect(await actionsOf(paid)).toHaveLength(0);
  });

  it("never refunds another shop's payment", async () => {
    const paid = await paidOrder();
    const other = await createConnectedShop();
    const { client } = await agent({ shopId: other.shop.id });
    for (const lookup of [paid.ckoPaymentId, paid.order.name]) {
      const refused = await callTool(client, "refund_payment", { payment: lookup, idempotency_key: `other-${lookup}` });
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain("no Checkout.com payment");
    }
    expect(await actionsOf(paid)).toHaveLength(0);
    expect(orderNow(paid).refunds).toHaveLength(0);
  });
});

describe("capture_payment and void_payment", () => {
  it("captures part of an authorisation through the order, once", async () => {
    const paid = await paidOrder({ capture: false });
    const { client } = await agent();
    const args = { payment: paid.ckoPaymentId, amount: 5_000, idempotency_key: "cap" };
    const captured = await callTool(client, "capture_payment", args);
    expect(captured.isError, captured.text).toBe(false);
    expect(captured.data).toMatchObject({ action: "capture", via: "shopify", amount: { minor: 5_000 }, replayed: false });
    expect((await callTool(client, "capture_payment", args)).data).toMatchObject({ replayed: true });
    expect(orderNow(paid).transactions.filter((t) => t.kind === "CAPTURE")).toHaveLength(1);
    expect(await callsAtCheckout(paid, "captures")).toHaveLength(1);
  });

  it("voids an authorisation once, counting its whole amount against the limits; a captured payment is refused", async () => {
    const paid = await paidOrder({ capture: false });
    const { client } = await agent({ limits: { USD: { perAction: 11_800, perDay: null } } });
    const dry = await callTool(client, "void_payment", { payment: paid.ckoPaymentId, idempotency_key: "void", dry_run: true });
    expect(dry.data).toMatchObject({ amount: { minor: 11_800 }, would: { allowed: true, refundableAfter: { minor: 0 }, capturableAfter: { minor: 0 } } });
    const voided = await callTool(client, "void_payment", { payment: paid.ckoPaymentId, idempotency_key: "void" });
    expect(voided.isError, voided.text).toBe(false);
    expect(voided.data).toMatchObject({ action: "void", via: "shopify", amount: { minor: 11_800 } });
    expect((await callTool(client, "void_payment", { payment: paid.ckoPaymentId, idempotency_key: "void" })).data).toMatchObject({ replayed: true });
    expect(orderNow(paid).transactions.filter((t) => t.kind === "VOID")).toHaveLength(1);
    expect(await callsAtCheckout(paid, "voids")).toHaveLength(1);

    const captured = await paidOrder();
    const refused = await callTool(client, "void_payment", { payment: captured.ckoPaymentId, idempotency_key: "void-2" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toBe("This payment cannot be voided: it has been captured, so refund it instead.");
    expect(await callsAtCheckout(captured, "voids")).toHaveLength(0);
  });
});

describe("cancel_order", () => {
  it("cancels the order for fraud and refunds what was captured through Shopify, once", async () => {
    const paid = await paidOrder();
    const { client } = await agent();
    const args = { payment: paid.ckoPaymentId, idempotency_key: "cancel", reason: "Stolen card", restock: true, notify_customer: false };
    const dry = await callTool(client, "cancel_order", { ...args, dry_run: true });
    expect(dry.data).toMatchObject({ dry_run: true, amount: { minor: 11_800 }, would: { allowed: true, restock: true, notifyCustomer: false } });
    expect(dry.text).toContain(`Shopify cancels order ${paid.order.name} (reason: fraud) and refunds $118.00 through its Checkout.com payments app.`);
    expect(orderNow(paid).cancelledAt).toBeNull();

    const canceled = await callTool(client, "cancel_order", args);
    expect(canceled.isError, canceled.text).toBe(false);
    expect(canceled.data).toMatchObject({ action: "cancel_order", via: "shopify", amount: { minor: 11_800 }, replayed: false });
    expect(canceled.text).toContain(`Order ${paid.order.name} canceled.`);
    const again = await callTool(client, "cancel_order", args);
    expect(again.data).toMatchObject({ replayed: true });
    expect(orderNow(paid)).toMatchObject({ cancelReason: "FRAUD", cancellation: { refund: true, restock: true, notifyCustomer: false } });
    expect(await callsAtCheckout(paid, "refunds")).toHaveLength(1);
    expect(await actionsOf(paid)).toMatchObject([{ kind: "refund", cancelOrder: true, amount: 11_800, source: "agent" }]);
  });

  it("refuses a cancellation whose refund is over the token's limit, sending nothing", async () => {
    const paid = await paidOrder();
    const { client } = await agent({ limits: { USD: { perAction: 10_000, perDay: null } } });
    const refused = await callTool(client, "cancel_order", { payment: paid.ckoPaymentId, idempotency_key: "cancel" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("this cancellation's refund would move $118.00");
    expect(orderNow(paid).cancelledAt).toBeNull();
    expect(await actionsOf(paid)).toHaveLength(0);
  });
});
