// @vitest-environment jsdom
// Insights' sections as a merchant sees them (the charts themselves are drawn in the browser only): every
// chart's figures in the table screen readers read, amounts per currency and never mixed, converted
// totals naming the rates they used and the currencies they left out, the dispute months against the
// schemes' thresholds, and the words in German.
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";
import { DeclinesSection } from "./declines";
import { DisputesSection } from "./disputes";
import { fixtureView } from "./fixture";
import { HoldsSection } from "./holds";
import { PaymentsSection } from "./payments";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

afterEach(cleanup);

/** A table's rows, cells joined by "|". */
const rowsOf = (name: string | RegExp) =>
  within(screen.getByRole("table", { name }))
    .getAllByRole("row")
    .map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent).join("|"));

describe("Payments", () => {
  it("charts approved volume one currency at a time, the largest first, and its table has the same figures", () => {
    renderPage(<PaymentsSection view={fixtureView()} />);
    expect(rowsOf("Approved volume per day, in USD")).toEqual([
      "Day|Approved volume (USD)",
      "1 Dec 2026|$1,250.50",
      "2 Dec 2026|$500.00",
      "3 Dec 2026|$360.00",
    ]);
    fireEvent.change(screen.getByLabelText("Currency"), { target: { value: "EUR" } });
    expect(screen.queryByRole("table", { name: /in USD$/ })).toBeNull();
    expect(rowsOf("Approved volume per day, in EUR")).toEqual(["Day|Approved volume (EUR)", "1 Dec 2026|€400.00", "2 Dec 2026|€0.00", "3 Dec 2026|€0.00"]);
  });

  it("counts payments across currencies, and gives the approval rate per day", () => {
    renderPage(<PaymentsSection view={fixtureView()} />);
    expect(rowsOf("Payments and approved payments per day, all currencies")).toEqual([
      "Day|Payments|Approved",
      "1 Dec 2026|14|13",
      "2 Dec 2026|6|5",
      "3 Dec 2026|6|5",
    ]);
    expect(rowsOf("Approval rate per day")).toEqual(["Day|Approval rate", "1 Dec 2026|92.86%", "2 Dec 2026|83.33%", "3 Dec 2026|83.33%"]);
  });

  it("shows the filtered currency alone, with no picker", () => {
    const view = fixtureView();
    view.query.currency = "JPY";
    renderPage(<PaymentsSection view={view} />);
    expect(screen.queryByLabelText("Currency")).toBeNull();
    expect(rowsOf("Approved volume per day, in JPY")).toEqual(["Day|Approved volume (JPY)", "1 Dec 2026|¥0", "2 Dec 2026|¥0", "3 Dec 2026|¥13,600"]);
  });

  it("converts the volume into the shop's currency, naming the rates used and the currencies left out", () => {
    const { container } = renderPage(<PaymentsSection view={fixtureView()} />);
    expect(screen.getByText("Approved volume in USD")).toBeTruthy();
    expect(screen.getByText("$2,542.50")).toBeTruthy();
    expect(screen.getByText("Previous period: $700.00")).toBeTruthy();
    expect(screen.getByText("+263.2%")).toBeTruthy();
    expect(screen.getByText("Converted into USD at 1 EUR = 1.08 USD from 1 Nov 2026 (ECB reference rate).")).toBeTruthy();
    expect(screen.getByText("No rate for JPY: left out of this total.")).toBeTruthy();
    // Each currency's own figures, in its own currency.
    expect(container.textContent).toContain("EUR44€400.00€0.00€400.00€0.00");
    expect(container.textContent).toContain("JPY21¥13,600¥0¥13,600¥0");
  });

  it("shows no converted total when no currency of the range had a rate, only the amounts per currency", () => {
    const view = fixtureView();
    view.payments.converted = {
      current: { currency: "USD", amount: 0, missing: ["EUR", "JPY"] },
      previous: { currency: "USD", amount: 0, missing: [] },
    };
    view.payments.totals = view.payments.totals.filter((total) => total.currency !== "USD");
    view.rates = [];
    renderPage(<PaymentsSection view={view} />);
    expect(screen.getByText("Approved volume in USD").nextSibling?.textContent).toBe("–");
    expect(screen.getByText("€400.00 · ¥13,600")).toBeTruthy();
    expect(screen.getByText("No rates for EUR, JPY: left out of this total.")).toBeTruthy();
    expect(screen.queryByText(/^Converted into USD/)).toBeNull();
  });

  it("changes a share in percentage points, good news in green", () => {
    renderPage(<PaymentsSection view={fixtureView()} />);
    expect(screen.getByText("88.46%")).toBeTruthy();
    expect(screen.getByText("Previous period: 87.5%")).toBeTruthy();
    expect(screen.getByText("+0.96 pts").closest(".Polaris-Badge--toneSuccess")).toBeTruthy();
    // Captures came faster: down is good.
    expect(screen.getByText("5.5 hours")).toBeTruthy();
    expect(screen.getByText("-78.8%").closest(".Polaris-Badge--toneSuccess")).toBeTruthy();
  });

  it("says when the range has no payments, and lists no currency", () => {
    const view = fixtureView();
    view.payments = { ...view.payments, days: [], totals: [], converted: null };
    renderPage(<PaymentsSection view={view} />);
    expect(screen.getByText("No payments in this range.")).toBeTruthy();
    expect(screen.getByText("Per currency, below")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });
});

describe("Declines", () => {
  it("breaks declines down by class, then by response code with its reason", () => {
    renderPage(<DeclinesSection view={fixtureView()} />);
    expect(rowsOf("Decline rate per day")).toEqual(["Day|Decline rate", "1 Dec 2026|7.14%", "2 Dec 2026|16.67%", "3 Dec 2026|16.67%"]);
    expect(rowsOf("Declines by Class")).toEqual(["Class|Declines", "Soft (a retry may succeed)|2", "Hard|1"]);
    fireEvent.change(screen.getByLabelText("Show by"), { target: { value: "byCode" } });
    expect(rowsOf("Declines by Response code")).toEqual(["Response code|Declines", "20051 Insufficient Funds|2", "30004 Pick Up Card (No Fraud)|1"]);
  });

  it("ranks reasons by the value they lost in the shop's currency, saying which currency had no rate", () => {
    renderPage(<DeclinesSection view={fixtureView()} />);
    expect(rowsOf("Response codes by declined value")).toEqual([
      "Response code|Declined value (USD)",
      "20051 Insufficient Funds|$240.00",
      "30004 Pick Up Card (No Fraud)|$0.00",
    ]);
    expect(screen.getAllByText("No rate for JPY: left out of this total.")).toHaveLength(1);
    expect(screen.getByText("1 of 3 declines were followed by an approved payment of the same customer within 24 hours.")).toBeTruthy();
    expect(screen.getByText(/^Recovered value:/).textContent).toBe("Recovered value: $120.00");
  });

  it("ranks by count where a reason has no converted value", () => {
    const view = fixtureView();
    view.declines.topLost = view.declines.topLost.map((row) => ({ ...row, converted: null }));
    renderPage(<DeclinesSection view={view} />);
    expect(screen.getByText("By number of declines: without rates, amounts in several currencies cannot be compared.")).toBeTruthy();
    expect(rowsOf("Response codes by declined value")).toEqual(["Response code|Declines", "20051 Insufficient Funds|2", "30004 Pick Up Card (No Fraud)|1"]);
  });
});

describe("Disputes", () => {
  it("sets each month's ratio against the thresholds, a line per level, and marks the ones reached", () => {
    renderPage(<DisputesSection view={fixtureView()} />);
    expect(rowsOf("Dispute ratio per month and the card schemes' thresholds")).toEqual([
      "Month|Ratio by count|Ratio by value|0.9%: Visa VAMP|1.5%: Mastercard Excessive Chargeback Merchant",
      "Dec 2026|3.13%|1.18%|0.9%|1.5%",
    ]);
    const months = screen.getAllByRole("table").find((table) => table.textContent?.includes("Thresholds reached"))!;
    expect(
      within(months)
        .getAllByRole("row")
        .map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent).join("|")),
    ).toEqual([
      "Month|Disputes|Approved payments|Ratio by count|Ratio by value|Thresholds reached",
      // "Critical": the badge's tone, as a screen reader says it.
      "Dec 2026|1|32|3.13%|1.18%|CriticalMastercard Excessive Chargeback Merchant",
    ]);
  });

  it("gives outcomes by reason, evidence and the days to respond", () => {
    renderPage(<DisputesSection view={fixtureView()} />);
    expect(rowsOf("Win, loss and recovery rates by dispute reason")).toEqual(["Reason|Win rate|Loss rate|Recovery rate", "Fraudulent|100%|0%|100%"]);
    expect(screen.getByText("Evidence submitted").nextSibling?.textContent).toBe("1");
    expect(screen.getByText("0 disputes accepted without evidence.")).toBeTruthy();
    expect(screen.getByText("2.5 days")).toBeTruthy();
    expect(screen.getByText("1 won, 0 lost")).toBeTruthy();
  });
});

