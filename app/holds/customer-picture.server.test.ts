// The hold page's picture of a customer: this payment's checks in words, and the same customer's other
// payments here (by email, card or Checkout.com customer), with their orders, holds, refunds and
// disputes; never this payment, never another shop's.
import type { Payment } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createConnectedShop } from "../../test/helpers/factories";
import { createPayment } from "../../test/helpers/holds";
import { customerPicture } from "./customer-picture.server";

let shop: Awaited<ReturnType<typeof createConnectedShop>>;
let shopId: string;
let otherShopId: string;
const CARD = "F31828E2BDABAE63EB694903825CDD36041CC6ED461440B81415895855502832";

beforeEach(async () => {
  shop = await createConnectedShop();
  shopId = shop.shop.id;
  otherShopId = (await createConnectedShop()).shop.id;
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const pictureOf = (payment: Payment) => customerPicture(payment.shopId, payment);

/** A Checkout.com event of the payment in the inbox, as the webhook pipeline stores it. */
async function storeEvent(payment: Payment, data: Record<string, unknown>) {
  const eventId = `evt_${payment.id.replaceAll("-", "").slice(0, 20)}`;
  await db().webhookEvent.create({
    data: {
      shopId: payment.shopId,
      connectionId: shop.connection.id,
      eventId,
      type: "payment_approved",
      ckoPaymentId: payment.ckoPaymentId,
      payload: JSON.stringify({ id: eventId, type: "payment_approved", data: { id: payment.ckoPaymentId, ...data } }),
      status: "processed",
    },
  });
}

describe("the checks", () => {
  it("says what AVS, CVV and 3-D Secure answered, and which countries differ from shipping", async () => {
    const payment = await createPayment(shopId, {
      avsCheck: "n",
      cvvCheck: "Y",
      threeDs: JSON.stringify({ enrolled: "Y", authentication_response: "A" }),
      cardCountry: "NG",
      billingCountry: "us",
      shippingCountry: "US",
    });
    await storeEvent(payment, { metadata: { ip_country: "gh" } });
    const { checks } = await pictureOf(payment);
    expect(checks.avs).toEqual({ code: "N", result: "neither", warning: true });
    expect(checks.cvv).toEqual({ code: "Y", result: "match", warning: false });
    expect(checks.threeDs).toEqual({ used: true, outcome: "attempted", warning: true });
    expect(checks.cardCountry).toEqual({ value: "NG", differs: true });
    expect(checks.billingCountry).toEqual({ value: "US", differs: false });
    expect(checks.ipCountry).toEqual({ value: "GH", differs: true });
    expect(checks.shippingCountry).toBe("US");
    expect(checks.ipAddress).toBe("203.0.113.10");
  });

  it.each([
    // AVS, CVV, 3-D Secure as stored, then what each means (the page says it in words; null: an unknown code) and whether it warns.
    ["Y", "M", { enrolled: "Y", authentication_response: "Y" }, ["both_match", false], ["match", false], ["authenticated", false]],
    ["Z", "D", { enrolled: "N" }, ["postcode_only", true], ["no_match", true], ["not_enrolled", true]],
    ["A", "P", { enrolled: "Y", authentication_response: "N" }, ["street_only", true], ["not_processed", false], ["failed", true]],
    ["U", "U", { enrolled: "U" }, ["unavailable", false], ["issuer_unsupported", false], ["unavailable", true]],
    ["Q", "9", { version: "2.2.0" }, [null, false], [null, false], [null, false]],
  ])("AVS %s, CVV %s", async (avsCheck, cvvCheck, threeDs, avs, cvv, threeDsOutcome) => {
    const payment = await createPayment(shopId, { avsCheck, cvvCheck, threeDs: JSON.stringify(threeDs) });
    const { checks } = await pictureOf(payment);
    expect([checks.avs.result, checks.avs.warning]).toEqual(avs);
    expect([checks.cvv.result, checks.cvv.warning]).toEqual(cvv);
    expect([checks.threeDs.outcome, checks.threeDs.warning]).toEqual(threeDsOutcome);
    expect(checks.threeDs.used).toBe(true);
  });

  it("says what was not reported", async () => {
    const payment = await createPayment(shopId, { avsCheck: null, cvvCheck: null, threeDs: null, ipAddress: null, cardCountry: null });
    const { checks } = await pictureOf(payment);
    expect([checks.avs, checks.cvv, checks.threeDs, checks.ipAddress]).toEqual([
      { code: null, result: null, warning: false },
      { code: null, result: null, warning: false },
      { used: false, outcome: null, warning: false },
      null,
    ]);
    expect(checks.ipCountry).toEqual({ value: null, differs: false });
    expect(checks.cardCountry).toEqual({ value: null, differs: false });
  });
});

describe("the same customer's other payments", () => {
  it("finds them by email, card or customer id, newest first, marking held, refunded and disputed ones", async () => {
    const payment = await createPayment(shopId, { customerEmail: "ada@example.com", cardFingerprint: CARD, ckoCustomerId: "cus_ada" });
    const byEmail = await createPayment(shopId, {
      customerEmail: "ada@example.com",
      cardFingerprint: "OTHERCARD",
      ckoCustomerId: null,
      createdAt: minutesAgo(30),
    });
    const byCard = await createPayment(shopId, {
      customerEmail: "other@example.com",
      cardFingerprint: CARD,
      ckoCustomerId: null,
      createdAt: minutesAgo(20),
      status: "Refunded",
      refundedAmount: 4000,
    });
    const byCustomer = await createPayment(shopId, { customerEmail: null, cardFingerprint: null, ckoCustomerId: "cus_ada", createdAt: minutesAgo(10) });
    await createPayment(shopId, { customerEmail: "stranger@example.com", cardFingerprint: "STRANGER", ckoCustomerId: "cus_stranger" });
    await db().orderLink.create({
      data: { shopId, paymentId: byEmail.id, orderGid: "gid://shopify/Order/77", orderName: "#1077", matchedBy: "reference", confidence: "strong" },
    });
    const hold = await db().hold.create({
      data: { shopId, paymentId: byEmail.id, orderGid: "gid://shopify/Order/77", status: "released", externalId: `cko-companion-hold-${byEmail.id}` },
    });
    const dispute = await db().dispute.create({
      data: {
        shopId,
        ckoDisputeId: "dsp_ada_1",
        paymentId: byCard.id,
        amount: 9400,
        currency: "USD",
        status: "lost",
        category: "fraudulent",
        receivedOn: new Date("2026-01-03T14:05:00Z"),
      },
    });

    const picture = await pictureOf(payment);
    expect(picture.others.map((p) => p.id)).toEqual([byCustomer.id, byCard.id, byEmail.id]);
    expect(picture.others.map((p) => p.sharedBy)).toEqual([["customer"], ["card"], ["email"]]);
    expect(picture.others[2]).toMatchObject({
      order: { name: "#1077", gid: "gid://shopify/Order/77" },
      hold: { id: hold.id, status: "released" },
      refunded: null,
      disputed: false,
      amount: 9400,
      currency: "USD",
      at: byEmail.createdAt.toISOString(),
    });
    expect(picture.others[1]).toMatchObject({ status: "Refunded", refunded: 4000, currency: "USD", disputed: true, order: null, hold: null });
    expect(picture.others[0]).toMatchObject({ refunded: null, disputed: false, order: null, hold: null });
    expect(picture.disputes).toEqual([
      {
        id: dispute.id,
        ckoDisputeId: "dsp_ada_1",
        paymentId: byCard.id,
        status: "lost",
        reason: "fraudulent",
        amount: 9400,
        currency: "USD",
        at: "2026-01-03T14:05:00.000Z",
      },
    ]);
    expect(picture.totals).toEqual({ payments: 3, cards: 2, refunded: [{ minor: 4000, currency: "USD" }], disputes: 1, capped: false });
  });

  it("finds a payment that shares all three once, naming all three", async () => {
    const payment = await createPayment(shopId, { ckoCustomerId: "cus_all" });
    const twin = await createPayment(shopId, { ckoCustomerId: "cus_all", createdAt: minutesAgo(5) });
    const picture = await pictureOf(payment);
    expect(picture.others.map((p) => [p.id, p.sharedBy])).toEqual([[twin.id, ["email", "card", "customer"]]]);
    expect(picture.totals).toMatchObject({ payments: 1, cards: 1 });
  });

  it("shows the newest 20 but counts them all, refunds and disputes included", async () => {
    const payment = await createPayment(shopId);
    const older = [];
    for (let i = 0; i < 23; i++) older.push(await createPayment(shopId, { createdAt: minutesAgo(i + 1), refundedAmount: 100 }));
    // A dispute on the oldest payment, which is not shown, still counts.
    await db().dispute.create({ data: { shopId, ckoDisputeId: "dsp_oldest", paymentId: older[22].id, amount: 9400, currency: "USD", status: "won" } });
    const picture = await pictureOf(payment);
    expect(picture.others.map((p) => p.id)).toEqual(older.slice(0, 20).map((p) => p.id));
    expect(picture.totals).toEqual({ payments: 23, cards: 1, refunded: [{ minor: 2300, currency: "USD" }], disputes: 1, capped: false });
    expect(picture.disputes.map((d) => d.ckoDisputeId)).toEqual(["dsp_oldest"]);
  });

  it("says the counts are lower bounds past the payments it reads", async () => {
    const payment = await createPayment(shopId, { customerEmail: "busy@example.com", cardFingerprint: null, ckoCustomerId: null });
    await db().payment.createMany({
      data: Array.from({ length: 501 }, (_, i) => ({
        shopId,
        ckoPaymentId: `pay_busy${String(i).padStart(22, "0")}`,
        amount: 100,
        currency: "USD",
        status: "Captured",
        customerEmail: "busy@example.com",
        createdAt: minutesAgo(i + 1),
      })),
    });
    const picture = await pictureOf(payment);
    expect(picture.others).toHaveLength(20);
    // The newest 500 by email were read (this payment and 500 others of 501): a lower bound.
    expect(picture.totals).toMatchObject({ payments: 500, capped: true });
    expect(picture.others[0].ckoPaymentId).toBe(`pay_busy${"0".repeat(22)}`);
  });

  it("never shows another shop's payments or disputes, even with the same email, card and customer", async () => {
    const payment = await createPayment(shopId, { ckoCustomerId: "cus_same" });
    // Same email (ada@example.com), card fingerprint and Checkout.com customer, in shop B.
    const theirs = await createPayment(otherShopId, { ckoCustomerId: "cus_same", refundedAmount: 100 });
    await db().dispute.create({
      data: { shopId: otherShopId, ckoDisputeId: "dsp_theirs", paymentId: theirs.id, amount: 9400, currency: "USD", status: "won" },
    });
    const picture = await pictureOf(payment);
    expect(picture.others).toEqual([]);
    expect(picture.disputes).toEqual([]);
    expect(picture.totals).toEqual({ payments: 0, cards: 0, refunded: [], disputes: 0, capped: false });

    // And shop B's view of its payment does not see shop A's.
    const fromB = await pictureOf(theirs);
    expect(fromB.others).toEqual([]);
  });

  it("refuses to look another shop's payment up", async () => {
    const theirs = await createPayment(otherShopId);
    await expect(customerPicture(shopId, theirs)).rejects.toThrow(/another shop/);
  });

  it("has nothing to look up for a payment without email, card or customer", async () => {
    await createPayment(shopId, { customerEmail: null, cardFingerprint: null, ckoCustomerId: null });
    const payment = await createPayment(shopId, { customerEmail: null, cardFingerprint: null, ckoCustomerId: null });
    const picture = await pictureOf(payment);
    expect(picture.others).toEqual([]);
    expect(picture.totals.payments).toBe(0);
  });
});
