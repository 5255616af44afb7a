// @vitest-environment jsdom
// The Insights page as a merchant sees it (Polaris in jsdom, Remix's hooks answering from test data): the
// server's HTML hydrates without a mismatch; a range the URL cannot give says why instead of the figures;
// admins keep the rates and thresholds, others read them; a refused rate says which field is wrong.
import "../../test/helpers/jsdom-gaps";
import { AppProvider } from "@shopify/polaris";
import { act, cleanup, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";
import { createI18n } from "../i18n/i18n";
import { polarisTranslations } from "../i18n/polaris";
import { fixtureView } from "../insights/ui/fixture";
import { ShopTimeZoneProvider } from "../ui/format";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => ({ ...remixHooks(await original(), remix), useSearchParams: () => [new URLSearchParams(), () => {}] }));

const { default: Insights } = await import("./app.insights");

afterEach(() => {
  cleanup();
  remix.actionData = undefined;
  vi.restoreAllMocks();
});

const EUR_RATE = {
  id: "rate-1",
  currency: "EUR",
  rate: 1.08,
  validFrom: "2026-11-01",
  source: "ECB reference rate",
  createdAt: "2026-11-01T09:00:00.000Z",
  createdBy: "owner",
};
const page = (canEdit: boolean) => ({ today: "2026-12-03", canEdit, error: null, view: fixtureView(), rates: [EUR_RATE] });

describe("the Insights page", () => {
  it("hydrates the server's HTML in German without a mismatch", async () => {
    remix.loaderData = page(true);
    const i18n = createI18n("de");
    const tree = (node: ReactNode) => (
      <I18nextProvider i18n={i18n}>
        <AppProvider i18n={polarisTranslations.de}>
          <ShopTimeZoneProvider timeZone="America/New_York">{node}</ShopTimeZoneProvider>
        </AppProvider>
      </I18nextProvider>
    );
    const container = document.body.appendChild(document.createElement("div"));
    onTestFinished(() => container.remove());
    // Rendered where there is a window, Polaris takes its layout effects for a browser's and React warns of them.
    const serverWarnings = vi.spyOn(console, "error").mockImplementation(() => {});
    container.innerHTML = renderToString(tree(<Insights />));
    expect(serverWarnings.mock.calls.filter(([message]) => !String(message).includes("useLayoutEffect does nothing on the server"))).toEqual([]);
    serverWarnings.mockRestore();
    expect(container.textContent).toContain("Zahlen aktualisiert am 3. Dez. 2026, 12:05 UTC-05:00.");

    const errors = vi.spyOn(console, "error");
    const recoverable = vi.fn();
    const root = await act(async () => hydrateRoot(container, tree(<Insights />), { onRecoverableError: recoverable }));
    onTestFinished(() => root.unmount());
    expect(recoverable).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
  });

  it("says why a range cannot be shown, with the way back to the last 30 days, and shows no figures", () => {
    remix.loaderData = { today: "2026-12-03", canEdit: true, error: "The first day must not be after the last.", view: null, rates: [] };
    renderPage(<Insights />);
    expect(screen.getByText("This range cannot be shown")).toBeTruthy();
    expect(screen.getByText("The first day must not be after the last.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Show the last 30 days" }).getAttribute("href")).toBe("/app/insights");
    expect(screen.queryByRole("heading", { name: "Payments" })).toBeNull();
  });

  it("says the figures are being built while a rebuild runs, and only then", () => {
    remix.loaderData = { ...page(true), view: { ...fixtureView(), building: true } };
    renderPage(<Insights />);
    expect(screen.getByText("Insights are being built")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Payments" })).toBeTruthy();
    cleanup();
    remix.loaderData = page(true);
    renderPage(<Insights />);
    expect(screen.queryByText("Insights are being built")).toBeNull();
  });

  it("lets an admin add and delete rates and change the thresholds, in per cent", () => {
    remix.loaderData = page(true);
    renderPage(<Insights />);
    expect(screen.getByText("1 EUR = 1.08 USD")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Delete the EUR rate from 1 Nov 2026" })).toBeTruthy();
    for (const label of ["Currency", "Rate in USD", "From", "Source"]) expect(screen.getAllByLabelText(label).length).toBeGreaterThan(0);
    expect(screen.getByRole("button", { name: "Add rate" })).toBeTruthy();
    expect(screen.getAllByLabelText("Ratio").map((field) => (field as HTMLInputElement).value)).toEqual(["0.9", "1.5"]);
    expect(screen.getAllByLabelText("At least this many disputes").map((field) => (field as HTMLInputElement).name)).toEqual([
      "minCount.visa-vamp",
      "minCount.mastercard-ecm",
    ]);
    expect(screen.getByText("Source: Mastercard Security Rules")).toBeTruthy();
    expect(screen.getByText("Changed")).toBeTruthy();
  });

  it("shows the rates and thresholds to others, with nothing to change", () => {
    remix.loaderData = page(false);
    renderPage(<Insights />);
    expect(screen.getByText("1 EUR = 1.08 USD")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Delete/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Add rate" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Save thresholds" })).toBeNull();
    expect(screen.getByText("0.9% with at least 100 disputes")).toBeTruthy();
    expect(screen.getByText("1.5% with at least 1 dispute")).toBeTruthy();
  });

  it("shows a refused rate's message and the wrong field's error on the rate form only", () => {
    remix.loaderData = page(true);
    remix.actionData = {
      intent: "rate",
      ok: false,
      message: "Check the fields marked.",
      fieldErrors: { rate: "Enter the rate as a number above 0, like 1.08." },
    };
    renderPage(<Insights />);
    expect(screen.getAllByText("Check the fields marked.")).toHaveLength(1);
    expect(screen.getByText("Enter the rate as a number above 0, like 1.08.")).toBeTruthy();
  });
});
