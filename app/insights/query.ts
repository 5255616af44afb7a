// The Insights range and filters from the URL (`range`, or `from` and `to`; `currency`; `country`), and the
// period before it that figures are compared with. Days are the shop's local days; `today` is the caller's
// (localDay in the shop's zone). Unlike the list screens' lenient filters, a range that cannot be read is
// refused with why: silently showing another range would show wrong figures under the asked-for dates.
import { z } from "zod";
import type { Words } from "../i18n/locales";
import { addDays } from "../lib/dates";
import { RANGE_PRESETS, type InsightsQuery, type RangePreset } from "./model";

const DEFAULT_RANGE: RangePreset = "30d";
/** The longest range: a year and a bit, so a year can be compared with the one before. */
const MAX_RANGE_DAYS = 400;

const DAY_MS = 86_400_000;
const PRESET_DAYS: Record<RangePreset, number> = { "7d": 7, "30d": 30, "90d": 90, "365d": 365 };

const words = (key: string, values?: Words["values"]): Words => ({ key: `insights.${key}`, ...(values ? { values } : {}) });

/** "2026-12-06", a day that exists (not "2026-02-30"). */
export const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && addDays(value, 0) === value;

const DAY_MESSAGE = "write the day as YYYY-MM-DD, like 2026-12-01.";
const day = z.string().refine(isDay, DAY_MESSAGE);

/** How many days from `from` to `to`, both included. */
const dayCount = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** Every day from `from` to `to`, both included, in order. */
export function daysFrom(from: string, to: string): string[] {
  return Array.from({ length: Math.max(0, dayCount(from, to)) }, (_, i) => addDays(from, i));
}

// Empty values (a form's cleared field) are no value.
const optionalText = z
  .string()
  .optional()
  .transform((v) => v?.trim() || undefined);

const paramsSchema = z.object({
  range: optionalText.pipe(z.enum([...RANGE_PRESETS, "custom"], { message: "Choose a range: 7d, 30d, 90d or 365d, or a first and last day." }).optional()),
  from: optionalText.pipe(day.optional()),
  to: optionalText.pipe(day.optional()),
  currency: optionalText.pipe(
    z
      .string()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, "A currency is its 3-letter code, like EUR.")
      .optional(),
  ),
  country: optionalText.pipe(
    z
      .string()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "A country is its 2-letter code, like FR.")
      .optional(),
  ),
});

export type ParsedInsightsQuery = { ok: true; query: InsightsQuery } | { ok: false; message: string; words: Words };

const refused = (message: string, refusal: Words): ParsedInsightsQuery => ({ ok: false, message, words: refusal });

/**
 * The range and filters the URL asks for: a preset (`range`, default 30 days) ends today; `from` and `to`
 * (or `range=custom` with them) give the days, the first no later than the last, at most 400 days, none after
 * `today`. The refusal's `message` is English; its `words` say the same in a staff member's language.
 */
export function parseInsightsQuery(params: URLSearchParams, today: string): ParsedInsightsQuery {
  const parsed = paramsSchema.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0]);
    // A day's message is shared by both fields: said with the field it is about.
    if (field === "from" || field === "to") return refused(`${field === "from" ? "First" : "Last"} day: ${DAY_MESSAGE}`, words(`${field}Day`));
    return refused(issue.message, words(field));
  }
  const { range, from, to, currency, country } = parsed.data;
  const filters = { currency: currency ?? null, country: country ?? null };
  if (!from && !to && range !== "custom") {
    const days = PRESET_DAYS[range ?? DEFAULT_RANGE];
    return { ok: true, query: { from: addDays(today, 1 - days), to: today, ...filters } };
  }
  if (!from || !to) return refused("Give both the first and the last day.", words("bothDays"));
  if (from > to) return refused("The first day must not be after the last.", words("order"));
  if (to > today) return refused(`The last day cannot be after today (${today}).`, words("future", { today }));
  if (dayCount(from, to) > MAX_RANGE_DAYS) return refused(`A range is at most ${MAX_RANGE_DAYS} days.`, words("tooLong", { days: MAX_RANGE_DAYS }));
  return { ok: true, query: { from, to, ...filters } };
}

/** The same number of days just before `from`, with the same filters. */
export function previousPeriod(query: InsightsQuery): InsightsQuery {
  const days = dayCount(query.from, query.to);
  return { ...query, from: addDays(query.from, -days), to: addDays(query.from, -1) };
}
