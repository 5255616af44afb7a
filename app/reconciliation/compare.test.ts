import { describe, expect, it } from "vitest";
import type { OrderTransaction } from "../money/shopify-order.server";
import { compareViews, orderView, type CheckoutView, type OrderView } from "./compare";

const checkout = (view: Partial<CheckoutView> = {}): CheckoutView => ({
  currency: "EUR",
  authorised: 5000,
  captured: 5000,
  refunded: 0,
  captureDeclined: false,
  chargedBack: 0,
  ...view,
});
const order = (view: Partial<OrderView> = {}): OrderView => ({ currency: "EUR", captured: 5000, refunded: 0, refundedOnOrder: 0, settling: false, ...view });

let nextId = 1;
function transaction(kind: OrderTransaction["kind"], amount: number, fields: Partial<OrderTransaction> = {}): OrderTransaction {
  return {
    id: `gid://shopify/OrderTransaction/${nextId++}`,
    kind,
    status: "SUCCESS",
    gateway: "checkout_com",
    amount,
    parentId: null,
    createdAt: new Date("2026-12-01T10:00:00Z"),
    errorCode: null,
    references: [],
    ...fields,
  };
}

describe("the order's view of a payment", () => {
  it("counts the captures on its authorisation and the refunds on either, never another payment's", () => {
    const auth = transaction("AUTHORIZATION", 9000);
    const capture = transaction("CAPTURE", 6000, { parentId: auth.id });
    const failed = transaction("CAPTURE", 3000, { parentId: auth.id, status: "FAILURE" });
    const refund = transaction("REFUND", 1250, { parentId: capture.id });
    const other = transaction("SALE", 2000, { gateway: "gift_card" });
    const manual = transaction("REFUND", 700, { gateway: "manual", parentId: other.id });
    expect(orderView("EUR", [auth, capture, failed, refund, other, manual], auth)).toEqual({
      currency: "EUR",
      captured: 6000,
      refunded: 1250,
      refundedOnOrder: 1950,
      settling: false,
    });
  });

  it("takes a sale as captured, and is settling while a refund on it waits for the gateway", () => {
    const sale = transaction("SALE", 4234);
    const pending = transaction("REFUND", 1234, { parentId: sale.id, status: "PENDING" });
    expect(orderView("EUR", [sale, pending], sale)).toEqual({ currency: "EUR", captured: 4234, refunded: 0, refundedOnOrder: 0, settling: true });
  });
});

describe("comparing Checkout.com with the order", () => {
  it("finds nothing when both agree", () => {
    expect(compareViews(checkout({ refunded: 1200 }), order({ refunded: 1200, refundedOnOrder: 1200 }))).toEqual([]);
  });

  it("does not compare while the order is settling", () => {
    expect(compareViews(checkout({ refunded: 1200 }), order({ settling: true }))).toBeNull();
  });

  it("a refund made at Checkout.com that the order never heard of", () => {
    expect(compareViews(checkout({ refunded: 1500 }), order({ refunded: 500, refundedOnOrder: 500 }))).toEqual([
      { kind: "refund_missing_in_shopify", checkoutAmount: 1500, shopifyAmount: 500, amount: 1000 },
    ]);
  });

  it("a refund on the order that Checkout.com did not make", () => {
    expect(compareViews(checkout({ refunded: 0 }), order({ refunded: 800, refundedOnOrder: 800 }))).toEqual([
      { kind: "refunded_not_at_checkout", checkoutAmount: 0, shopifyAmount: 800, amount: 800 },
    ]);
  });

  it("a capture on the order that Checkout.com did not make", () => {
    expect(compareViews(checkout({ captured: 0 }), order({ captured: 5000 }))).toEqual([
      { kind: "capture_missing_at_checkout", checkoutAmount: 0, shopifyAmount: 5000, amount: 5000 },
    ]);
  });

  it("a declined capture: what is authorised but not collected, on both sides alike", () => {
    expect(compareViews(checkout({ authorised: 9000, captured: 2000, captureDeclined: true }), order({ captured: 2000 }))).toEqual([
      { kind: "capture_declined", checkoutAmount: 2000, shopifyAmount: 2000, amount: 7000 },
    ]);
  });

  it("money Checkout.com captured that the order does not show as received", () => {
    expect(compareViews(checkout({ captured: 7500 }), order({ captured: 5000 }))).toEqual([
      { kind: "captured_not_on_order", checkoutAmount: 7500, shopifyAmount: 5000, amount: 2500 },
    ]);
  });

  it("another currency: one mismatch, no amounts compared across currencies", () => {
    expect(compareViews(checkout({ currency: "GBP", refunded: 100 }), order({ currency: "EUR" }))).toEqual([
      { kind: "currency_differs", checkoutAmount: 5000, shopifyAmount: 5000, amount: 5000 },
    ]);
    expect(compareViews(checkout({ currency: "GBP", authorised: 3000, captured: 0 }), order({ currency: "EUR", captured: 0 }))).toEqual([
      { kind: "currency_differs", checkoutAmount: 0, shopifyAmount: 0, amount: 3000 },
    ]);
  });

  it("a chargeback the order does not reflect, in part once a manual refund records some of it", () => {
    expect(compareViews(checkout({ chargedBack: 5000 }), order())).toEqual([
      { kind: "chargeback_not_reflected", checkoutAmount: 5000, shopifyAmount: 0, amount: 5000 },
    ]);
    expect(compareViews(checkout({ refunded: 1000, chargedBack: 4000 }), order({ refunded: 1000, refundedOnOrder: 3000 }))).toEqual([
      { kind: "chargeback_not_reflected", checkoutAmount: 4000, shopifyAmount: 2000, amount: 2000 },
    ]);
    expect(compareViews(checkout({ refunded: 1000, chargedBack: 4000 }), order({ refunded: 1000, refundedOnOrder: 5000 }))).toEqual([]);
  });
});
