// Daily figures as chart series: a value for every day of the range (a day without rows has none or
// zero). The previous period is compared in the headline figures: the view has no days of it.
import { addDays } from "../../lib/dates";
import type { InsightsView } from "../model";

/** Every day from `from` to `to`, inclusive. */
function rangeDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** `value` of each day's rows, in the order of `days`; `empty` for a day with none. */
export function perDay<T extends { day: string }>(rows: T[], days: string[], value: (rows: T[]) => number | null, empty: number | null): Array<number | null> {
  const byDay = new Map<string, T[]>();
  for (const row of rows) byDay.set(row.day, [...(byDay.get(row.day) ?? []), row]);
  return days.map((day) => {
    const of = byDay.get(day);
    return of ? value(of) : empty;
  });
}

/** The range's days. */
export const periodDays = (view: Pick<InsightsView, "query">) => rangeDays(view.query.from, view.query.to);

export const sum = <T>(rows: T[], of: (row: T) => number) => rows.reduce((total, row) => total + of(row), 0);
