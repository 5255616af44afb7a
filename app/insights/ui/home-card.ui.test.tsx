// @vitest-environment jsdom
// Home's Insights card: the few figures Home keeps of the last 30 days' view (this month's dispute ratio
// against the threshold it reached, or the next one), and the card in English and German.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";
import { fixtureView } from "./fixture";
import { InsightsHomeCard, insightsSummary } from "./home-card";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

afterEach(cleanup);

describe("the Insights summary", () => {
  it("keeps the rates and this month's ratio with the highest threshold it reached", () => {
    expect(insightsSummary(fixtureView())).toEqual({
      from: "2026-12-01",
      to: "2026-12-03",
      approvalRate: 0.8846,
      declineRate: 0.1154,
      releaseRate: 0.6667,
      disputes: {
        month: "2026-12",
        ratio: 0.03125,
        threshold: { name: "Mastercard Excessive Chargeback Merchant", ratio: 0.015, minCount: 1, state: "reached" },
      },
    });
  });

  it("names the next threshold while none is reached, and the one needing fewest disputes when the month is above them all", () => {
    const view = fixtureView();
    view.disputes.months = [
      { month: "2026-11", disputes: 9, payments: 10, countRatio: 0.9, valueRatio: null, reached: [] },
      { month: "2026-12", disputes: 1, payments: 200, countRatio: 0.005, valueRatio: null, reached: [] },
    ];
    expect(insightsSummary(view).disputes).toEqual({
      month: "2026-12",
      ratio: 0.005,
      threshold: { name: "Visa VAMP", ratio: 0.009, minCount: 100, state: "next" },
    });
    // Above both levels, but too few disputes for Visa's: Mastercard's needs 1.
    view.disputes.months = [{ month: "2026-12", disputes: 1, payments: 20, countRatio: 0.05, valueRatio: null, reached: [] }];
    view.disputes.thresholds[1].minCount = 5;
    expect(insightsSummary(view).disputes).toEqual({
      month: "2026-12",
      ratio: 0.05,
      threshold: { name: "Mastercard Excessive Chargeback Merchant", ratio: 0.015, minCount: 5, state: "tooFewDisputes" },
    });
    view.disputes.months = [];
    expect(insightsSummary(view).disputes).toBeNull();
  });
});

describe("the Insights card", () => {
  it("shows the four figures and links to Insights", () => {
    renderPage(<InsightsHomeCard summary={insightsSummary(fixtureView())} />);
    expect(screen.getByText("1 Dec 2026 – 3 Dec 2026")).toBeTruthy();
    expect(screen.getByText("Approval rate").nextSibling?.textContent).toBe("88.46%");
    expect(screen.getByText("Decline rate").nextSibling?.textContent).toBe("11.54%");
    expect(screen.getByText("Dispute ratio, Dec 2026").nextSibling?.textContent).toBe("3.13%");
    expect(screen.getByText("Reached Mastercard Excessive Chargeback Merchant (1.5%)").className).toContain("critical");
    expect(screen.getByText("Holds released").nextSibling?.textContent).toBe("66.67%");
    expect(screen.getByRole("link", { name: "View insights" }).getAttribute("href")).toBe("/app/insights");
  });

  it("speaks German, with a dash for a rate there is nothing to compute from", () => {
    const summary = { ...insightsSummary(fixtureView()), releaseRate: null };
    summary.disputes = { month: "2026-12", ratio: 0.005, threshold: { name: "Visa VAMP", ratio: 0.009, minCount: 100, state: "next" } };
    renderPage(<InsightsHomeCard summary={summary} />, "de");
    expect(screen.getByText("Autorisierungsrate").nextSibling?.textContent).toBe("88,46\u00a0%");
    expect(screen.getByText("Streitfallquote, Dez. 2026").nextSibling?.textContent).toBe("0,5\u00a0%");
    expect(screen.getByText(/^Nächste Schwelle: Visa VAMP \(0,9\s%\)$/)).toBeTruthy();
    expect(screen.getByText("Freigegebene Sperren").nextSibling?.textContent).toBe("–");
    expect(screen.getByRole("link", { name: "Analysen ansehen" })).toBeTruthy();
  });

  it("warns of a ratio above a threshold whose count of disputes is not reached", () => {
    const summary = { ...insightsSummary(fixtureView()) };
    summary.disputes = {
      month: "2026-12",
      ratio: 0.0833,
      threshold: { name: "Visa VDMP early warning", ratio: 0.0065, minCount: 75, state: "tooFewDisputes" },
    };
    renderPage(<InsightsHomeCard summary={summary} />);
    expect(screen.getByText("Above Visa VDMP early warning (0.65%), which also needs 75 disputes").className).toContain("critical");
  });
});
