// @vitest-environment jsdom
// The Payments screens in the staff member's language (Polaris in jsdom, Remix's hooks replaced by test
// data): the list and the payment page in German and French, amounts as their readers write them, the
// recorded timeline said again in their words, and the refund form's reasons read in German but sent
// in English.
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";
import { describePaymentEvent } from "../payments/timeline";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => ({
  ...remixHooks(await original(), remix),
  useSearchParams: () => [new URLSearchParams(), () => {}],
}));

const { default: Payments } = await import("./app.payments._index");
const { default: PaymentDetail } = await import("./app.payments.$id");

/** Testing Library reads text with its spaces collapsed: "1.065,40 €" as written, its no-break space read as a space. */
const seen = (text: string) => text.replace(/\s+/g, " ");

afterEach(() => {
  cleanup();
  remix.actionData = undefined;
});

const CREATED = "2026-03-02T09:05:00.000Z";

function listData(q?: string) {
  return {
    payments: q
      ? []
      : [
          {
            id: "p-1",
            ckoPaymentId: "pay_declined",
            reference: "#1001",
            amount: 106_540,
            currency: "EUR",
            status: "Declined",
            riskFlagged: true,
            riskScore: 82,
            customerEmail: "ana@example.com",
            declineClass: "soft",
            createdAt: CREATED,
          },
          {
            id: "p-2",
            ckoPaymentId: "pay_partly",
            reference: null,
            amount: 5_000,
            currency: "USD",
            status: "Partially Refunded",
            riskFlagged: false,
            riskScore: null,
            customerEmail: null,
            declineClass: null,
            createdAt: CREATED,
          },
        ],
    hasNext: false,
    filters: { q, page: 1 },
  };
}

const approved = { paymentId: "pay_x", amount: 106_540, currency: "EUR", source: { scheme: "Visa", last4: "4242" }, risk: { score: 82, flagged: true } };

function detailData(over: { plan?: unknown; canMoveMoney?: boolean } = {}) {
  return {
    payment: {
      id: "p-1",
      ckoPaymentId: "pay_declined",
      reference: "#1001",
      amount: 106_540,
      currency: "EUR",
      status: "Declined",
      capturedAmount: 0,
      refundedAmount: 0,
      riskFlagged: true,
      riskScore: 82,
      customerEmail: "ana@example.com",
      customerName: null,
      ipAddress: "203.0.113.7",
      cardScheme: "Visa",
      cardBin: "424242",
      cardLast4: "4242",
      cardCountry: "DE",
      billingCountry: "DE",
      shippingCountry: "AT",
      responseCode: "20051",
      responseSummary: "Insufficient Funds",
      declineClass: "soft",
      threeDs: JSON.stringify({ enrolled: "Y", version: "2.2.0", downgraded: true }),
      avsCheck: "Y",
      cvvCheck: "Y",
      createdAt: CREATED,
      orderLink: null,
      decline: { reason: "Insufficient funds", declineClass: "soft", advice: "soft decline: the customer may retry" },
      activities: [
        {
          id: "a-1",
          kind: "event",
          type: "payment_approved",
          amount: 106_540,
          currency: "EUR",
          summary: describePaymentEvent("payment_approved", approved, "EUR"),
          details: "{}",
          actor: null,
          occurredAt: CREATED,
        },
        {
          id: "a-2",
          kind: "action",
          type: "hold_placed",
          amount: null,
          currency: null,
          summary: "Fulfillment held for review",
          details: "{}",
          actor: "system",
          occurredAt: CREATED,
        },
      ],
      disputes: [
        {
          id: "d-1",
          ckoDisputeId: "dsp_1",
          status: "evidence_required",
          category: "fraudulent",
          amount: 106_540,
          currency: "EUR",
          evidenceRequiredBy: "2026-03-20T12:00:00.000Z",
        },
      ],
    },
    plan: "plan" in over ? over.plan : null,
    planError: null,
    requestId: "3c2f6b1e-9d4a-4b8e-8f1a-2b7c5d9e0a11",
    canMoveMoney: over.canMoveMoney ?? true,
  };
}

const checkoutPlan = {
  via: "checkout",
  directReason: "No Shopify order is linked to this payment, so it is made directly at Checkout.com.",
  currency: "EUR",
  order: null,
  checkout: { refundable: 106_540, capturable: 0, voidable: false },
  shopify: null,
  limits: { refundable: 106_540, capturable: 0, voidable: false },
  lines: [],
};

