// Each trigger's payload against its TOML: every declared field is sent with the type Flow expects,
// and nothing undeclared is sent (Flow rejects unknown fields). Checked with full inputs and with
// every optional fact missing, since the types must hold either way.
import { describe, expect, it } from "vitest";
import { flowTriggerFields, type FlowField } from "../../test/helpers/extensions";
import {
  FLOW_TRIGGERS,
  FLOW_TRIGGER_NAMES,
  checkoutPaymentDeclinedPayload,
  disputeClosedPayload,
  disputeEvidenceDuePayload,
  disputeOpenedPayload,
  disputeOutcome,
  majorUnits,
  orderIdFromGid,
  paymentDeclinedPayload,
  paymentFlaggedPayload,
  paymentUnmatchedPayload,
  refundProcessedPayload,
  type FlowPayload,
  type FlowTrigger,
} from "./triggers";

const order = { gid: "gid://shopify/Order/5600000000123", name: "#1042" };
const noName = { gid: "gid://shopify/Order/77", name: null };
const payment = { ckoPaymentId: "pay_abc", amount: 12_345, currency: "USD", riskScore: 88, riskFlagged: true, capturedAmount: 12_345, refundedAmount: 12_345 };
const dispute = {
  ckoDisputeId: "dsp_abc",
  ckoPaymentId: "pay_abc",
  amount: 5_000,
  currency: "EUR",
  category: "fraudulent",
  reasonCode: "10.4",
  evidenceRequiredBy: new Date("2026-04-01T10:00:00Z"),
};
const sparseDispute = { ...dispute, ckoPaymentId: null, category: null, reasonCode: null, evidenceRequiredBy: null };

const samples: Record<FlowTrigger, Array<() => FlowPayload>> = {
  payment_flagged: [
    () =>
      paymentFlaggedPayload({
        order,
        payment,
        held: true,
        rulesMatched: ["Risk score 88 is at or above 70", "Email x is on the deny list"],
        reviewUrl: "https://admin.shopify.com/store/s/apps/a/app/holds/1",
      }),
    () =>
      paymentFlaggedPayload({
        order: noName,
        payment: { ...payment, riskScore: null, riskFlagged: false },
        held: false,
        rulesMatched: [],
        reviewUrl: "https://admin.shopify.com/store/s/apps/a/app/holds/2",
      }),
  ],
  payment_unmatched: [
    () =>
      paymentUnmatchedPayload({
        payment: { ...payment, reference: "#1042", customerEmail: "ada@example.com" },
        reviewUrl: "https://admin.shopify.com/store/s/apps/a/app/holds/unmatched",
      }),
    () =>
      paymentUnmatchedPayload({
        payment: { ...payment, riskScore: null, riskFlagged: false, reference: null, customerEmail: null },
        reviewUrl: "https://admin.shopify.com/store/s/apps/a/app/holds/unmatched",
      }),
  ],
  payment_declined: [
    () => paymentDeclinedPayload({ order, payment, step: "authorization", declineClass: "soft", reason: "Insufficient funds", responseCode: "20051" }),
    () => paymentDeclinedPayload({ order: noName, payment, step: "capture", declineClass: "risk", reason: "Blocked by risk checks", responseCode: null }),
  ],
  checkout_payment_declined: [
    () =>
      checkoutPaymentDeclinedPayload({
        payment: { ...payment, customerEmail: "ada@example.com" },
        recoveryUrl: "https://flow-on.myshopify.com/6000000001/checkouts/ac/abc/recover?key=def",
        reason: "Insufficient funds",
        suggestion: "another_card",
      }),
    // No abandoned checkout in Shopify: the recovery URL is empty, which Flow's text field takes.
    () =>
      checkoutPaymentDeclinedPayload({
        payment: { ...payment, currency: "JPY", amount: 1200, customerEmail: "ada@example.com" },
        recoveryUrl: null,
        reason: "Issuer unavailable",
        suggestion: "retry",
      }),
  ],
  refund_processed: [
    () => refundProcessedPayload({ order, payment, refundAmount: 2_345 }),
    () => refundProcessedPayload({ order: noName, payment: { ...payment, capturedAmount: 0, refundedAmount: 0 }, refundAmount: 0 }),
  ],
  dispute_opened: [
    () => disputeOpenedPayload({ order, dispute, disputeUrl: "https://admin.shopify.com/store/s/apps/a/app/disputes/1" }),
    () => disputeOpenedPayload({ order: noName, dispute: sparseDispute, disputeUrl: "https://admin.shopify.com/store/s/apps/a/app/disputes/2" }),
  ],
  dispute_evidence_due: [
    () =>
      disputeEvidenceDuePayload({
        order,
        dispute,
        now: new Date("2026-03-30T09:30:00Z"),
        disputeUrl: "https://admin.shopify.com/store/s/apps/a/app/disputes/1",
      }),
    () =>
      disputeEvidenceDuePayload({
        order: noName,
        dispute: { ...sparseDispute, evidenceRequiredBy: dispute.evidenceRequiredBy },
        now: new Date("2026-04-01T09:59:59Z"),
        disputeUrl: "https://admin.shopify.com/store/s/apps/a/app/disputes/2",
      }),
  ],
  dispute_closed: [
    () => disputeClosedPayload({ order, dispute, outcome: "won" }),
    () => disputeClosedPayload({ order: noName, dispute: sparseDispute, outcome: "lost" }),
  ],
};