describe("Risk holds", () => {
  it("gives holds per day beside the monitor-only rules' would-have-held, and each rule's rates", () => {
    renderPage(<HoldsSection view={fixtureView()} />);
    expect(rowsOf("Holds and monitor-only rules' would-have-held per day")).toEqual([
      "Day|Held|Would have held (monitor only)",
      "1 Dec 2026|2|1",
      "2 Dec 2026|0|0",
      "3 Dec 2026|1|0",
    ]);
    expect(rowsOf("Release and cancel rates per rule")).toEqual([
      "Rule|Release rate|Cancel rate",
      "Risk score|66.67%|33.33%",
      "country_mismatch (monitor only)|–|–",
    ]);
    expect(screen.getByText("1 more would have been held by a monitor-only rule.")).toBeTruthy();
    expect(screen.getByText("$753.84")).toBeTruthy();
    expect(screen.getAllByText("€698.00")).toHaveLength(2);
  });
});

describe("in German", () => {
  it("says every figure in German, dates and amounts too", () => {
    renderPage(<PaymentsSection view={fixtureView()} />, "de");
    expect(rowsOf("Autorisiertes Volumen pro Tag, in USD")).toEqual([
      "Tag|Autorisiertes Volumen (USD)",
      "1. Dez. 2026|1.250,50\u00a0$",
      "2. Dez. 2026|500,00\u00a0$",
      "3. Dez. 2026|360,00\u00a0$",
    ]);
    expect(screen.getByText("Umgerechnet in USD zu 1 EUR = 1,08 USD ab 1. Nov. 2026 (ECB reference rate).")).toBeTruthy();
    expect(screen.getByText("Kein Kurs für JPY: in dieser Summe nicht enthalten.")).toBeTruthy();
    expect(screen.getByText("+0,96 Pkt.")).toBeTruthy();
  });
});
