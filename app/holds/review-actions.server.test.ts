// The review queue's actions against both stand-ins: release touches only our holds, cancel voids or
// refunds once however often it is clicked, deny-listing and notes, all audited and shop-scoped.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { say } from "../i18n/i18n";
import type { CheckoutStandIn } from "../../test/standins/checkout/server";
import { useMoneyStandIns } from "../../test/helpers/money-world";
import { createOrder, createPayment, holdsOn, installShop, type ShopifyStandIn } from "../../test/helpers/holds";
import {
  addHoldNote,
  assignHold,
  assignHolds,
  cancelHeldOrder,
  cancelHeldOrders,
  denyFromHold,
  releaseHold,
  releaseHolds,
  type Reviewer,
} from "./review-actions.server";
import { reviewPayment } from "./review.server";

let shopify: ShopifyStandIn;
let checkout: CheckoutStandIn;
let shop: Awaited<ReturnType<typeof installShop>>;
let reviewer: Reviewer;

const standIns = useMoneyStandIns();
beforeEach(async () => {
  ({ shopify, checkout } = standIns);
  shop = await installShop(shopify);
  reviewer = { shopId: shop.shop.id, shop: shop.domain, actor: "Sam Owner <owner@example.com>" };
});

/** A held order whose payment exists at Checkout.com: captured (refund on cancel) or only authorised (void). */
async function heldOrder(options: { captured?: boolean; shopOf?: typeof shop } = {}) {
  const owner = options.shopOf ?? shop;
  const captured = options.captured ?? true;
  const cko = checkout.state.createPayment({ amount: 9400, currency: "USD", flagged: true, capture: captured || undefined });
  const order = createOrder(shopify, owner.domain);
  const payment = await createPayment(owner.shop.id, {
    ckoPaymentId: cko.fixture.id,
    reference: order.name,
    status: captured ? "Captured" : "Authorized",
    capturedAmount: captured ? 9400 : 0,
  });
  expect(await reviewPayment(owner.shop.id, payment.id)).toBe("held");
  const hold = await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } });
  return { order, payment, hold, cko };
}

const actionsAtCheckout = (ckoPaymentId: string, type: string) => checkout.state.payment("shop_a", ckoPaymentId).actions.filter((a) => a.type === type);

const auditOf = (holdId: string, action: string) =>
  db()
    .auditLog.findMany({ where: { action }, orderBy: { createdAt: "asc" } })
    .then((rows) => rows.filter((r) => JSON.parse(r.details).holdId === holdId));

