import { describe, expect, it } from "vitest";
import { moneyStatus, nextStatus, statusImpliedBy } from "./status";

const none = { amount: 1000, capturedAmount: 0, refundedAmount: 0 };

describe("payment status", () => {
  it("moves forward through the lifecycle", () => {
    expect(nextStatus(null, statusImpliedBy("payment_pending"), none)).toBe("Pending");
    expect(nextStatus("Pending", statusImpliedBy("payment_approved"), none)).toBe("Authorized");
    expect(nextStatus("Authorized", statusImpliedBy("payment_voided"), none)).toBe("Voided");
  });

  it("never moves back to an earlier stage", () => {
    expect(nextStatus("Voided", statusImpliedBy("payment_approved"), none)).toBe("Voided");
    expect(nextStatus("Authorized", statusImpliedBy("payment_pending"), none)).toBe("Authorized");
    expect(nextStatus("Captured", statusImpliedBy("payment_approved"), { ...none, capturedAmount: 1000 })).toBe("Captured");
    expect(nextStatus("Returned", statusImpliedBy("payment_refunded"), { ...none, refundedAmount: 10 })).toBe("Returned");
  });

  it("follows the money once it moved", () => {
    expect(moneyStatus(none)).toBeNull();
    expect(moneyStatus({ ...none, capturedAmount: 400 })).toBe("Partially Captured");
    expect(moneyStatus({ ...none, capturedAmount: 1000 })).toBe("Captured");
    expect(moneyStatus({ ...none, capturedAmount: 1000, refundedAmount: 300 })).toBe("Partially Refunded");
    expect(moneyStatus({ ...none, capturedAmount: 400, refundedAmount: 400 })).toBe("Refunded");
    // A refund reported before its capture: measured against the authorized amount.
    expect(moneyStatus({ ...none, refundedAmount: 1000 })).toBe("Refunded");
    expect(nextStatus("Authorized", statusImpliedBy("payment_capture_declined"), { ...none, capturedAmount: 400 })).toBe("Partially Captured");
  });

  it("treats declined actions as proof of authorization only", () => {
    expect(nextStatus(null, statusImpliedBy("payment_capture_declined"), none)).toBe("Authorized");
    expect(nextStatus(null, statusImpliedBy("payment_declined"), none)).toBe("Declined");
  });
});
