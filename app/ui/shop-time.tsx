// The admin's dates in the shop's time zone: the layout route (routes/app.tsx) provides the zone once
// per request, and screens format with `useShopDates()` rather than passing the zone down as props.
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { formatDate, formatDateTime } from "../lib/dates";

// Null: UTC (a shop Shopify has not told us the zone of, or a screen rendered outside the layout).
const ShopTimeZone = createContext<string | null>(null);

export function ShopTimeZoneProvider({ timeZone, children }: { timeZone: string | null; children: ReactNode }) {
  return <ShopTimeZone.Provider value={timeZone}>{children}</ShopTimeZone.Provider>;
}

/** `date` ("3 Jan 2026") and `dateTime` ("3 Jan 2026, 09:05 UTC-05:00") in the shop's time zone. */
export function useShopDates() {
  const timeZone = useContext(ShopTimeZone);
  return useMemo(
    () => ({
      date: (at: string | Date) => formatDate(at, timeZone),
      dateTime: (at: string | Date) => formatDateTime(at, timeZone),
    }),
    [timeZone],
  );
}
