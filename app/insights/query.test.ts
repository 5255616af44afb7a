// The Insights range from the URL: presets end today, a custom range is checked (order, length, not after
// today, real days), filters are codes, and a refusal says why in words; the previous period is as long and
// ends the day before.
import { describe, expect, it } from "vitest";
import { daysFrom, parseInsightsQuery, previousPeriod } from "./query";

const TODAY = "2026-12-06";
const parse = (search: string) => parseInsightsQuery(new URLSearchParams(search), TODAY);

describe("parseInsightsQuery", () => {
  it("reads the 30 days ending today by default, and each preset", () => {
    expect(parse("")).toEqual({ ok: true, query: { from: "2026-11-07", to: TODAY, currency: null, country: null } });
    expect(parse("range=7d")).toEqual({ ok: true, query: { from: "2026-11-30", to: TODAY, currency: null, country: null } });
    expect(parse("range=90d")).toMatchObject({ ok: true, query: { from: "2026-09-08", to: TODAY } });
    expect(parse("range=365d")).toMatchObject({ ok: true, query: { from: "2025-12-07", to: TODAY } });
  });

  it("reads a custom range and the filters, upper-casing codes and ignoring empty values", () => {
    expect(parse("from=2026-02-01&to=2026-03-01&currency=eur&country=fr")).toEqual({
      ok: true,
      query: { from: "2026-02-01", to: "2026-03-01", currency: "EUR", country: "FR" },
    });
    expect(parse("range=custom&from=2026-12-06&to=2026-12-06&currency=&country=")).toEqual({
      ok: true,
      query: { from: TODAY, to: TODAY, currency: null, country: null },
    });
    // Days win over a preset.
    expect(parse("range=7d&from=2026-10-01&to=2026-10-31")).toMatchObject({ ok: true, query: { from: "2026-10-01", to: "2026-10-31" } });
  });

  it("takes at most 400 days", () => {
    expect(parse("from=2025-11-02&to=2026-12-06")).toMatchObject({ ok: true, query: { from: "2025-11-02" } });
    expect(parse("from=2025-11-01&to=2026-12-06")).toEqual({
      ok: false,
      message: "A range is at most 400 days.",
      words: { key: "insights.tooLong", values: { days: 400 } },
    });
  });

  it("refuses what it cannot read, saying which part and why", () => {
    expect(parse("range=14d")).toEqual({
      ok: false,
      message: "Choose a range: 7d, 30d, 90d or 365d, or a first and last day.",
      words: { key: "insights.range" },
    });
    expect(parse("from=2026-02-30&to=2026-03-01")).toEqual({
      ok: false,
      message: "First day: write the day as YYYY-MM-DD, like 2026-12-01.",
      words: { key: "insights.fromDay" },
    });
    expect(parse("from=2026-02-01&to=1.3.2026")).toMatchObject({ ok: false, words: { key: "insights.toDay" } });
    expect(parse("from=2026-02-01")).toEqual({ ok: false, message: "Give both the first and the last day.", words: { key: "insights.bothDays" } });
    expect(parse("range=custom")).toMatchObject({ ok: false, words: { key: "insights.bothDays" } });
    expect(parse("from=2026-03-02&to=2026-03-01")).toEqual({
      ok: false,
      message: "The first day must not be after the last.",
      words: { key: "insights.order" },
    });
    expect(parse("from=2026-12-01&to=2026-12-07")).toEqual({
      ok: false,
      message: "The last day cannot be after today (2026-12-06).",
      words: { key: "insights.future", values: { today: TODAY } },
    });
    expect(parse("currency=EURO")).toEqual({ ok: false, message: "A currency is its 3-letter code, like EUR.", words: { key: "insights.currency" } });
    expect(parse("country=FRA")).toEqual({ ok: false, message: "A country is its 2-letter code, like FR.", words: { key: "insights.country" } });
  });
});

describe("previousPeriod", () => {
  it("is as many days just before the first, with the same filters", () => {
    expect(previousPeriod({ from: "2026-11-30", to: "2026-12-06", currency: "EUR", country: null })).toEqual({
      from: "2026-11-23",
      to: "2026-11-29",
      currency: "EUR",
      country: null,
    });
    // Across a leap day: 29 days of February 2028, then the 29 before.
    expect(previousPeriod({ from: "2028-02-01", to: "2028-02-29", currency: null, country: null })).toMatchObject({ from: "2028-01-03", to: "2028-01-31" });
  });
});

describe("daysFrom", () => {
  it("lists every day of a range, both ends included, across a month's end", () => {
    expect(daysFrom("2026-11-29", "2026-12-02")).toEqual(["2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"]);
    expect(daysFrom(TODAY, TODAY)).toEqual([TODAY]);
  });
});
