// @vitest-environment jsdom
// The disputes list as the merchant reads it (Polaris in jsdom, Remix's hooks replaced by test data):
// in English as before, and in German and French with their words, amounts and dates.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { default: Disputes } = await import("./app.disputes._index");

afterEach(cleanup);

const NOW = "2026-03-01T12:00:00.000Z";
const dispute = (overrides: Record<string, unknown> = {}) => ({
  id: "d-1",
  ckoDisputeId: "dsp_0123456789abcdef0123",
  ckoPaymentId: "pay_abc",
  paymentId: "p-1",
  category: "product_service_not_received",
  reasonCode: "13.1",
  amount: 106540,
  currency: "EUR",
  status: "evidence_required",
  responseState: "none",
  evidenceRequiredBy: "2026-03-04T15:30:00.000Z",
  receivedOn: NOW,
  orderName: "#1001",
  evidenceBuilt: false,
  needsResponse: true,
  ...overrides,
});

function show(locale: "en" | "fr" | "de", triggerOn = false) {
  remix.loaderData = {
    disputes: [
      dispute(),
      dispute({
        id: "d-2",
        orderName: "#1002",
        category: "fraudulent",
        status: "won",
        needsResponse: false,
        evidenceBuilt: true,
        amount: 990,
        evidenceRequiredBy: "2026-02-10T08:05:00.000Z",
      }),
    ],
    autoSubmit: { enabled: false, days: 2 },
    reminder: { hours: 72, triggerOn },
    now: NOW,
  };
  renderPage(<Disputes />, locale);
}

describe("disputes list", () => {
  it("reads as before in English, the Flow screen linked inside the help text", () => {
    show("en", true);
    expect(screen.getByText("Product or service not received")).toBeTruthy();
    expect(screen.getByText("€1,065.40")).toBeTruthy();
    expect(screen.getByText("3 days left")).toBeTruthy();
    expect(screen.getByText("Not built yet")).toBeTruthy();
    const help = screen.getByText(/^From 1 to 336 hours \(14 days\)\./);
    expect(help.textContent).toBe(
      "From 1 to 336 hours (14 days). The reminder is the Flow trigger “Dispute evidence due soon”: it is sent only once you turn it on in the Shopify Flow screen (it is on).",
    );
    expect(screen.getByRole("link", { name: "Shopify Flow" }).getAttribute("href")).toBe("/app/flow");
  });

  it("speaks German: headings, reasons, statuses, the time left, amounts and dates", () => {
    show("de");
    expect(screen.getAllByText("Streitfälle").length).toBeGreaterThan(0);
    // IndexTable draws its headings twice (the sticky copy).
    for (const heading of ["Bestellung", "Grund", "Betrag", "Antworten bis", "Nachweise"]) expect(screen.getAllByText(heading).length).toBeGreaterThan(0);
    expect(screen.getByText("Ware oder Leistung nicht erhalten")).toBeTruthy();
    expect(screen.getByText("1.065,40 €")).toBeTruthy();
    expect(screen.getByText("9,90 €")).toBeTruthy();
    expect(screen.getByText("4. März 2026, 15:30 UTC")).toBeTruthy();
    expect(screen.getByText("10. Feb. 2026, 08:05 UTC")).toBeTruthy();
    expect(screen.getByText("Noch 3 Tage")).toBeTruthy();
    expect(screen.getByText("Nachweise erforderlich")).toBeTruthy();
    expect(screen.getByText("Gewonnen")).toBeTruthy();
    expect(screen.getByText("Automatische Einreichung")).toBeTruthy();
    expect(screen.getByLabelText("Stunden vor Ablauf der Frist")).toBeTruthy();
    expect(screen.getByText(/\(er ist derzeit deaktiviert\)\.$/)).toBeTruthy();
    expect(screen.queryByText(/Automatic submission|Respond by/)).toBeNull();
  });

  it("speaks French", () => {
    show("fr");
    expect(screen.getByText("Produit ou service non reçu")).toBeTruthy();
    expect(screen.getByText("1 065,40 €")).toBeTruthy();
    expect(screen.getByText("3 jours restants")).toBeTruthy();
    expect(screen.getByText("Pas encore constituées")).toBeTruthy();
    expect(screen.getByText("Soumission automatique")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Enregistrer le rappel" })).toBeTruthy();
  });
});
