// The admin Payments page's refund, capture and void, as the embedded admin calls them: the server
// checks the staff member's role (a viewer's refund is refused, not only hidden), the shop (another
// shop's payment is a 404), the input (400 with the reason), and a double submit is one refund.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { resetEnvForTests } from "../env.server";
import { createCheckoutStandIn, type CheckoutStandIn } from "../../test/standins/checkout/server";
import { nasAccount } from "../../test/standins/checkout/testing";
import { installShop, startShopifyStandIn, type ShopifyStandIn } from "../../test/helpers/holds";
import { TEST_APP_URL } from "../../test/helpers/env";
import { seedStaff, sessionToken } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import * as route from "./app.payments.$id";

let world: ReturnType<typeof startShopifyStandIn>;
let shopify: ShopifyStandIn;
let checkout: CheckoutStandIn;

beforeAll(async () => {
  world = startShopifyStandIn();
  shopify = world.standIn;
  checkout = await createCheckoutStandIn({ accounts: [nasAccount()] });
  process.env.CHECKOUT_API_BASE_URL = checkout.url;
  resetEnvForTests();
});
afterAll(async () => {
  world.close();
  await checkout.stop();
  delete process.env.CHECKOUT_API_BASE_URL;
  resetEnvForTests();
});

const OWNER = 74_000_001;
const VIEWER = 74_000_051;
const REVIEWER = 74_000_052;
const FINANCE = 74_000_053;
const GERMAN_FINANCE = 74_000_054;

let shop: Awaited<ReturnType<typeof installShop>>;
let other: Awaited<ReturnType<typeof installShop>>;

beforeEach(async () => {
  shop = await installShop(shopify);
  other = await installShop(shopify);
  await seedStaff(shop.domain, { userId: OWNER, role: "owner" });
  await seedStaff(shop.domain, { userId: VIEWER, role: "viewer" });
  await seedStaff(shop.domain, { userId: REVIEWER, role: "reviewer" });
  await seedStaff(shop.domain, { userId: FINANCE, role: "finance" });
  await seedStaff(shop.domain, { userId: GERMAN_FINANCE, role: "finance", locale: "de" });
  await seedStaff(other.domain, { userId: OWNER, role: "owner" });
});

/** A captured EUR 100.00 payment of `shopId`, known to Checkout.com, with no Shopify order. */
async function payment(shopId: string) {
  const stored = checkout.state.createPayment({ amount: 10_000, currency: "EUR", capture: true });
  return db().payment.create({
    data: { shopId, ckoPaymentId: stored.fixture.id, amount: 10_000, currency: "EUR", status: "Captured", capturedAmount: 10_000 },
  });
}

function post(domain: string, userId: number, paymentId: string, form: Record<string, string>) {
  return callAction(
    route.action,
    new Request(`${TEST_APP_URL}/app/payments/${paymentId}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sessionToken(domain, { userId })}` },
      body: new URLSearchParams(form),
    }),
    { id: paymentId },
  );
}

const refundForm = (overrides: Record<string, string> = {}) => ({
  intent: "refund",
  requestId: "3c2f6b1e-9d4a-4b8e-8f1a-2b7c5d9e0a11",
  amount: "25.00",
  reason: "Item returned",
  ...overrides,
});
const refundsAt = (ckoPaymentId: string) => checkout.requests.filter((r) => r.method === "POST" && r.path === `/payments/${ckoPaymentId}/refunds`);

describe("who may move money from the Payments page", () => {
  it.each([
    ["a viewer", VIEWER],
    ["a reviewer", REVIEWER],
  ])("refuses %s's refund on the server with 403, sending nothing", async (_who, userId) => {
    const p = await payment(shop.shop.id);
    const response = await post(shop.domain, userId, p.id, refundForm());
    expect(response.status).toBe(403);
    expect((await response.json()).message).toMatch(/does not allow this.*Finance/);
    expect(refundsAt(p.ckoPaymentId)).toHaveLength(0);
    expect(await db().moneyAction.count({ where: { paymentId: p.id } })).toBe(0);
  });

  it("lets finance and the owner refund, once per request however often it is sent", async () => {
    const p = await payment(shop.shop.id);
    const [a, b] = await Promise.all([post(shop.domain, FINANCE, p.id, refundForm()), post(shop.domain, FINANCE, p.id, refundForm())]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await a.json()).message).toMatch(/^Refund of EUR 25.00 directly at Checkout.com/);
    const owner = await post(shop.domain, OWNER, p.id, refundForm({ requestId: "0b6f0a5e-1f2c-4d3e-9a8b-7c6d5e4f3a21", amount: "10.00" }));
    expect(owner.status).toBe(200);
    expect(refundsAt(p.ckoPaymentId).filter((r) => r.status === 202)).toHaveLength(2);
    const actions = await db().moneyAction.findMany({ where: { paymentId: p.id }, orderBy: { amount: "asc" } });
    expect(actions.map((a) => [a.amount, a.source, a.requestedBy])).toEqual([
      [1_000, "admin", `Sam Owner <staff${OWNER}@example.com>`],
      [2_500, "admin", `Sam Staff <staff${FINANCE}@example.com>`],
    ]);
  });

  it("shows a viewer the page without the money actions", async () => {
    const p = await payment(shop.shop.id);
    const response = await callAction(
      route.loader,
      new Request(`${TEST_APP_URL}/app/payments/${p.id}`, { headers: { Authorization: `Bearer ${sessionToken(shop.domain, { userId: VIEWER })}` } }),
      { id: p.id },
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ canMoveMoney: false, plan: { via: "checkout", limits: { refundable: 10_000 } } });
  });
});