describe("release", () => {
  it("releases only this app's holds: another app's and staff holds stay", async () => {
    const { order, hold } = await heldOrder();
    const fo = order.fulfillmentOrders[0];
    const otherApp = shopify.store.registerApp({ apiKey: "another-app", title: "Another fraud app" });
    shopify.store.addHold(fo.id, {
      handle: "theirs",
      reason: "HIGH_RISK_OF_FRAUD",
      reasonNotes: null,
      appId: otherApp.id,
      externalId: null,
      notifyMerchant: false,
    });
    shopify.store.addHold(fo.id, { handle: "", reason: "OTHER", reasonNotes: "Staff check", appId: null, externalId: null, notifyMerchant: false });

    const result = await releaseHold(reviewer, hold.id);
    expect(result).toMatchObject({ ok: true, message: `Released 1 fulfillment hold on ${order.name}.` });
    const { ours, others } = holdsOn(shopify, order.id);
    expect(ours).toHaveLength(0);
    expect(others.map((h) => h.handle).sort()).toEqual(["", "theirs"]);
    expect(others.every((h) => h.status === "ON_HOLD")).toBe(true);

    expect(await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).toMatchObject({ status: "released", resolvedBy: reviewer.actor });
    const [entry] = await auditOf(hold.id, "hold.release");
    expect(entry).toMatchObject({ actor: reviewer.actor, source: "admin", result: "ok", orderGid: order.id });
  });

  it("reopens the fulfillment order when ours was the only hold, and a second click changes nothing", async () => {
    const { order, hold } = await heldOrder();
    expect((await releaseHold(reviewer, hold.id)).ok).toBe(true);
    expect(shopify.store.requireOrder(order.id).fulfillmentOrders[0].status).toBe("OPEN");
    const again = await releaseHold(reviewer, hold.id);
    expect(again).toMatchObject({ ok: true, repeated: true });
    expect(await db().paymentActivity.count({ where: { paymentId: hold.paymentId, type: "hold_released" } })).toBe(1);
    expect((await auditOf(hold.id, "hold.release")).map((e) => JSON.parse(e.details).repeated)).toEqual([false, true]);
  });

  it("cleans up: our tag comes off and a LOW risk assessment records who released it and why, once", async () => {
    const { order, hold } = await heldOrder();
    const before = shopify.store.requireOrder(order.id);
    expect(before.tags).toContain("checkout-risk-hold");
    const ours = (o: typeof before) => o.riskAssessments.filter((a) => a.providerAppId === shopify.app.id);
    expect(ours(before).map((a) => a.riskLevel)).toEqual(["HIGH"]);
    await addHoldNote(reviewer, hold.id, "Called the customer: genuine order");

    expect((await releaseHold(reviewer, hold.id)).ok).toBe(true);
    expect((await releaseHold(reviewer, hold.id)).ok).toBe(true);
    const after = shopify.store.requireOrder(order.id);
    expect(after.tags).not.toContain("checkout-risk-hold");
    expect(ours(after).map((a) => a.riskLevel)).toEqual(["HIGH", "LOW"]);
    const [, cleared] = ours(after);
    expect(cleared.facts[0]).toEqual({
      sentiment: "POSITIVE",
      description: `Released by ${reviewer.actor} after a risk review: Called the customer: genuine order`,
    });
  });

  it("handles a double submit: both answer, one release", async () => {
    const { order, hold } = await heldOrder();
    const results = await Promise.all([releaseHold(reviewer, hold.id), releaseHold(reviewer, hold.id)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(holdsOn(shopify, order.id).ours).toHaveLength(0);
    expect(await db().paymentActivity.count({ where: { paymentId: hold.paymentId, type: "hold_released" } })).toBe(1);
  });

  it("releases in bulk, each hold on its own", async () => {
    const a = await heldOrder();
    const b = await heldOrder();
    const results = await releaseHolds(reviewer, [a.hold.id, b.hold.id]);
    expect(results.done.map((r) => r.id)).toEqual([a.hold.id, b.hold.id]);
    expect(results.skipped).toEqual([]);
    expect(holdsOn(shopify, a.order.id).ours).toHaveLength(0);
    expect(holdsOn(shopify, b.order.id).ours).toHaveLength(0);
  });

  it("in bulk, leaves holds decided meanwhile alone and says so", async () => {
    const a = await heldOrder();
    const b = await heldOrder();
    const other = await installShop(shopify);
    const theirs = await heldOrder({ shopOf: other });
    await cancelHeldOrder({ ...reviewer, actor: "Kim Finance" }, b.hold.id);

    const results = await releaseHolds(reviewer, [a.hold.id, b.hold.id, theirs.hold.id]);
    expect(results.done.map((r) => r.id)).toEqual([a.hold.id]);
    expect(results.skipped).toEqual([
      {
        id: b.hold.id,
        orderName: b.order.name,
        why: `${b.order.name} was canceled by Kim Finance meanwhile.`,
        whyWords: { key: "holds.meanwhile.canceledBy", values: { order: b.order.name, by: "Kim Finance" } },
      },
    ]);
    expect(results.failed).toEqual([
      {
        id: theirs.hold.id,
        orderName: "an unknown hold",
        orderWords: { key: "holds.unknownHold" },
        message: "This hold does not exist in this shop.",
        words: { key: "holds.notFound" },
      },
    ]);
    // The reasons in a reviewer's language; English reads as the English message.
    expect(say("de", results.skipped[0].whyWords!)).toBe(`${b.order.name} wurde inzwischen von Kim Finance storniert.`);
    expect(say("en", results.skipped[0].whyWords!)).toBe(results.skipped[0].why);
    expect(say("fr", results.failed[0].words!)).toBe("Ce blocage n'existe pas dans cette boutique.");
    expect(holdsOn(shopify, theirs.order.id).ours).toHaveLength(1);
    expect(await db().hold.findUniqueOrThrow({ where: { id: b.hold.id } })).toMatchObject({ status: "canceled" });
  });

  it("does not release holds of canceled orders", async () => {
    const { hold } = await heldOrder();
    await cancelHeldOrder(reviewer, hold.id);
    expect(await releaseHold(reviewer, hold.id)).toMatchObject({ ok: false });
  });
});

describe("cancel the order and give the money back", () => {
  it("cancels in Shopify (reason FRAUD, no Shopify refund) and refunds a captured payment on Checkout.com", async () => {
    const { order, hold, payment } = await heldOrder({ captured: true });
    const result = await cancelHeldOrder(reviewer, hold.id);
    expect(result).toMatchObject({ ok: true, message: `Order ${order.name} canceled. Refund of USD 94.00 requested directly at Checkout.com.` });
    const after = shopify.store.requireOrder(order.id);
    expect(after.cancelledAt).not.toBeNull();
    expect(after.cancelReason).toBe("FRAUD");
    expect(after.cancellation).toMatchObject({ refund: false, restock: true, notifyCustomer: false });
    expect(actionsAtCheckout(payment.ckoPaymentId, "Refund")).toHaveLength(1);
    expect(actionsAtCheckout(payment.ckoPaymentId, "Refund")[0].amount).toBe(9400);
    expect(await db().moneyAction.findMany({ where: { paymentId: payment.id } })).toMatchObject([
      { kind: "refund", amount: 9400, status: "accepted", requestedBy: reviewer.actor },
    ]);
    expect(await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).toMatchObject({ status: "canceled", resolvedBy: reviewer.actor });
  });

  it("leaves a HIGH risk assessment with the reason on the canceled order, once", async () => {
    const { order, hold } = await heldOrder();
    await Promise.all([cancelHeldOrder(reviewer, hold.id), cancelHeldOrder(reviewer, hold.id)]);
    const levels = shopify.store.requireOrder(order.id).riskAssessments.filter((a) => a.providerAppId === shopify.app.id);
    expect(levels.map((a) => a.riskLevel)).toEqual(["HIGH", "HIGH"]);
    expect(levels[1].facts[0].description).toBe(`Canceled by ${reviewer.actor} after a risk review: fraud`);
  });

  it("does nothing twice on a double click or a retry", async () => {
    const { order, hold, payment } = await heldOrder({ captured: true });
    const results = await Promise.all([cancelHeldOrder(reviewer, hold.id), cancelHeldOrder(reviewer, hold.id)]);
    expect(results.every((r) => r.ok)).toBe(true);
    const retry = await cancelHeldOrder(reviewer, hold.id);
    expect(retry).toMatchObject({
      ok: true,
      repeated: true,
      message: `Order ${order.name} was already canceled, and the refund of USD 94.00 was already requested.`,
    });
    expect(actionsAtCheckout(payment.ckoPaymentId, "Refund")).toHaveLength(1);
    expect(await db().moneyAction.count({ where: { paymentId: payment.id } })).toBe(1);
    expect(shopify.store.requireOrder(order.id).cancelledAt).not.toBeNull();
    expect(await db().paymentActivity.count({ where: { paymentId: payment.id, type: "order_canceled" } })).toBe(1);
    expect(await auditOf(hold.id, "order.cancel")).toHaveLength(3);
  });

  it("voids a payment that was only authorised", async () => {
    const { order, hold, payment } = await heldOrder({ captured: false });
    const result = await cancelHeldOrder(reviewer, hold.id);
    expect(result).toMatchObject({ ok: true, message: `Order ${order.name} canceled. Void requested directly at Checkout.com.` });
    expect(actionsAtCheckout(payment.ckoPaymentId, "Void")).toHaveLength(1);
    expect(actionsAtCheckout(payment.ckoPaymentId, "Refund")).toHaveLength(0);
  });

  it("reports Shopify's refusal and moves no money", async () => {
    const { order, hold, payment } = await heldOrder({ captured: true });
    shopify.store.fulfillOrder(order.id);
    const result = await cancelHeldOrder(reviewer, hold.id);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/fulfilled items/);
    expect(actionsAtCheckout(payment.ckoPaymentId, "Refund")).toHaveLength(0);
    expect((await auditOf(hold.id, "order.cancel"))[0]).toMatchObject({ result: "error" });
    expect((await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).status).toBe("held");
  });
});

describe("bulk cancel", () => {
  it("cancels each still-undecided order once, refunding each payment once, and reports the released one", async () => {
    const a = await heldOrder();
    const b = await heldOrder({ captured: false });
    const c = await heldOrder();
    await releaseHold(reviewer, c.hold.id);

    const first = await cancelHeldOrders(reviewer, [a.hold.id, b.hold.id, c.hold.id]);
    expect(first.done.map((r) => r.id)).toEqual([a.hold.id, b.hold.id]);
    expect(first.skipped.map((r) => r.id)).toEqual([c.hold.id]);
    const again = await cancelHeldOrders(reviewer, [a.hold.id, b.hold.id]);
    expect(again.done).toEqual([]);
    expect(again.skipped).toHaveLength(2);

    expect(actionsAtCheckout(a.payment.ckoPaymentId, "Refund")).toHaveLength(1);
    expect(actionsAtCheckout(b.payment.ckoPaymentId, "Void")).toHaveLength(1);
    expect(shopify.store.requireOrder(c.order.id).cancelledAt).toBeNull();
    expect((await auditOf(a.hold.id, "order.cancel")).length).toBe(1);
  });
});

describe("assignment", () => {
  const staff = (userId: string, name: string, role: string | null) =>
    db().staffMember.create({ data: { shopId: shop.shop.id, userId, name, email: `${userId}@example.com`, role } });

  it("assigns undecided holds to a reviewer of this shop, once, and unassigns", async () => {
    await staff("101", "Rita Reviewer", "reviewer");
    const { hold } = await heldOrder();
    expect(await assignHold(reviewer, hold.id, "101")).toMatchObject({ ok: true, message: expect.stringContaining("Rita Reviewer") });
    expect(await assignHold(reviewer, hold.id, "101")).toMatchObject({ ok: true, repeated: true });
    expect(await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).toMatchObject({
      assigneeUserId: "101",
      assigneeName: "Rita Reviewer",
      assignedBy: reviewer.actor,
    });
    expect(await auditOf(hold.id, "hold.assign")).toHaveLength(2);
    expect(await assignHold(reviewer, hold.id, null)).toMatchObject({ ok: true });
    expect(await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).toMatchObject({ assigneeUserId: null, assigneeName: null });
  });

  it("refuses viewers, strangers and other shops' staff, and decided holds", async () => {
    await staff("102", "Vic Viewer", "viewer");
    const other = await installShop(shopify);
    await db().staffMember.create({ data: { shopId: other.shop.id, userId: "103", name: "Olga Other", role: "admin" } });
    const { hold } = await heldOrder();
    for (const userId of ["102", "103", "999"]) {
      expect(await assignHold(reviewer, hold.id, userId)).toMatchObject({ ok: false, message: expect.stringContaining("Reviewer role") });
    }
    await releaseHold(reviewer, hold.id);
    expect(await assignHold(reviewer, hold.id, null)).toMatchObject({ ok: false, message: expect.stringContaining("released") });
    expect((await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).assigneeUserId).toBeNull();
  });

  it("assigns in bulk, skipping holds decided meanwhile", async () => {
    await staff("101", "Rita Reviewer", "finance");
    const a = await heldOrder();
    const b = await heldOrder();
    await releaseHold(reviewer, b.hold.id);
    const result = await assignHolds(reviewer, [a.hold.id, b.hold.id], "101");
    expect(result.done.map((r) => r.id)).toEqual([a.hold.id]);
    expect(result.skipped.map((r) => r.id)).toEqual([b.hold.id]);
  });
});

describe("deny list and notes", () => {
  it("adds the email, customer or card once", async () => {
    const { hold, payment } = await heldOrder();
    expect(await denyFromHold(reviewer, hold.id, "email")).toMatchObject({ ok: true, message: "Email added to the deny list." });
    expect(await denyFromHold(reviewer, hold.id, "email")).toMatchObject({ ok: true, repeated: true });
    expect(await denyFromHold(reviewer, hold.id, "customer")).toMatchObject({ ok: true });
    expect(await denyFromHold(reviewer, hold.id, "card")).toMatchObject({ ok: true });
    const entries = await db().listEntry.findMany({ where: { shopId: shop.shop.id }, orderBy: { kind: "asc" } });
    expect(entries.map((e) => [e.list, e.kind, e.value, e.createdBy])).toEqual([
      ["deny", "card_fingerprint", payment.cardFingerprint, reviewer.actor],
      ["deny", "customer", payment.ckoCustomerId, reviewer.actor],
      ["deny", "email", "ada@example.com", reviewer.actor],
    ]);
    expect(await auditOf(hold.id, "list.deny")).toHaveLength(4);
  });

  it("says so when the payment has no such value", async () => {
    const order = createOrder(shopify, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name, ckoCustomerId: null });
    await reviewPayment(shop.shop.id, payment.id);
    const hold = await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } });
    expect(await denyFromHold(reviewer, hold.id, "customer")).toMatchObject({ ok: false });
  });

  it("saves a note and records it in the audit log", async () => {
    const { hold } = await heldOrder();
    expect(await addHoldNote(reviewer, hold.id, "  Called the customer; address confirmed.  ")).toMatchObject({ ok: true });
    expect((await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).note).toBe("Called the customer; address confirmed.");
    const [entry] = await auditOf(hold.id, "hold.note");
    expect(JSON.parse(entry.details).note).toBe("Called the customer; address confirmed.");
    expect(await addHoldNote(reviewer, hold.id, "   ")).toMatchObject({ ok: false });
  });
});

