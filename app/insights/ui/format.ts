// Insights' figures in words, in the staff member's language and the same on the server and in the
// browser: the admin's dates and money (app/ui/format.tsx), months, shares as percentages, counts, and
// the change against the previous period (percentage points for a share, per cent for a count).
import { useMemo } from "react";
import { formatMonth } from "../../lib/dates";
import { useFormat } from "../../ui/format";

// Building a NumberFormat costs far more than formatting with it; a page formats hundreds of figures.
const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, name: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}:${name}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

/** "–": a figure there is nothing to compute from (no payments, nothing decided). */
export const NONE = "–";

export function useInsightsFormat() {
  const base = useFormat();
  return useMemo(() => {
    const { locale } = base;
    const percentFormat = numberFormat(locale, "percent", { style: "percent", maximumFractionDigits: 2 });
    const decimalFormat = numberFormat(locale, "decimal", { maximumFractionDigits: 1 });
    const countFormat = numberFormat(locale, "count", { maximumFractionDigits: 0 });
    const rateFormat = numberFormat(locale, "rate", { maximumFractionDigits: 6 });
    const signedPercent = numberFormat(locale, "signedPercent", { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" });
    const signedDecimal = numberFormat(locale, "signedDecimal", { maximumFractionDigits: 2, signDisplay: "exceptZero" });
    return {
      ...base,
      /** "Dec 2026" from "2026-12". */
      month: (month: string) => formatMonth(month, locale),
      /** A share (0-1) as "88.46%". */
      percent: (share: number | null) => (share === null ? NONE : percentFormat.format(share)),
      /** "5.5": hours, days. */
      decimal: (value: number | null) => (value === null ? NONE : decimalFormat.format(value)),
      /** A conversion rate: "1.08", "0.0064". */
      rate: (value: number) => rateFormat.format(value),
      /** "1,204". */
      count: (value: number) => countFormat.format(value),
      /** A share's change in percentage points ("+0.96"), null when either side has none. */
      pointsChange: (current: number | null, previous: number | null) =>
        current === null || previous === null ? null : signedDecimal.format((current - previous) * 100),
      /** A figure's change in per cent of the previous ("+12.5%"), null when there was none before. */
      relativeChange: (current: number | null, previous: number | null) =>
        current === null || previous === null || previous === 0 ? null : signedPercent.format((current - previous) / previous),
    };
  }, [base]);
}

export type InsightsFormat = ReturnType<typeof useInsightsFormat>;
