// @vitest-environment jsdom
// Home's dispute cards (the warning that evidence is due, the disputes due soon) in the staff member's
// language: counts in the right plural, amounts and dates in the language's notation.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";
import { ShopTimeZoneProvider } from "../../ui/format";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { DueSoonCard } = await import("./due-soon");
const { EvidenceDueBanner } = await import("./evidence-due-banner");

afterEach(cleanup);

const NOW = "2026-12-01T08:00:00.000Z";
const due = [
  {
    id: "d-1",
    orderName: "#1001",
    ckoDisputeId: "dsp_1",
    category: "fraudulent",
    amount: 106540,
    currency: "EUR",
    evidenceRequiredBy: "2026-12-01T08:40:00.000Z",
  },
  { id: "d-2", orderName: null, ckoDisputeId: "dsp_2", category: null, amount: 500, currency: "USD", evidenceRequiredBy: "2026-11-30T08:00:00.000Z" },
];

describe("home's dispute cards", () => {
  it("in German: the plurals, the deadline in the shop's zone, amounts and time left", () => {
    renderPage(
      <ShopTimeZoneProvider timeZone="Europe/Berlin">
        <EvidenceDueBanner count={2} nearest="2026-12-02T14:05:00.000Z" hours={1} />
        <DueSoonCard disputes={due} now={NOW} />
      </ShopTimeZoneProvider>,
      "de",
    );
    expect(screen.getByText("2 Streitfälle benötigen innerhalb von 1 Stunde Nachweise")).toBeTruthy();
    expect(screen.getByText(/^Die nächste Frist endet am 2\. Dez\. 2026, 15:05 UTC\+01:00\./)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Streitfälle öffnen" })).toBeTruthy();
    expect(screen.getByText("Bald fällige Nachweise für Streitfälle")).toBeTruthy();
    // Intl puts a no-break space before the currency sign, which accessible names keep.
    expect(screen.getByRole("link", { name: /^#1001 · Betrug · 1\.065,40\s€$/ })).toBeTruthy();
    expect(screen.getByRole("link", { name: /^dsp_2 · Unbekannter Grund · 5,00\s\$$/ })).toBeTruthy();
    expect(screen.getByText("Noch 40 Minuten")).toBeTruthy();
    expect(screen.getByText("Überfällig")).toBeTruthy();
  });

  it("in French: one dispute, and many hours", () => {
    renderPage(
      <>
        <EvidenceDueBanner count={1} nearest="2026-12-02T14:05:00.000Z" hours={72} />
        <DueSoonCard disputes={due.slice(0, 1)} now={NOW} />
      </>,
      "fr",
    );
    expect(screen.getByText("1 litige nécessite des preuves d'ici 72 heures")).toBeTruthy();
    expect(screen.getByText(/^L'échéance la plus proche est le 2 déc\. 2026, 14:05 UTC\./)).toBeTruthy();
    expect(screen.getByRole("link", { name: /^#1001 · Fraude · 1\s065,40\s€$/ })).toBeTruthy();
    expect(screen.getByText("40 minutes restantes")).toBeTruthy();
  });
});