describe("in the reviewer's language", () => {
  it("gives every answer words that read in English exactly as its message, and in German and French", async () => {
    const { hold, order } = await heldOrder();
    const answers = [
      await addHoldNote(reviewer, hold.id, " "),
      await addHoldNote(reviewer, hold.id, "x".repeat(5000)),
      await addHoldNote(reviewer, hold.id, "Called the customer."),
      await denyFromHold(reviewer, hold.id, "email"),
      await denyFromHold(reviewer, hold.id, "email"),
      await assignHold(reviewer, hold.id, "1", [{ userId: "101", name: "Rita Reviewer" }]),
      await assignHold(reviewer, hold.id, "101", [{ userId: "101", name: "Rita Reviewer" }]),
      await assignHold(reviewer, hold.id, "101", [{ userId: "101", name: "Rita Reviewer" }]),
      await assignHold(reviewer, hold.id, null, [{ userId: "101", name: "Rita Reviewer" }]),
      await releaseHold(reviewer, hold.id),
      await releaseHold(reviewer, hold.id),
      await cancelHeldOrder(reviewer, hold.id),
      await assignHold(reviewer, hold.id, null, [{ userId: "101", name: "Rita Reviewer" }]),
    ];
    for (const answer of answers) {
      expect(answer.words, answer.message).toBeDefined();
      expect(say("en", answer.words!)).toBe(answer.message);
    }
    const [empty, , saved, denied, , refused, assigned, , , released, , canceled, decided] = answers;
    expect(say("de", empty.words!)).toBe("Schreiben Sie zuerst eine Notiz.");
    expect(say("fr", saved.words!)).toBe("Note enregistrée.");
    expect(say("de", denied.words!)).toBe("Die E-Mail-Adresse wurde auf die Sperrliste gesetzt.");
    expect(say("fr", refused.words!)).toBe(
      "Les blocages ne peuvent être attribués qu'aux membres du personnel de cette boutique ayant le rôle Analyste ou supérieur.",
    );
    expect(say("de", assigned.words!)).toBe(`${order.name} wurde Rita Reviewer zugewiesen.`);
    expect(released.message).toBe(`Released 1 fulfillment hold on ${order.name}.`);
    expect(say("de", released.words!)).toBe(`1 Ausführungssperre für ${order.name} freigegeben.`);
    expect(say("fr", canceled.words!)).toBe("Ce blocage a été libéré ; annulez la commande dans Shopify si nécessaire.");
    expect(say("de", decided.words!)).toBe("Diese Sperre wurde bereits freigegeben; es gibt nichts mehr zuzuweisen.");
    // The audit log keeps the English.
    const [note] = await auditOf(hold.id, "hold.note");
    expect(note.error).toBe("Write a note first.");
  });
});

