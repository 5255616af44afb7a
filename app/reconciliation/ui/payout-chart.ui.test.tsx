// @vitest-environment jsdom
// Home's payouts card in the browser: the server's HTML hydrates without a mismatch and the chart is
// drawn after it (Polaris Viz loaded then); picking another currency shows that currency's figures alone.
import "../../../test/helpers/jsdom-gaps";
import { AppProvider } from "@shopify/polaris";
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import type { ReactNode } from "react";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";
import { createI18n } from "../../i18n/i18n";
import { polarisTranslations } from "../../i18n/polaris";
import type { PayoutSeries } from "../payout-views.server";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { PayoutChartCard } = await import("./payout-chart");

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const series: PayoutSeries = {
  days: 90,
  currencies: [
    { currency: "GBP", days: [{ day: "2026-12-01", net: 40_000, processingFees: 900, schemeFees: 300, otherFees: 25 }] },
    {
      currency: "JPY",
      days: [
        { day: "2026-11-28", net: 15_000, processingFees: 450, schemeFees: 0, otherFees: 0 },
        { day: "2026-12-04", net: 2_000, processingFees: 60, schemeFees: 12, otherFees: 0 },
      ],
    },
  ],
};

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole("row")
    .map((row) => row.textContent?.trim());

describe("the payouts card in the browser", () => {
  it("hydrates the server's HTML without a mismatch, then draws the chart", async () => {
    const i18n = createI18n("en");
    const page = (node: ReactNode) => (
      <I18nextProvider i18n={i18n}>
        <AppProvider i18n={polarisTranslations.en}>{node}</AppProvider>
      </I18nextProvider>
    );
    const container = document.body.appendChild(document.createElement("div"));
    onTestFinished(() => container.remove());
    // Rendered here, where there is a window, Polaris takes its layout effects for a browser's and React
    // warns of them; Node's render has no such warning (payout-chart.test.tsx).
    const serverWarnings = vi.spyOn(console, "error").mockImplementation(() => {});
    container.innerHTML = renderToString(page(<PayoutChartCard series={series} />));
    expect(serverWarnings.mock.calls.filter(([message]) => !String(message).includes("useLayoutEffect does nothing on the server"))).toEqual([]);
    serverWarnings.mockRestore();
    expect(within(container).queryByRole("link", { name: "Skip the chart" })).toBeNull();

    const errors = vi.spyOn(console, "error");
    const recoverable = vi.fn();
    const root = await act(async () => hydrateRoot(container, page(<PayoutChartCard series={series} />), { onRecoverableError: recoverable }));
    onTestFinished(() => root.unmount());
    expect(errors).not.toHaveBeenCalled();
    expect(recoverable).not.toHaveBeenCalled();
    // Polaris Viz's own skip link comes with the chart, once its module has loaded.
    expect(await within(container).findByRole("link", { name: "Skip the chart" })).toBeTruthy();
    expect(errors).not.toHaveBeenCalled();
    expect(within(container).getByRole("table", { name: "Net paid out and fees by payout day, in GBP" })).toBeTruthy();
  });

  it("shows the picked currency's figures, never mixed with another's", () => {
    renderPage(<PayoutChartCard series={series} />);
    fireEvent.change(screen.getByLabelText("Currency"), { target: { value: "JPY" } });
    expect(screen.queryByRole("table", { name: /in GBP$/ })).toBeNull();
    expect(rowsOf(screen.getByRole("table", { name: "Net paid out and fees by payout day, in JPY" }))).toEqual([
      "Payout dayNetProcessing feesScheme feesOther fees",
      "28 Nov 2026¥15,000¥450¥0¥0",
      "4 Dec 2026¥2,000¥60¥12¥0",
    ]);
  });
});
