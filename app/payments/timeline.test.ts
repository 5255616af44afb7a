// The admin says a recorded payment event again in its reader's language: the English messages give
// exactly the recorded words (so nothing is lost or added in translation), and a row whose facts no
// longer give its recorded words is shown as recorded.
import { describe, expect, it } from "vitest";
import { translator } from "../i18n/i18n";
import { formatMoney, formatMoneyIn } from "../lib/money";
import { PAYMENT_EVENT_TYPES } from "../webhooks/event-types";
import type { PaymentEventData } from "./payment-events";
import { describePaymentEvent, describePaymentEventIn, localizedPaymentSummary, type RecordedActivity } from "./timeline";

const data = (d: Partial<PaymentEventData>): PaymentEventData => ({ paymentId: "pay_x", ...d });
const english = { t: translator("en", "payments"), money: formatMoney };
const german = { t: translator("de", "payments"), money: (minor: number, currency: string) => formatMoneyIn("de", minor, currency) };
const french = { t: translator("fr", "payments"), money: (minor: number, currency: string) => formatMoneyIn("fr", minor, currency) };

const samples: PaymentEventData[] = [
  data({}),
  data({ amount: 106_540, currency: "EUR" }),
  data({ amount: 500, source: { scheme: "Visa", last4: "4242" }, risk: { score: 35, flagged: true } }),
  data({ source: { last4: "0005" }, risk: { flagged: true } }),
  data({ amount: 700, response_code: "20051", response_summary: "Insufficient Funds", risk: { score: 12 } }),
  data({ response_code: "30777" }),
  data({ response_code: "50000", response_summary: "Gateway error" }),
  data({ fraud: { reason: "Card stolen" } }),
];

describe("a payment event in the admin's words", () => {
  it("in English, is exactly the summary recorded for every event type", () => {
    for (const type of [...PAYMENT_EVENT_TYPES, "fraud_reported"])
      for (const d of samples)
        expect(describePaymentEventIn(english, type, d, "USD"), `${type} ${JSON.stringify(d)}`).toBe(describePaymentEvent(type, d, "USD"));
  });

  it("in German and French, with the amount as their readers write it and the decline explained", () => {
    const declined = data({ amount: 700, currency: "EUR", response_code: "20051", source: { scheme: "Visa", last4: "4242" }, risk: { score: 12 } });
    expect(describePaymentEventIn(german, "payment_declined", declined, "EUR")).toBe(
      "Abgelehnt: Unzureichende Deckung (20051, vorübergehende Ablehnung: Der Kunde kann es erneut versuchen) · Visa •••• 4242 · Risikobewertung 12",
    );
    expect(describePaymentEventIn(german, "payment_captured", data({ amount: 106_540, currency: "EUR" }), "EUR")).toBe("1.065,40\u00a0€ erfasst");
    expect(describePaymentEventIn(french, "payment_refunded", data({ amount: 106_540, currency: "EUR" }), "EUR")).toBe(
      "Remboursement de 1\u202f065,40\u00a0€ effectué",
    );
    expect(describePaymentEventIn(german, "payment_approved", data({ source: { last4: "0005" } }), "EUR")).toBe("Autorisiert · Karte •••• 0005");
  });

  it("has no words for a type it does not know", () => {
    expect(describePaymentEventIn(german, "payment_teleported", data({}), "EUR")).toBeNull();
  });
});

describe("a recorded timeline row in the reader's language", () => {
  const payment = { currency: "USD", cardScheme: "Visa", cardLast4: "4242", riskScore: 35, riskFlagged: false };
  const row = (type: string, d: PaymentEventData, over: Partial<RecordedActivity> = {}): RecordedActivity => ({
    type,
    kind: "event",
    amount: d.amount ?? null,
    currency: d.currency ?? "USD",
    summary: describePaymentEvent(type, d, "USD"),
    details: JSON.stringify({ responseCode: d.response_code, responseSummary: d.response_summary }),
    ...over,
  });

  it("is said again from the row and the payment when they give its recorded words, with or without the card and risk", () => {
    const approved = data({ amount: 6540, currency: "USD", source: { scheme: "Visa", last4: "4242" }, risk: { score: 35 } });
    expect(localizedPaymentSummary(german, row("payment_approved", approved), payment)).toBe("65,40\u00a0$ autorisiert · Visa •••• 4242 · Risikobewertung 35");
    const refundDeclined = data({ amount: 700, response_code: "20051", response_summary: "Insufficient Funds" });
    expect(localizedPaymentSummary(french, row("payment_refund_declined", refundDeclined), payment)).toBe(
      "Remboursement refusé\u00a0: Fonds insuffisants (20051, refus temporaire\u00a0: le client peut réessayer)",
    );
    const pendingWithoutRisk = data({ amount: 6540, source: { scheme: "Visa", last4: "4242" } });
    expect(localizedPaymentSummary(german, row("payment_pending", pendingWithoutRisk), payment)).toBe("Zahlung ausstehend (65,40\u00a0$) · Visa •••• 4242");
  });

  it("is left as recorded when the row no longer gives those words, and for the app's own actions", () => {
    // The issuer's reason is not kept on the row.
    expect(localizedPaymentSummary(german, row("fraud_reported", data({ fraud: { reason: "Card stolen" } })), payment)).toBeNull();
    // Another card than the payment's now.
    const otherCard = data({ amount: 6540, source: { scheme: "Mastercard", last4: "4444" } });
    expect(localizedPaymentSummary(german, row("payment_approved", otherCard), payment)).toBeNull();
    expect(
      localizedPaymentSummary(german, row("refund_requested", data({ amount: 500 }), { kind: "action", summary: "Refund of USD 5.00 requested" }), payment),
    ).toBeNull();
  });
});
