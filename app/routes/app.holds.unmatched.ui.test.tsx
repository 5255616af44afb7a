// @vitest-environment jsdom
// The Unmatched tab in the staff member's language (Polaris in jsdom, Remix's hooks replaced by test
// data): each risky payment, why it is risky, how long it has waited and its candidate orders.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { default: UnmatchedPayments } = await import("./app.holds.unmatched");

const seen = (text: string) => text.replace(/\s+/g, " ");

afterEach(() => {
  cleanup();
  remix.actionData = undefined;
});

const NOW = "2026-03-04T12:00:00.000Z";

function page() {
  return {
    now: NOW,
    canLink: true,
    payments: [
      {
        id: "p-1",
        ckoPaymentId: "pay_lost",
        amount: 106_540,
        currency: "EUR",
        customerEmail: "ana@example.com",
        cardScheme: null,
        cardLast4: "4242",
        reference: "cart-91",
        riskScore: 88,
        reasons: ["flagged", "risk_score"],
        paidAt: "2026-03-02T09:05:00.000Z",
        stillLooking: false,
        candidates: [
          {
            gid: "gid://shopify/Order/1",
            name: "#1001",
            total: 106_540,
            currency: "EUR",
            email: "ana@example.com",
            createdAt: "2026-03-02T09:00:00.000Z",
            why: ["email", "amount"],
          },
        ],
      },
    ],
  };
}

describe("unmatched risky payments", () => {
  it("reads as before in English", () => {
    remix.loaderData = page();
    remix.actionData = { ok: true, message: "Linked to #1001. The order is held for review." };
    renderPage(<UnmatchedPayments />);
    expect(screen.getByText("Unmatched risky payments")).toBeTruthy();
    expect(screen.getByText("€1,065.40 · ana@example.com")).toBeTruthy();
    expect(screen.getByText("Flagged by Checkout.com")).toBeTruthy();
    expect(screen.getByText(/waiting 2 days\. The app stopped looking for its order\./)).toBeTruthy();
    expect(screen.getByText("Card •••• 4242 · reference cart-91 · risk score 88 · pay_lost")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Link to #1001" })).toBeTruthy();
  });

  it("speaks German, with amounts and dates as German readers write them", () => {
    remix.loaderData = page();
    renderPage(<UnmatchedPayments />, "de");
    expect(screen.getByText("Nicht zugeordnete riskante Zahlungen")).toBeTruthy();
    expect(screen.getByText(seen("1.065,40 € · ana@example.com"))).toBeTruthy();
    expect(screen.getByText("Von Checkout.com markiert")).toBeTruthy();
    expect(screen.getByText("Risikobewertung")).toBeTruthy();
    expect(screen.getByText(/Wartezeit: 2 Tage\. Die App sucht nicht mehr nach der Bestellung\./)).toBeTruthy();
    expect(screen.getByText(/Referenz cart-91 · Risikobewertung 88 · pay_lost$/)).toBeTruthy();
    expect(screen.getByText(/gleiche E-Mail, gleicher Betrag und gleiche Währung$/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Mit #1001 verknüpfen" })).toBeTruthy();
    expect(screen.getByLabelText("Oder Bestellung angeben")).toBeTruthy();
  });

  it("speaks French, and says when nothing waits", () => {
    remix.loaderData = { ...page(), payments: [] };
    renderPage(<UnmatchedPayments />, "fr");
    expect(screen.getByText("Paiements risqués non associés")).toBeTruthy();
    expect(screen.getByText("Aucun paiement risqué n'attend sa commande.")).toBeTruthy();
  });
});
