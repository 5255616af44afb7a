// Home's payouts card rendered on the server, in Node, as Remix renders it: no chart (it measures its box,
// in the browser), and the table of the same figures in the staff member's language, the first currency
// only; the empty state.
import { AppProvider } from "@shopify/polaris";
import type { ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it, vi } from "vitest";
import { remixHooks } from "../../../test/helpers/remix-page";
import { createI18n } from "../../i18n/i18n";
import type { Locale } from "../../i18n/locales";
import { polarisTranslations } from "../../i18n/polaris";
import type { PayoutSeries } from "../payout-views.server";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { PayoutChartCard } = await import("./payout-chart");

const serverHtml = (node: ReactNode, locale: Locale = "en") =>
  renderToString(
    <I18nextProvider i18n={createI18n(locale)}>
      <AppProvider i18n={polarisTranslations[locale]}>{node}</AppProvider>
    </I18nextProvider>,
  );

const series: PayoutSeries = {
  days: 90,
  currencies: [
    {
      currency: "USD",
      days: [
        { day: "2026-11-20", net: 98_500, processingFees: 1_000, schemeFees: 500, otherFees: 0 },
        { day: "2026-12-03", net: -2_300, processingFees: 320, schemeFees: 105, otherFees: 10 },
      ],
    },
    { currency: "EUR", days: [{ day: "2026-12-02", net: 18_500, processingFees: 400, schemeFees: 100, otherFees: 0 }] },
  ],
};

/** The table's rows as text, cells joined by "|", from the server's HTML. */
const tableRows = (html: string) =>
  [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map(([, row]) => [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map(([, cell]) => cell).join("|"));

describe("the payouts card on the server", () => {
  it("renders the first currency's figures as a table and no chart, with the currency picker and the way to the payouts", () => {
    const html = serverHtml(<PayoutChartCard series={series} />);
    expect(html).toContain("<caption>Net paid out and fees by payout day, in USD</caption>");
    expect(tableRows(html)).toEqual([
      "Payout day|Net|Processing fees|Scheme fees|Other fees",
      "20 Nov 2026|$985.00|$10.00|$5.00|$0.00",
      "3 Dec 2026|-$23.00|$3.20|$1.05|$0.10",
    ]);
    expect(html).toContain("Net paid out and fees taken on each payout day of the last 90 days.");
    expect(html).toMatch(/<option value="EUR">EUR<\/option>/);
    expect(html).toContain('<a href="/app/payouts">View payouts</a>');
    expect(html).not.toContain("€");
    // The chart's box, empty until the browser draws in it.
    expect(html).toContain('<div style="height:280px"></div>');
    expect(html).not.toContain("Skip the chart");
  });

  it("speaks German, and has no picker for a single currency", () => {
    const html = serverHtml(<PayoutChartCard series={{ days: 90, currencies: series.currencies.slice(1) }} />, "de");
    expect(html).toContain("<caption>Ausgezahlter Nettobetrag und Gebühren je Auszahlungstag, in EUR</caption>");
    expect(tableRows(html)).toEqual([
      "Auszahlungstag|Netto|Bearbeitungsgebühren|Scheme-Gebühren|Sonstige Gebühren",
      "2. Dez. 2026|185,00\u00a0€|4,00\u00a0€|1,00\u00a0€|0,00\u00a0€",
    ]);
    expect(html).not.toContain("<select");
  });

  it("says there are no payouts in the window, with no table", () => {
    const html = serverHtml(<PayoutChartCard series={{ days: 90, currencies: [] }} />);
    expect(html).toContain("No payouts in the last 90 days. They appear here once Checkout.com has paid out and the daily import has run.");
    expect(html).not.toContain("<table");
  });
});
