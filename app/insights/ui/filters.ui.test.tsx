// @vitest-environment jsdom
// The range and filters above Insights change the URL's search params (the loader reads them again): a
// preset replaces the days, a custom range replaces the preset, a currency or a country is set or
// cleared, and the admin's own params stay.
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";
import type { InsightsQuery } from "../model";
import { CustomRange, InsightsFilters } from "./filters";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, params: new URLSearchParams(), setParams: (() => {}) as (next: URLSearchParams) => void }));
vi.mock("@remix-run/react", async (original) => ({ ...remixHooks(await original(), remix), useSearchParams: () => [remix.params, remix.setParams] }));

const TODAY = "2026-12-03";
let asked: string[];

beforeEach(() => {
  asked = [];
  remix.setParams = (next) => asked.push(next.toString());
});
afterEach(cleanup);

function filters(query: Partial<InsightsQuery>, params: string) {
  remix.params = new URLSearchParams(params);
  const q: InsightsQuery = { from: "2026-11-04", to: TODAY, currency: null, country: null, ...query };
  renderPage(
    <InsightsFilters query={q} previous={{ from: "2026-10-05", to: "2026-11-03" }} today={TODAY} currencies={["EUR", "USD"]} countries={["DE", "US"]} />,
  );
}

const pressed = () =>
  screen
    .getAllByRole("button")
    .filter((button) => button.getAttribute("aria-pressed") === "true")
    .map((button) => button.textContent);

describe("the Insights filters", () => {
  it("shows the preset the range is and the period it is compared with", () => {
    filters({}, "host=abc");
    expect(pressed()).toEqual(["30 days"]);
    expect(screen.getByText("4 Nov 2026 – 3 Dec 2026, compared with 5 Oct 2026 – 3 Nov 2026.")).toBeTruthy();
    cleanup();
    filters({ from: "2026-11-01", to: "2026-11-30" }, "host=abc&from=2026-11-01&to=2026-11-30");
    expect(pressed()).toEqual(["Custom"]);
  });

  it("puts a preset in the URL in place of the days, keeping the admin's params and the filters", () => {
    filters({ from: "2026-11-01", to: "2026-11-30", currency: "EUR" }, "host=abc&from=2026-11-01&to=2026-11-30&currency=EUR");
    fireEvent.click(screen.getByRole("button", { name: "90 days" }));
    expect(asked).toEqual(["host=abc&currency=EUR&range=90d"]);
  });

  it("sets and clears a currency and a country", () => {
    filters({}, "host=abc&range=30d");
    fireEvent.change(screen.getByLabelText("Currency"), { target: { value: "USD" } });
    fireEvent.change(screen.getByLabelText("Customer country"), { target: { value: "DE" } });
    expect(asked).toEqual(["host=abc&range=30d&currency=USD", "host=abc&range=30d&country=DE"]);
    cleanup();
    asked = [];
    filters({ currency: "USD" }, "host=abc&range=30d&currency=USD");
    fireEvent.change(screen.getByLabelText("Currency"), { target: { value: "" } });
    expect(asked).toEqual(["host=abc&range=30d"]);
  });

  it("opens the calendar from the custom range button", () => {
    filters({}, "host=abc&range=30d");
    const custom = screen.getByRole("button", { name: "Custom" });
    fireEvent.click(custom);
    expect(custom.getAttribute("aria-expanded")).toBe("true");
  });

  it("takes a custom range typed, and refuses one that ends before it starts", () => {
    const applied: Array<{ from: string; to: string }> = [];
    const query: InsightsQuery = { from: "2026-11-04", to: TODAY, currency: null, country: null };
    renderPage(<CustomRange query={query} today={TODAY} onApply={(range) => applied.push(range)} />);
    // The calendar shows the range's last month, its days selected.
    expect(screen.getByText("December 2026")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("First day"), { target: { value: "2026-10-20" } });
    fireEvent.change(screen.getByLabelText("Last day"), { target: { value: "2026-10-01" } });
    expect(screen.getByRole("button", { name: "Apply" }).getAttribute("aria-disabled")).toBe("true");
    fireEvent.change(screen.getByLabelText("Last day"), { target: { value: "2026-11-15" } });
    fireEvent.click(screen.getByRole("button", { name: "Apply" }));
    expect(applied).toEqual([{ from: "2026-10-20", to: "2026-11-15" }]);
  });
});
