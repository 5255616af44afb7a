// @vitest-environment jsdom
// The hold page as a reviewer reads it (Polaris in jsdom, Remix's hooks replaced by test data): why it
// was held, the payment's checks and the customer's other payments and disputes here, on one screen,
// each fact once.
import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";
import type { CustomerPicture } from "../holds/customer-picture.server";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown, routeError: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { default: HoldPage } = await import("./app.holds.$id");

afterEach(cleanup);

const checks: CustomerPicture["checks"] = {
  avs: { code: "N", result: "neither", warning: true },
  cvv: { code: "Y", result: "match", warning: false },
  threeDs: { used: true, outcome: "attempted", warning: true },
  ipAddress: "203.0.113.10",
  ipCountry: { value: "NG", differs: true },
  cardCountry: { value: "US", differs: false },
  billingCountry: { value: "GB", differs: true },
  shippingCountry: "US",
};

const withHistory: CustomerPicture = {
  checks,
  others: [
    {
      id: "p-2",
      ckoPaymentId: "pay_2",
      at: "2026-01-03T14:05:00.000Z",
      amount: 4000,
      currency: "USD",
      status: "Refunded",
      order: { name: "#1077", gid: "gid://shopify/Order/77" },
      hold: { id: "h-2", status: "released" },
      refunded: 4000,
      disputed: true,
      sharedBy: ["email", "card"],
    },
    {
      id: "p-3",
      ckoPaymentId: "pay_3",
      at: "2026-01-02T09:30:00.000Z",
      amount: 1200,
      currency: "USD",
      status: "Captured",
      order: null,
      hold: null,
      refunded: null,
      disputed: false,
      sharedBy: ["customer"],
    },
  ],
  disputes: [
    {
      id: "d-1",
      ckoDisputeId: "dsp_ada_1",
      paymentId: "p-2",
      status: "lost",
      reason: "fraudulent",
      amount: 4000,
      currency: "USD",
      at: "2026-01-10T08:00:00.000Z",
    },
  ],
  totals: { payments: 2, cards: 2, refunded: [{ minor: 4000, currency: "USD" }], disputes: 1, capped: false },
};

function page(picture: CustomerPicture) {
  return {
    role: "reviewer",
    reviewers: [],
    cancel: null,
    hold: {
      id: "h-1",
      paymentId: "p-1",
      status: "held",
      monitorOnly: false,
      note: null,
      decidedAt: "2026-01-11T10:00:00.000Z",
      heldAt: "2026-01-11T10:00:02.000Z",
      resolvedAt: null,
      resolvedBy: null,
      fulfillmentHolds: 1,
      riskAssessmentDone: true,
      tagged: true,
      assignment: { userId: null, name: null, by: null, at: null },
      picture,
      order: { name: "#1078", url: "shopify:admin/orders/78" },
      match: { method: "reference_name", confidence: "strong", needsReview: false },
      payment: {
        ckoPaymentId: "pay_1",
        amount: 106540,
        currency: "EUR",
        status: "Authorized",
        riskScore: 85,
        riskFlagged: true,
        customerName: "Ada Lovelace",
        customerEmail: "ada@example.com",
        ckoCustomerId: "cus_ada",
        cardScheme: "Visa",
        cardLast4: "4242",
        hasCardFingerprint: true,
        cardCountry: "US",
        billingCountry: "GB",
        shippingCountry: "US",
        ipAddress: "203.0.113.10",
      },
      hits: [
        { rule: "velocity_payments", value: 4, threshold: 3, subject: "email ada@example.com", hours: 24 },
        { rule: "velocity_payments", value: 5, threshold: 3, subject: "card F31828E2BDAB…", hours: 24 },
        { rule: "amount", value: 106540, threshold: 100000, subject: null, hours: null },
      ],
      timeline: [],
      moneyActions: [],
      audit: [],
    },
  };
}

/** A TitledCard's content: what sits beside its heading. */
const card = (title: string) => screen.getByRole("heading", { name: title }).parentElement!;

