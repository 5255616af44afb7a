import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { resetEnvForTests } from "../env.server";
import { createCheckoutStandIn, type CheckoutStandIn } from "../../test/standins/checkout/server";
import { nasAccount, otherNasAccount, OTHER_NAS_KEY } from "../../test/standins/checkout/testing";
import { createConnectedShop } from "../../test/helpers/factories";
import { checkoutEvent, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { createAppWorker } from "../events/registry.server";
import { say } from "../i18n/i18n";
import { requestMoneyAction, type MoneyActionRequest } from "./actions.server";
import { balances } from "./balances.server";

let standIn: CheckoutStandIn;

beforeAll(async () => {
  standIn = await createCheckoutStandIn({ accounts: [nasAccount(), otherNasAccount()], actionLatencyMs: 20 });
  process.env.CHECKOUT_API_BASE_URL = standIn.url;
  resetEnvForTests();
});
afterAll(async () => {
  await standIn.stop();
  delete process.env.CHECKOUT_API_BASE_URL;
  resetEnvForTests();
});
beforeEach(() => standIn.faults.clear());

/** A captured (or only authorized) payment known to both the stand-in and our database. */
async function setUp(options: { capture?: boolean; amount?: number } = {}) {
  const { shop } = await createConnectedShop();
  const fixture = paymentFixture({ amount: options.amount ?? 10_000, currency: "EUR" });
  standIn.state.createPayment({ account: "shop_a", capture: options.capture ?? true, ...fixture });
  const payment = await db().payment.create({
    data: {
      shopId: shop.id,
      ckoPaymentId: fixture.id,
      amount: fixture.amount,
      currency: "EUR",
      status: options.capture === false ? "Authorized" : "Captured",
      capturedAmount: options.capture === false ? 0 : fixture.amount,
    },
  });
  const ask = (overrides: Partial<MoneyActionRequest> = {}): MoneyActionRequest => ({
    shopId: shop.id,
    paymentId: payment.id,
    kind: "refund",
    amount: 2_500,
    reason: "Damaged item",
    requestedBy: "agent@example.com",
    source: "zendesk",
    intent: "zendesk:ticket:42:refund:2500",
    ...overrides,
  });
  const refundsAtCheckout = () => standIn.requests.filter((r) => r.method === "POST" && r.path === `/payments/${fixture.id}/refunds` && r.status === 202);
  return { shop, payment, fixture, ask, refundsAtCheckout };
}

describe("money actions", () => {
  it("refunds once per intent, however often it is asked", async () => {
    const { ask, refundsAtCheckout, payment } = await setUp();
    const first = await requestMoneyAction(ask());
    const second = await requestMoneyAction(ask());
    expect(first.ok && second.ok).toBe(true);
    expect(second.repeated).toBe(true);
    if (first.ok && second.ok) expect(second.action.id).toBe(first.action.id);
    expect(new Set(refundsAtCheckout().map((r) => r.idempotencyKey)).size).toBe(1);
    expect(await db().moneyAction.count({ where: { paymentId: payment.id } })).toBe(1);
    expect(await db().auditLog.count({ where: { paymentId: payment.id, action: "payment.refund", result: "ok" } })).toBe(1);
  });

  it("a double click (concurrent identical requests) makes one refund", async () => {
    const { ask, refundsAtCheckout, payment } = await setUp();
    const results = await Promise.all([requestMoneyAction(ask()), requestMoneyAction(ask()), requestMoneyAction(ask())]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await db().moneyAction.count({ where: { paymentId: payment.id } })).toBe(1);
    const succeeded = refundsAtCheckout();
    expect(new Set(succeeded.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(standIn.state.payments.get(payment.ckoPaymentId)!.refunded).toBe(2_500);
  });

  it("different refunds cannot together exceed what is refundable", async () => {
    const { ask, payment } = await setUp();
    const results = await Promise.all([requestMoneyAction(ask({ amount: 6_000, intent: "a" })), requestMoneyAction(ask({ amount: 6_000, intent: "b" }))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok && refused.message).toBe("At most EUR 40.00 can be refunded.");
    // The same refusal in a German staff member's words, the amount as German writes it.
    expect(refused && !refused.ok && refused.words && say("de", refused.words)).toMatch(/^Es können höchstens 40,00\s€ erstattet werden\.$/);
    const fresh = await db().payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect((await balances(fresh)).refundable).toBe(4_000);
  });

  it("retries through Checkout.com errors with the same key and never refunds twice", async () => {
    const { ask, payment } = await setUp();
    standIn.faults.set({ status: 503, count: 2, when: "after", paths: /\/refunds$/ });
    const result = await requestMoneyAction(ask());
    expect(result.ok).toBe(true);
    expect(standIn.state.payments.get(payment.ckoPaymentId)!.refunded).toBe(2_500);
  });

  it("keeps an unfinished action and resends it with the same key when asked again", async () => {
    const { ask, payment, refundsAtCheckout } = await setUp();
    standIn.faults.set({ status: 503, count: 10, paths: /\/refunds$/ });
    const failed = await requestMoneyAction(ask());
    expect(failed.ok).toBe(false);
    expect((await db().moneyAction.findFirstOrThrow({ where: { paymentId: payment.id } })).status).toBe("requested");
    standIn.faults.clear();
    const retried = await requestMoneyAction(ask());
    expect(retried.ok).toBe(true);
    expect(refundsAtCheckout()).toHaveLength(1);
    expect(standIn.state.payments.get(payment.ckoPaymentId)!.refunded).toBe(2_500);
  });

  it("never answers a double click with success when Checkout.com refused every attempt", async () => {
    const { ask, refundsAtCheckout, fixture } = await setUp();
    standIn.faults.set({ status: 503, count: 20, paths: /\/refunds$/ });
    const results = await Promise.all([requestMoneyAction(ask()), requestMoneyAction(ask())]);
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(refundsAtCheckout()).toHaveLength(0);
    expect(standIn.state.payments.get(fixture.id)!.refunded).toBe(0);
  });

  it("takes the outcome from Checkout.com's webhook when it was processed before the refund's answer arrived", async () => {
    const { ask, payment, fixture, shop } = await setUp();
    // The refund is made, but every answer to it is lost: the action stays "requested".
    standIn.faults.set({ status: 503, count: 10, when: "after", paths: /\/refunds$/ });
    expect((await requestMoneyAction(ask())).ok).toBe(false);
    const refund = standIn.state.payments.get(fixture.id)!.actions.find((a) => a.type === "Refund")!;
    // Its webhook arrives and is processed meanwhile: no action of ours has that action id yet.
    const connection = await db().checkoutConnection.findFirstOrThrow({ where: { shopId: shop.id } });
    await putInInbox(connection, checkoutEvent("payment_refunded", paymentEventData("payment_refunded", fixture, { action_id: refund.id, amount: 2_500 })));
    await createAppWorker({ jobHandlers: {} }).runUntilIdle();
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).refundedAmount).toBe(2_500);

    standIn.faults.clear();
    const retried = await requestMoneyAction(ask());
    expect(retried.ok && retried.action).toMatchObject({ status: "succeeded", ckoActionId: refund.id });
    expect(standIn.state.payments.get(fixture.id)!.refunded).toBe(2_500);
  });

  it("voids only an authorised, uncaptured payment", async () => {
    const captured = await setUp();
    const refused = await requestMoneyAction(captured.ask({ kind: "void", amount: undefined, intent: "void" }));
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.message).toBe("Only an authorised payment that has not been captured can be voided.");
      expect(say("fr", refused.words!)).toBe("Seule l'autorisation d'un paiement qui n'a pas été capturé peut être annulée.");
    }

    const authorized = await setUp({ capture: false });
    const voided = await requestMoneyAction(authorized.ask({ kind: "void", amount: undefined, intent: "void" }));
    expect(voided.ok).toBe(true);
    const again = await requestMoneyAction(authorized.ask({ kind: "void", amount: undefined, intent: "void-again" }));
    expect(again.ok).toBe(false);
  });

  it("shop B cannot act on shop A's payment", async () => {
    const a = await setUp();
    const { shop: other } = await createConnectedShop(undefined, { secretKey: OTHER_NAS_KEY });
    const result = await requestMoneyAction(a.ask({ shopId: other.id }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toBe("This payment does not exist in this shop.");
      expect(say("de", result.words!)).toBe("Diese Zahlung gibt es in diesem Shop nicht.");
    }
    expect(a.refundsAtCheckout()).toHaveLength(0);
  });
});
