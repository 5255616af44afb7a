// Dates in words, the same on the server and in the browser: spelled out in a time zone the caller
// names ("3 Jan 2026, 09:05 UTC-05:00"), UTC when it names none ("3 Jan 2026, 14:05 UTC"), in English,
// French ("3 janv. 2026") or German ("3. Jan. 2026"). The admin shows the shop's zone in the staff
// member's language (app/ui/format.tsx); evidence and exports stay English and UTC, so the same data
// always says the same. The text never depends on the browser's zone or ICU version: the wall clock
// comes from Intl's numeric parts and the words (CLDR's abbreviated months) and the offset are ours,
// so a page rendered on the server hydrates in any browser.
import type { Locale } from "../i18n/locales";

const MONTHS: Record<Locale, string[]> = {
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  fr: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
  de: ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
};

/** The day in words: "3 Jan 2026", "3 janv. 2026", "3. Jan. 2026". */
function dayText(c: WallClock, locale: Locale): string {
  const month = (MONTHS[locale] ?? MONTHS.en)[c.month];
  return locale === "de" ? `${c.day}. ${month} ${c.year}` : `${c.day} ${month} ${c.year}`;
}

interface WallClock {
  year: number;
  /** 0-11, as Date's. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** Minutes ahead of UTC. */
  offset: number;
}

// Building a DateTimeFormat is costly; a page formats hundreds of dates in one or two zones.
const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** Null for UTC, and for a zone this runtime does not know (which then reads as UTC). */
function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  if (!formatters.has(timeZone)) {
    let formatter: Intl.DateTimeFormat | null = null;
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
      });
    } catch {
      // RangeError: not an IANA zone this runtime knows.
    }
    formatters.set(timeZone, formatter);
  }
  return formatters.get(timeZone)!;
}

function wallClock(d: Date, timeZone: string | null | undefined): WallClock {
  const formatter = timeZone ? formatterFor(timeZone) : null;
  if (!formatter) return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), offset: 0 };
  const part = Object.fromEntries(formatter.formatToParts(d).map((p) => [p.type, Number(p.value)]));
  const clock = { year: part.year, month: part.month - 1, day: part.day, hour: part.hour, minute: part.minute };
  // The offset is what the wall clock reads ahead of UTC, both to the minute.
  const wallAsUtc = Date.UTC(clock.year, clock.month, clock.day, clock.hour, clock.minute);
  const utcMinute = Math.floor(d.getTime() / 60_000) * 60_000;
  return { ...clock, offset: Math.round((wallAsUtc - utcMinute) / 60_000) };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "UTC" at no offset, else "UTC+05:30" / "UTC-05:00". */
function offsetText(offset: number): string {
  if (offset === 0) return "UTC";
  const abs = Math.abs(offset);
  return `UTC${offset < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "3 Jan 2026": the day in `timeZone` (an IANA name; UTC when absent or unknown). */
export function formatDate(iso: string | Date, timeZone?: string | null, locale: Locale = "en"): string {
  return dayText(wallClock(new Date(iso), timeZone), locale);
}

/** "Dec 2026", "déc. 2026", "Dez. 2026": a calendar month ("2026-12"). */
export function formatMonth(month: string, locale: Locale = "en"): string {
  const [year, number] = month.split("-").map(Number);
  return `${(MONTHS[locale] ?? MONTHS.en)[number - 1]} ${year}`;
}

/** "3 Jan 2026, 09:05 UTC-05:00": the time in `timeZone` with its offset (UTC when absent or unknown). */
export function formatDateTime(iso: string | Date, timeZone?: string | null, locale: Locale = "en"): string {
  const c = wallClock(new Date(iso), timeZone);
  return `${dayText(c, locale)}, ${pad(c.hour)}:${pad(c.minute)} ${offsetText(c.offset)}`;
}

/** The local day of a time in `timeZone`, e.g. "2026-12-06" (UTC when absent or unknown). */
export function localDay(at: Date, timeZone?: string | null): string {
  const c = wallClock(at, timeZone);
  return `${c.year}-${pad(c.month + 1)}-${pad(c.day)}`;
}

/** "2026-12-06" plus `days` (negative: before). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The instant a local day begins in `timeZone`: its midnight, or the first minute that exists where a
 * clock change skips midnight. A day's times are those from its start to the next day's.
 */
export function localDayStart(day: string, timeZone?: string | null): Date {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  // Local midnight is midnight UTC minus the zone's offset; the offset at that guess can differ from
  // the one at the answer across a change, so look again from the first guess.
  let at = midnightUtc - wallClock(new Date(midnightUtc), timeZone).offset * 60_000;
  at = midnightUtc - wallClock(new Date(at), timeZone).offset * 60_000;
  // A change at midnight (e.g. America/Santiago) leaves no 00:00: the day starts an hour later.
  while (localDay(new Date(at), timeZone) < day) at += 3_600_000;
  while (localDay(new Date(at - 60_000), timeZone) === day) at -= 3_600_000;
  return new Date(at);
}
