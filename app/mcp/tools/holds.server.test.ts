// The risk tools that act, through the SDK's client: release_hold takes this app's fulfillment holds
// off the order at the Shopify stand-in, once; the deny list takes and gives back an entry; each is
// refused without its scope and never reaches another shop.
import { beforeEach, describe, expect, it } from "vitest";
import { createOrder, createPayment, holdsOn, installShop } from "../../../test/helpers/holds";
import { agentToken, callTool, mcpClient } from "../../../test/helpers/mcp";
import { useMoneyStandIns } from "../../../test/helpers/money-world";
import { db } from "../../db.server";
import type { AgentScope } from "../scopes";
import { reviewPayment } from "../../holds/review.server";

const standIns = useMoneyStandIns();
let shop: Awaited<ReturnType<typeof installShop>>;

beforeEach(async () => {
  shop = await installShop(standIns.shopify);
});

/** A flagged payment whose order the risk rules held (this app's fulfillment hold on it in Shopify). */
async function heldOrder(owner = shop) {
  const cko = standIns.checkout.state.createPayment({ amount: 9400, currency: "USD", flagged: true, capture: true });
  const order = createOrder(standIns.shopify, owner.domain);
  const payment = await createPayment(owner.shop.id, { ckoPaymentId: cko.fixture.id, reference: order.name, status: "Captured", capturedAmount: 9400 });
  expect(await reviewPayment(owner.shop.id, payment.id)).toBe("held");
  return { order, payment };
}

const clientFor = async (shopId: string, scopes?: AgentScope[]) =>
  mcpClient((await agentToken(shopId, { name: scopes ? "Read-only bot" : "Risk bot", scopes })).token);

describe("release_hold", () => {
  it("releases the hold: our fulfillment hold comes off in Shopify, with the note as the reason, once", async () => {
    const { order, payment } = await heldOrder();
    expect(holdsOn(standIns.shopify, order.id).ours).toHaveLength(1);
    const client = await clientFor(shop.shop.id);
    const released = await callTool(client, "release_hold", { payment: payment.ckoPaymentId, note: "Called the customer: genuine" });
    expect(released.isError, released.text).toBe(false);
    expect(released.data).toEqual({ paymentId: payment.ckoPaymentId, order: { id: order.id, name: order.name }, status: "released", repeated: false });
    expect(released.text).toContain(`Released 1 fulfillment hold on ${order.name}.`);
    expect(holdsOn(standIns.shopify, order.id).ours).toHaveLength(0);
    expect(standIns.shopify.store.requireOrder(order.id).fulfillmentOrders[0].status).toBe("OPEN");
    expect(await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } })).toMatchObject({
      status: "released",
      resolvedBy: "Risk bot",
      note: "Called the customer: genuine",
    });
    expect(await db().auditLog.findFirst({ where: { shopId: shop.shop.id, action: "hold.release" } })).toMatchObject({
      actor: "Risk bot",
      source: "agent",
      result: "ok",
    });

    const again = await callTool(client, "release_hold", { payment: order.name });
    expect(again.data).toMatchObject({ repeated: true });
    expect(await db().paymentActivity.count({ where: { paymentId: payment.id, type: "hold_released" } })).toBe(1);
  });

  it("refuses a payment without a hold, a token without the holds scope, and another shop's hold", async () => {
    const { order, payment } = await heldOrder();
    const unheld = await createPayment(shop.shop.id, { riskFlagged: false });
    const client = await clientFor(shop.shop.id);
    expect((await callTool(client, "release_hold", { payment: unheld.ckoPaymentId })).text).toContain("has no risk hold");

    const readOnly = await callTool(await clientFor(shop.shop.id, ["read"]), "release_hold", { payment: payment.ckoPaymentId });
    expect(readOnly).toMatchObject({ isError: true, text: expect.stringContaining('lacks the "holds" scope') });

    const other = await installShop(standIns.shopify);
    const stranger = await callTool(await clientFor(other.shop.id), "release_hold", { payment: payment.ckoPaymentId });
    expect(stranger).toMatchObject({ isError: true, text: expect.stringContaining("no Checkout.com payment") });
    expect(holdsOn(standIns.shopify, order.id).ours).toHaveLength(1);
    expect((await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } })).status).toBe("held");
  });
});

describe("the deny list", () => {
  it("adds an entry once and removes it by kind and value", async () => {
    const client = await clientFor(shop.shop.id);
    const added = await callTool(client, "add_to_deny_list", { kind: "email", value: "Fraud@Example.com", note: "Chargebacks on three orders" });
    expect(added.isError, added.text).toBe(false);
    expect(added.data).toEqual({ kind: "email", value: "fraud@example.com", changed: true });
    expect((await callTool(client, "add_to_deny_list", { kind: "email", value: "fraud@example.com" })).data).toMatchObject({ changed: false });
    expect(await db().listEntry.findMany({ where: { shopId: shop.shop.id } })).toMatchObject([
      { list: "deny", kind: "email", value: "fraud@example.com", note: "Chargebacks on three orders", createdBy: "Risk bot" },
    ]);

    const removed = await callTool(client, "remove_from_deny_list", { kind: "email", value: "FRAUD@example.com" });
    expect(removed.data).toEqual({ kind: "email", value: "fraud@example.com", changed: true });
    expect(await db().listEntry.count({ where: { shopId: shop.shop.id } })).toBe(0);
    const again = await callTool(client, "remove_from_deny_list", { kind: "email", value: "fraud@example.com" });
    expect(again).toMatchObject({ isError: false, data: { changed: false } });
    const listChanges = await db().auditLog.findMany({ where: { shopId: shop.shop.id, action: { in: ["list.add", "list.remove"] } } });
    expect(listChanges.length).toBeGreaterThanOrEqual(2);
    expect(listChanges.every((entry) => entry.source === "agent" && entry.actor === "Risk bot")).toBe(true);
  });

  it("refuses a malformed value, a token without the risk_lists scope, and never touches another shop's list", async () => {
    const client = await clientFor(shop.shop.id);
    const malformed = await callTool(client, "add_to_deny_list", { kind: "bin", value: "42" });
    expect(malformed).toMatchObject({ isError: true, text: "A BIN is the first 6 or 8 digits of the card number." });

    const readOnly = await callTool(await clientFor(shop.shop.id, ["read"]), "add_to_deny_list", { kind: "bin", value: "424242" });
    expect(readOnly).toMatchObject({ isError: true, text: expect.stringContaining('lacks the "risk_lists" scope') });

    await callTool(client, "add_to_deny_list", { kind: "bin", value: "424242" });
    const other = await installShop(standIns.shopify);
    const stranger = await callTool(await clientFor(other.shop.id), "remove_from_deny_list", { kind: "bin", value: "424242" });
    expect(stranger.data).toMatchObject({ changed: false });
    expect(await db().listEntry.count({ where: { shopId: shop.shop.id, kind: "bin", value: "424242" } })).toBe(1);
  });
});