describe("tenancy", () => {
  it("a reviewer of another shop can neither see nor act on this shop's hold", async () => {
    const { order, hold, payment } = await heldOrder();
    const other = await installShop(shopify);
    const outsider: Reviewer = { shopId: other.shop.id, shop: other.domain, actor: "staff:999" };
    for (const attempt of [
      releaseHold(outsider, hold.id),
      cancelHeldOrder(outsider, hold.id),
      denyFromHold(outsider, hold.id, "email"),
      addHoldNote(outsider, hold.id, "mine now"),
    ]) {
      expect(await attempt).toMatchObject({ ok: false, notFound: true });
    }
    expect(await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).toMatchObject({ status: "held", note: null });
    expect(holdsOn(shopify, order.id).ours).toHaveLength(1);
    expect(shopify.store.requireOrder(order.id).cancelledAt).toBeNull();
    expect(await db().listEntry.count({ where: { shopId: other.shop.id } })).toBe(0);
    expect(await db().moneyAction.count({ where: { paymentId: payment.id } })).toBe(0);
    // The attempts are audited in the outsider's own shop, never in this one.
    expect(await db().auditLog.count({ where: { shopId: other.shop.id, result: "error" } })).toBe(4);
    expect(await db().auditLog.count({ where: { shopId: shop.shop.id, actor: "staff:999" } })).toBe(0);
  });
});
