import { describe, expect, it } from "vitest";
import { bestMatch, matchMethod, nextMatchAttempt, type OrderCandidate, type PaymentToMatch } from "./matching";

const at = new Date("2026-11-01T12:00:00Z");

const payment: PaymentToMatch = {
  ckoPaymentId: "pay_aaaaaaaaaaaaaaaaaaaaaaaaaa",
  actionIds: ["act_bbbbbbbbbbbbbbbbbbbbbbbbbb"],
  reference: null,
  amount: 6540,
  currency: "USD",
  customerEmail: "ada@example.com",
  occurredAt: at,
};

const order = (over: Partial<OrderCandidate> = {}): OrderCandidate => ({
  gid: "gid://shopify/Order/5001",
  legacyId: "5001",
  name: "#1001",
  checkoutToken: "c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6",
  email: "someone@example.com",
  createdAt: at,
  total: 9999,
  currency: "USD",
  transactionIds: [],
  ...over,
});

describe("matchMethod", () => {
  it.each<[string, Partial<PaymentToMatch>, Partial<OrderCandidate>, string | null]>([
    ["order name with #", { reference: "#1001" }, {}, "reference_name"],
    ["order name without #", { reference: "1001" }, {}, "reference_name"],
    ["order name, other case", { reference: "#ab-1001" }, { name: "#AB-1001" }, "reference_name"],
    ["order id", { reference: "5001" }, { name: "#9" }, "reference_id"],
    ["order GID", { reference: "gid://shopify/Order/5001" }, {}, "reference_id"],
    ["checkout token", { reference: "c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6" }, {}, "checkout_token"],
    ["payment id on a transaction", {}, { transactionIds: ["pay_aaaaaaaaaaaaaaaaaaaaaaaaaa"] }, "transaction"],
    ["action id on a transaction", {}, { transactionIds: ["xyz", "act_bbbbbbbbbbbbbbbbbbbbbbbbbb"] }, "transaction"],
    [
      "reference is Shopify's payment id on a transaction (the payments app's reference)",
      { reference: "c25048437719.1" },
      { transactionIds: ["c25048437719.1"] },
      "transaction",
    ],
    ["email + amount + currency in the window", {}, { email: "ADA@example.com", total: 6540, createdAt: new Date(at.getTime() + 3600_000) }, "email_amount"],
    ["email + amount, other currency", {}, { email: "ada@example.com", total: 6540, currency: "EUR" }, null],
    ["email, other amount", {}, { email: "ada@example.com", total: 6541 }, null],
    ["email + amount outside the window", {}, { email: "ada@example.com", total: 6540, createdAt: new Date(at.getTime() + 3 * 3600_000) }, null],
    ["unrelated reference", { reference: "#2002" }, {}, null],
    ["nothing in common", {}, {}, null],
  ])("%s", (_what, paymentOver, orderOver, expected) => {
    expect(matchMethod({ ...payment, ...paymentOver }, order(orderOver))).toBe(expected);
  });
});

describe("bestMatch", () => {
  it("prefers the strongest way over closer weak candidates", () => {
    const weak = order({ gid: "gid://shopify/Order/1", legacyId: "1", name: "#1", email: "ada@example.com", total: 6540 });
    const strong = order({ gid: "gid://shopify/Order/2", legacyId: "2", name: "#2", transactionIds: [payment.ckoPaymentId], createdAt: new Date(0) });
    expect(bestMatch(payment, [weak, strong])).toMatchObject({
      order: { gid: strong.gid },
      matchedBy: "transaction",
      confidence: "strong",
      needsReview: false,
    });
  });

  it("marks an email + amount match weak and for review, choosing the closest in time", () => {
    const far = order({ gid: "gid://shopify/Order/1", name: "#1", email: "ada@example.com", total: 6540, createdAt: new Date(at.getTime() + 90 * 60_000) });
    const near = order({ gid: "gid://shopify/Order/2", name: "#2", email: "ada@example.com", total: 6540, createdAt: new Date(at.getTime() - 60_000) });
    expect(bestMatch(payment, [far, near])).toMatchObject({ order: { gid: near.gid }, matchedBy: "email_amount", confidence: "weak", needsReview: true });
  });

  it("treats two orders matching the same strong way as ambiguous (weak, review)", () => {
    const a = order({ gid: "gid://shopify/Order/1", transactionIds: [payment.ckoPaymentId] });
    const b = order({ gid: "gid://shopify/Order/2", transactionIds: [payment.ckoPaymentId] });
    expect(bestMatch(payment, [a, b])).toMatchObject({ matchedBy: "transaction", confidence: "weak", needsReview: true });
  });

  it("counts one order found by several lookups once", () => {
    const o = order({ transactionIds: [payment.ckoPaymentId] });
    expect(bestMatch({ ...payment, reference: "#1001" }, [o, o])).toMatchObject({ matchedBy: "reference_name", confidence: "strong" });
  });

  it("returns null when nothing matches", () => {
    expect(bestMatch(payment, [order()])).toBeNull();
  });
});

describe("nextMatchAttempt", () => {
  const start = new Date("2026-11-01T00:00:00Z");
  it("backs off from 30 s, doubling, capped at 30 min", () => {
    expect(nextMatchAttempt(0, start, 1440, start)!.getTime() - start.getTime()).toBe(30_000);
    expect(nextMatchAttempt(3, start, 1440, start)!.getTime() - start.getTime()).toBe(240_000);
    expect(nextMatchAttempt(20, start, 1440, start)!.getTime() - start.getTime()).toBe(30 * 60_000);
  });
  it("never schedules past the window, and stops once it is over", () => {
    const late = new Date(start.getTime() + 9 * 60_000);
    expect(nextMatchAttempt(10, start, 10, late)!.getTime()).toBe(start.getTime() + 10 * 60_000);
    expect(nextMatchAttempt(10, start, 10, new Date(start.getTime() + 10 * 60_000))).toBeNull();
  });
});
