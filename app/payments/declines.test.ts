import { describe, expect, it } from "vitest";
import { classifyResponse, describeDecline } from "./declines";

describe("response codes", () => {
  it.each([
    ["10000", true, null, "Approved"],
    ["10100", true, null, "Approved, flagged by risk checks"],
    ["20005", false, "soft", "Declined by the issuer (do not honour)"],
    ["20051", false, "soft", "Insufficient funds"],
    ["20087", false, "soft", "Invalid CVV or expiry date"],
    ["30041", false, "hard", "Lost card"],
    ["30046", false, "hard", "Closed account"],
    ["40101", false, "risk", "Blocked by Fraud Detection"],
    ["40203", false, "risk", "Email address is on a block list"],
    ["20777", false, "soft", "Declined by the issuer; a retry may succeed"],
    ["30777", false, "hard", "Declined by the issuer; this card cannot be used"],
    ["40777", false, "risk", "Blocked by risk checks"],
  ])("%s", (code, approved, declineClass, reason) => {
    expect(classifyResponse(code)).toEqual({ approved, declineClass, reason });
  });

  it("falls back to Checkout.com's summary for codes outside the classes", () => {
    expect(classifyResponse("50000", "Gateway error")).toEqual({ approved: false, declineClass: null, reason: "Gateway error" });
    expect(classifyResponse(undefined)).toEqual({ approved: false, declineClass: null, reason: "Declined" });
  });

  it("describes a decline with its code and what to do", () => {
    expect(describeDecline("30043")).toBe("Stolen card (30043, hard decline: retrying will not help)");
    expect(describeDecline(null, "Declined")).toBe("Declined");
  });
});