describe("the Payments list", () => {
  it("speaks German: headings, statuses, the decline and the amount as Germans write it", () => {
    remix.loaderData = listData();
    renderPage(<Payments />, "de");
    expect(screen.getByText("Zahlungen")).toBeTruthy();
    expect(screen.getByText("Checkout.com-Zahlungen, aktuell gehalten durch ihre Webhook-Ereignisse")).toBeTruthy();
    expect(screen.getAllByText("Betrag").length).toBeGreaterThan(0);
    expect(screen.getByText("Abgelehnt")).toBeTruthy();
    expect(screen.getByText("Vorübergehende Ablehnung")).toBeTruthy();
    expect(screen.getByText("Teilweise erstattet")).toBeTruthy();
    expect(screen.getByText("Markiert")).toBeTruthy();
    expect(screen.getByText(seen("1.065,40\u00a0€"))).toBeTruthy();
    expect(screen.getByText(seen("50,00\u00a0$"))).toBeTruthy();
    expect(screen.getByRole("button", { name: "Suchen" })).toBeTruthy();
  });

  it("says in French when nothing matches", () => {
    remix.loaderData = listData("nobody@example.com");
    renderPage(<Payments />, "fr");
    expect(screen.getByText("Aucun paiement ne correspond")).toBeTruthy();
    expect(screen.getByText("Les paiements apparaissent lorsque Checkout.com envoie leur premier événement à votre webhook.")).toBeTruthy();
  });

  it("keeps its English words", () => {
    remix.loaderData = listData();
    renderPage(<Payments />);
    expect(screen.getByText("Soft decline")).toBeTruthy();
    expect(screen.getByText("Partially Refunded")).toBeTruthy();
    expect(screen.getByText("€1,065.40")).toBeTruthy();
  });
});

describe("the payment page", () => {
  it("speaks German: the facts, the checks, the decline explained, the timeline and the dispute", () => {
    remix.loaderData = detailData();
    renderPage(<PaymentDetail />, "de");
    expect(screen.getByText("Referenz #1001")).toBeTruthy();
    expect(screen.getAllByText(seen("1.065,40\u00a0€")).length).toBeGreaterThan(0);
    expect(screen.getAllByText(seen("0,00\u00a0€"))).toHaveLength(2);
    expect(screen.getByText("Von der Risikoprüfung markiert")).toBeTruthy();
    expect(screen.getByText("Ja")).toBeTruthy();
    expect(screen.getByText("registriert Y, v2.2.0, herabgestuft")).toBeTruthy();
    expect(screen.getByText("Unzureichende Deckung")).toBeTruthy();
    expect(screen.getByText("vorübergehende Ablehnung: Der Kunde kann es erneut versuchen")).toBeTruthy();
    // The recorded English summary, said again in German; the hold's own words stay as recorded.
    expect(screen.getByText(seen("1.065,40\u00a0€ autorisiert · Visa •••• 4242 · Risikobewertung 82, markiert"))).toBeTruthy();
    expect(screen.getByText("Zahlung autorisiert")).toBeTruthy();
    expect(screen.getByText("Fulfillment held for review")).toBeTruthy();
    expect(screen.getByText("Sperre gesetzt · system")).toBeTruthy();
    expect(screen.getByText("Nachweise erforderlich")).toBeTruthy();
    expect(screen.getByText(seen("Betrug · 1.065,40\u00a0€ · Nachweise fällig am 20. März 2026"))).toBeTruthy();
  });

  it("shows the refund form in French: limits in euros, reasons in French and sent in English", () => {
    remix.loaderData = detailData({ plan: checkoutPlan });
    renderPage(<PaymentDetail />, "fr");
    expect(screen.getByText("Rembourser, capturer ou annuler l'autorisation")).toBeTruthy();
    expect(screen.getByText("Directement chez Checkout.com")).toBeTruthy();
    expect(
      screen.getByText(seen("Aucune commande Shopify n'est liée à ce paiement\u00a0: l'opération est donc effectuée directement chez Checkout.com.")),
    ).toBeTruthy();
    expect(screen.getByText(seen("Remboursable\u00a0: 1\u202f065,40\u00a0€"))).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Rembourser…" }));
    expect(screen.getByLabelText("Montant (EUR)")).toBeTruthy();
    expect(screen.getByText(seen("Jusqu'à 1\u202f065,40\u00a0€"))).toBeTruthy();
    const reason = screen.getByRole("option", { name: "Article endommagé ou non conforme à la description" }) as HTMLOptionElement;
    expect(reason.value).toBe("Item damaged or not as described");
    expect(screen.getByRole("button", { name: "Confirmer le remboursement" })).toBeTruthy();
  });

  it("tells a German viewer who moves money, and shows the action's answer", () => {
    remix.loaderData = detailData({ plan: checkoutPlan, canMoveMoney: false });
    remix.actionData = { ok: true, message: "Die Rückerstattung über 25,00 € wurde direkt bei Checkout.com angefordert.", orderUrl: null };
    renderPage(<PaymentDetail />, "de");
    expect(screen.getByText(/Rückerstattungen, Erfassungen und Stornierungen nimmt die Rolle Finanzen vor/)).toBeTruthy();
    expect(screen.getByText("Die Rückerstattung über 25,00 € wurde direkt bei Checkout.com angefordert.")).toBeTruthy();
  });

  it("keeps its English words", () => {
    remix.loaderData = detailData({ plan: checkoutPlan });
    renderPage(<PaymentDetail />);
    expect(screen.getByText("Authorized €1,065.40 · Visa •••• 4242 · risk score 82, flagged")).toBeTruthy();
    expect(screen.getByText("payment approved")).toBeTruthy();
    expect(screen.getByText("soft decline")).toBeTruthy();
    expect(screen.getByText("Refundable €1,065.40")).toBeTruthy();
    expect(screen.getByText("fraudulent · €1,065.40 · evidence due 20 Mar 2026")).toBeTruthy();
  });
});