describe("bad input and other shops", () => {
  it("refuses another shop's payment with 404", async () => {
    const theirs = await payment(other.shop.id);
    const response = await post(shop.domain, OWNER, theirs.id, refundForm());
    expect(response.status).toBe(404);
    expect(refundsAt(theirs.ckoPaymentId)).toHaveLength(0);
  });

  it.each([
    ["no reason", refundForm({ reason: "" }), /Choose a reason/],
    ["a malformed amount", refundForm({ amount: "25,00.5" }), /plain number/],
    ["more decimals than the currency has", refundForm({ amount: "25.001" }), /EUR has 2 decimal places/],
    ["no request id", refundForm({ requestId: "" }), /Reload the page/],
    ["an unknown intent", { intent: "chargeback", requestId: "3c2f6b1e-9d4a-4b8e-8f1a-2b7c5d9e0a11" }, /Invalid discriminator/],
  ])("answers 400 for %s, sending nothing", async (_what, form, message) => {
    const p = await payment(shop.shop.id);
    const response = await post(shop.domain, OWNER, p.id, form);
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(message);
    expect(refundsAt(p.ckoPaymentId)).toHaveLength(0);
  });

  it("answers 422 with the reason for more than is refundable, and for a void of a captured payment", async () => {
    const p = await payment(shop.shop.id);
    const tooMuch = await post(shop.domain, OWNER, p.id, refundForm({ amount: "100.01" }));
    expect(tooMuch.status).toBe(422);
    expect((await tooMuch.json()).message).toBe("At most EUR 100.00 can be refunded.");
    const voided = await post(shop.domain, OWNER, p.id, { intent: "void", requestId: "3c2f6b1e-9d4a-4b8e-8f1a-2b7c5d9e0a11" });
    expect(voided.status).toBe(422);
    expect((await voided.json()).message).toMatch(/Only an authorised payment/);
    expect(refundsAt(p.ckoPaymentId)).toHaveLength(0);
  });
});

describe("in the staff member's language", () => {
  it("answers a German finance member in German: the refusals of the form, and the refund made", async () => {
    const p = await payment(shop.shop.id);
    const answer = async (form: Record<string, string>) => {
      const response = await post(shop.domain, GERMAN_FINANCE, p.id, form);
      return [response.status, (await response.json()).message];
    };
    expect(await answer(refundForm({ reason: "" }))).toEqual([400, "Wählen Sie einen Grund für die Rückerstattung."]);
    expect(await answer(refundForm({ amount: "25.001" }))).toEqual([400, "EUR hat 2 Nachkommastellen."]);
    expect(await answer(refundForm({ amount: "25,00.5" }))).toEqual([400, "Geben Sie den Betrag als einfache Zahl ein, z. B. 12,50."]);
    expect(await answer(refundForm({ amount: "99999999999999999" }))).toEqual([400, "Dieser Betrag ist zu hoch."]);
    expect(await answer({ intent: "capture", requestId: "3c2f6b1e-9d4a-4b8e-8f1a-2b7c5d9e0a11", amount: "" })).toEqual([
      400,
      "Geben Sie den zu erfassenden Betrag ein.",
    ]);
    expect(refundsAt(p.ckoPaymentId)).toHaveLength(0);

    // The money service's refusals: its words in German, the amount as German writes it (English: "At most EUR 100.00 …", above).
    const [tooMuch, refusal] = await answer(refundForm({ amount: "100.01", requestId: "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6" }));
    expect(tooMuch).toBe(422);
    expect(refusal).toMatch(/^Es können höchstens 100,00\s€ erstattet werden\.$/);
    expect(await answer({ intent: "void", requestId: "3c2f6b1e-9d4a-4b8e-8f1a-2b7c5d9e0a11" })).toEqual([
      422,
      "Nur die Autorisierung einer noch nicht erfassten Zahlung kann storniert werden.",
    ]);
    expect(refundsAt(p.ckoPaymentId)).toHaveLength(0);

    const [status, message] = await answer(refundForm());
    expect(status).toBe(200);
    expect(message).toMatch(
      /^Die Rückerstattung über 25,00\s€ wurde direkt bei Checkout\.com (angefordert; der Webhook von Checkout\.com bestätigt sie|ausgeführt und von Checkout\.com bestätigt)\.$/,
    );
    expect(refundsAt(p.ckoPaymentId)).toHaveLength(1);
  });
});