describe("hold page", () => {
  it("shows the checks and the customer's other payments and disputes, with links to each", () => {
    remix.loaderData = page(withHistory);
    renderPage(<HoldPage />);

    // Why: every hit with its figures.
    expect(screen.getByText("4 payments for email ada@example.com in 24 h (more than 3)")).toBeTruthy();
    expect(screen.getByText("5 payments for card F31828E2BDAB… in 24 h (more than 3)")).toBeTruthy();

    const checksCard = within(card("Checks"));
    expect(checksCard.getByText("neither street address nor postcode matches (N)")).toBeTruthy();
    expect(checksCard.getByText("matches (Y)")).toBeTruthy();
    expect(checksCard.getByText("attempted (the issuer did not take part)")).toBeTruthy();
    expect(checksCard.getByText("203.0.113.10")).toBeTruthy();
    expect(checksCard.getAllByText("Mismatch")).toHaveLength(1);
    expect(checksCard.getAllByText("Not authenticated")).toHaveLength(1);
    // Billing GB and IP NG differ from shipping US; the card's US does not.
    expect(checksCard.getAllByText("Not the shipping country")).toHaveLength(2);

    expect(screen.getByText("Amount €1,065.40 is at or above €1,000.00")).toBeTruthy();
    expect(screen.getByText("€1,065.40 · Authorized")).toBeTruthy();

    const customer = within(card("This customer here"));
    expect(customer.getByText("2 other payments · 2 cards · refunded $40.00 · 1 dispute")).toBeTruthy();
    expect(customer.getByRole("link", { name: "3 Jan 2026, 14:05 UTC" }).getAttribute("href")).toBe("/app/payments/p-2");
    expect(customer.getByRole("link", { name: "Released" }).getAttribute("href")).toBe("/app/holds/h-2");
    expect(customer.getByRole("link", { name: "#1077" }).getAttribute("href")).toBe("shopify:admin/orders/77");
    expect(customer.getByText("Refunded $40.00")).toBeTruthy();
    expect(customer.getByText("Disputed")).toBeTruthy();
    expect(customer.getByText("email, card")).toBeTruthy();
    expect(customer.getByText("not held")).toBeTruthy();
    expect(customer.getByRole("link", { name: "dsp_ada_1" }).getAttribute("href")).toBe("/app/disputes/d-1");
    expect(customer.getByText("Lost")).toBeTruthy();
    expect(customer.getByText("Fraudulent")).toBeTruthy();

    // The IP address is shown once, in the checks, not again in the payment card.
    expect(screen.getAllByText("203.0.113.10")).toHaveLength(1);
    expect(screen.queryByText(/Card country/)).toBeNull();
  });

  it("says so in words when the customer has nothing else here", () => {
    remix.loaderData = page({ checks, others: [], disputes: [], totals: { payments: 0, cards: 0, refunded: [], disputes: 0, capped: false } });
    renderPage(<HoldPage />);
    const customer = within(card("This customer here"));
    expect(customer.getByText("No other payments from this customer here (same email, card or Checkout.com customer).")).toBeTruthy();
    expect(customer.getByText("No disputes on this customer's other payments here.")).toBeTruthy();
    expect(customer.queryByRole("table")).toBeNull();
  });

  it("speaks German: the hold, its rules, checks and customer in the staff member's words and money", () => {
    remix.loaderData = page(withHistory);
    renderPage(<HoldPage />, "de");

    expect(screen.getByText("Sperre für #1078")).toBeTruthy();
    expect(screen.getByText("1.065,40 € · Ada Lovelace")).toBeTruthy();
    expect(screen.getByText("Gesperrt")).toBeTruthy();
    expect(screen.getByText("4 Zahlungen für E-Mail ada@example.com in 24 Std. (mehr als 3)")).toBeTruthy();
    expect(screen.getByText("Betrag 1.065,40 € liegt bei oder über 1.000,00 €")).toBeTruthy();

    const checksCard = within(card("Prüfungen"));
    expect(checksCard.getByText("weder Straße noch Postleitzahl stimmen überein (N)")).toBeTruthy();
    expect(checksCard.getAllByText("Nicht das Lieferland")).toHaveLength(2);

    const customer = within(card("Dieser Kunde hier"));
    expect(customer.getByText("2 weitere Zahlungen · 2 Karten · 40,00 $ erstattet · 1 Streitfall")).toBeTruthy();
    expect(customer.getByRole("link", { name: "Freigegeben" }).getAttribute("href")).toBe("/app/holds/h-2");
    expect(customer.getByText("E-Mail, Karte")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Sperre freigeben" })).toBeTruthy();
  });

  it("speaks French, down to the amounts", () => {
    remix.loaderData = page(withHistory);
    renderPage(<HoldPage />, "fr");
    expect(screen.getByText("Blocage de #1078")).toBeTruthy();
    // Testing Library reads the narrow and non-breaking spaces French puts in amounts as plain spaces.
    expect(screen.getByText("1 065,40 € · Ada Lovelace")).toBeTruthy();
    expect(within(card("Ce client ici")).getByText("2 autres paiements · 2 cartes · 40,00 $US remboursés · 1 litige")).toBeTruthy();
    expect(screen.getByText("Le montant 1 065,40 € est supérieur ou égal à 1 000,00 €")).toBeTruthy();
  });
});