/** The payload key Flow expects for a field: reference fields travel as <object>_id. */
const payloadKey = (field: FlowField) => (field.type.endsWith("_reference") ? `${field.type.replace(/_reference$/, "")}_id` : field.key!);

function typeProblem(field: FlowField, value: unknown): string | null {
  switch (field.type) {
    case "order_reference":
      return Number.isSafeInteger(value) && (value as number) > 0 ? null : "a positive integer order id";
    case "number_decimal":
      return typeof value === "number" && Number.isFinite(value) ? null : "a finite number";
    case "boolean":
      return typeof value === "boolean" ? null : "a boolean";
    case "single_line_text_field":
      return typeof value === "string" && !value.includes("\n") ? null : "a single line of text";
    case "url":
      return typeof value === "string" && URL.canParse(value) && value.startsWith("https://") ? null : "an https URL";
    case "email":
      return typeof value === "string" && /^[^@\s]+@[^@\s]+$/.test(value) ? null : "an email address";
    default:
      return `a field type this test does not know (${field.type})`;
  }
}

describe.each(FLOW_TRIGGER_NAMES)("%s payload", (trigger) => {
  const fields = flowTriggerFields(FLOW_TRIGGERS[trigger].folder);

  it.each(samples[trigger].map((build, i) => [i === 0 ? "full" : "sparse", build] as const))("%s: matches the TOML fields and types", (_kind, build) => {
    const payload = build();
    expect(Object.keys(payload).sort()).toEqual(fields.map(payloadKey).sort());
    const problems = fields
      .map((field) => [payloadKey(field), typeProblem(field, payload[payloadKey(field)])] as const)
      .filter(([, problem]) => problem)
      .map(([key, problem]) => `${key} should be ${problem}, got ${JSON.stringify(payload[key])}`);
    expect(problems).toEqual([]);
  });
});

describe("payload values", () => {
  it("sends the numeric order id, amounts in major units and the facts merchants filter on", () => {
    expect(samples.payment_flagged[0]()).toMatchObject({
      order_id: 5600000000123,
      "Order name": "#1042",
      Amount: 123.45,
      "Risk score": 88,
      "Fulfillment held": true,
      "Rules matched": "Risk score 88 is at or above 70; Email x is on the deny list",
    });
    expect(samples.refund_processed[0]()).toMatchObject({ "Refund amount": 23.45, "Total refunded": 123.45, "Fully refunded": true });
    expect(refundProcessedPayload({ order, payment: { ...payment, refundedAmount: 2_345 }, refundAmount: 2_345 })["Fully refunded"]).toBe(false);
    expect(samples.dispute_opened[0]()).toMatchObject({ Amount: 50, Currency: "EUR", "Evidence due": "2026-04-01T10:00:00.000Z", Category: "fraudulent" });
    expect(samples.dispute_evidence_due[0]()).toEqual({
      order_id: 5600000000123,
      "Order name": "#1042",
      "Dispute ID": "dsp_abc",
      Amount: 50,
      Currency: "EUR",
      Reason: "fraudulent",
      "Evidence due": "2026-04-01T10:00:00.000Z",
      "Hours left": 48,
      "Dispute URL": "https://admin.shopify.com/store/s/apps/a/app/disputes/1",
    });
    // Rounded down: a second before the deadline is 0 hours left, never 1.
    expect(samples.dispute_evidence_due[1]()).toMatchObject({ "Hours left": 0, Reason: "", "Order name": "" });
    expect(samples.dispute_closed[1]()).toMatchObject({ Outcome: "lost", Won: false, "Payment ID": "" });
  });

  it("checkout payment declined: the customer's email, the recovery link and what to suggest in words", () => {
    expect(samples.checkout_payment_declined[0]()).toEqual({
      "Customer email": "ada@example.com",
      "Recovery URL": "https://flow-on.myshopify.com/6000000001/checkouts/ac/abc/recover?key=def",
      "Payment ID": "pay_abc",
      Amount: 123.45,
      Currency: "USD",
      "Decline class": "soft",
      Reason: "Insufficient funds",
      "Suggested action": "another_card",
      Suggestion: "Please use another card or payment method: this card cannot pay for the order right now.",
    });
    expect(samples.checkout_payment_declined[1]()).toMatchObject({
      "Recovery URL": "",
      Amount: 1200,
      "Suggested action": "retry",
      Suggestion: "Please try again in a few minutes, checking the card details as you enter them: the decline looks temporary.",
    });
  });

  it("converts minor units by the currency's decimals", () => {
    expect(majorUnits(1999, "USD")).toBe(19.99);
    expect(majorUnits(1200, "JPY")).toBe(1200);
    expect(majorUnits(1500, "KWD")).toBe(1.5);
    expect(majorUnits(1, "USD")).toBe(0.01);
  });

  it("reads only Shopify order ids", () => {
    expect(orderIdFromGid("gid://shopify/Order/42")).toBe(42);
    expect(() => orderIdFromGid("gid://shopify/Customer/42")).toThrow("Not a Shopify order id");
  });

  it("decides won or lost only for decided disputes", () => {
    expect(["won", "arbitration_won", "canceled", "resolved"].map(disputeOutcome)).toEqual(["won", "won", "won", "won"]);
    expect(["lost", "arbitration_lost", "accepted", "expired"].map(disputeOutcome)).toEqual(["lost", "lost", "lost", "lost"]);
    expect(["evidence_required", "evidence_under_review", "arbitration_under_review"].map(disputeOutcome)).toEqual([null, null, null]);
  });
});
