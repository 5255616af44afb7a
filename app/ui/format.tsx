// Dates and money as the admin shows them: dates in the shop's time zone, both in the staff member's
// language. The layout route (routes/app.tsx) provides the zone and the language once per request, and
// screens format with `useFormat()` rather than passing them down as props.
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { isLocale } from "../i18n/locales";
import { formatDate, formatDateTime } from "../lib/dates";
import { formatMoneyIn, formatTotals } from "../lib/money";

// Null: UTC (a shop Shopify has not told us the zone of, or a screen rendered outside the layout).
const ShopTimeZone = createContext<string | null>(null);

export function ShopTimeZoneProvider({ timeZone, children }: { timeZone: string | null; children: ReactNode }) {
  return <ShopTimeZone.Provider value={timeZone}>{children}</ShopTimeZone.Provider>;
}

/**
 * `date` ("3 Jan 2026"), `dateTime` ("3 Jan 2026, 09:05 UTC-05:00") in the shop's time zone, `money`
 * (minor units and currency) and `totals` (one sum per currency), in the staff member's language.
 */
export function useFormat() {
  const timeZone = useContext(ShopTimeZone);
  const { i18n } = useTranslation();
  const locale = isLocale(i18n.language) ? i18n.language : "en";
  return useMemo(() => {
    const money = (minor: number, currency: string) => formatMoneyIn(locale, minor, currency);
    return {
      locale,
      date: (at: string | Date) => formatDate(at, timeZone, locale),
      /** A calendar day rather than a moment (a payout's date, stored as its midnight UTC): never shifted by the shop's time zone. */
      day: (at: string | Date) => formatDate(at, "UTC", locale),
      dateTime: (at: string | Date) => formatDateTime(at, timeZone, locale),
      money,
      totals: (amounts: ReadonlyArray<{ minor: number; currency: string }>) => formatTotals(amounts, money),
    };
  }, [timeZone, locale]);
}
