import { describe, expect, it } from "vitest";
import { classifyResponse, declineSuggestion, describeDecline } from "./declines";

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

  it.each([
    ["20051", "another_card"],
    ["20054", "another_card"],
    ["20058", "another_card"],
    ["20005", "contact_bank"],
    ["20062", "contact_bank"],
    ["20059", "contact_bank"],
    ["20091", "retry"],
    ["20068", "retry"],
    ["20087", "retry"],
    ["20777", "retry"],
  ])("suggests what helps after soft decline %s: %s", (code, suggestion) => {
    expect(declineSuggestion(code)).toBe(suggestion);
  });

  it("suggests nothing for approvals, hard and risk declines", () => {
    expect(["10000", "30041", "30777", "40101", "50000", null].map(declineSuggestion)).toEqual([null, null, null, null, null, null]);
  });
});
