import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, addDays, localDay, localDayStart } from "./dates";

describe("dates", () => {
  it("spells out UTC when no zone is given, or an empty one", () => {
    expect(formatDateTime("2026-01-03T14:05:59Z")).toBe("3 Jan 2026, 14:05 UTC");
    expect(formatDateTime(new Date("2026-01-03T14:05:00Z"), null)).toBe("3 Jan 2026, 14:05 UTC");
    expect(formatDate("2026-01-03T14:05:00Z", "")).toBe("3 Jan 2026");
  });

  it.each([
    // New York: EST (UTC-5) in winter, EDT (UTC-4) from 8 Mar 2026 at 02:00 local to 1 Nov 2026 at 02:00 local.
    ["2026-01-03T14:05:00Z", "America/New_York", "3 Jan 2026, 09:05 UTC-05:00"],
    ["2026-03-08T06:59:00Z", "America/New_York", "8 Mar 2026, 01:59 UTC-05:00"],
    ["2026-03-08T07:00:00Z", "America/New_York", "8 Mar 2026, 03:00 UTC-04:00"],
    // 01:30 happens twice on the night back: once in EDT, once in EST.
    ["2026-11-01T05:30:00Z", "America/New_York", "1 Nov 2026, 01:30 UTC-04:00"],
    ["2026-11-01T06:30:00Z", "America/New_York", "1 Nov 2026, 01:30 UTC-05:00"],
    // Europe changes at 01:00 UTC on the last Sunday of March.
    ["2026-03-29T00:59:00Z", "Europe/Berlin", "29 Mar 2026, 01:59 UTC+01:00"],
    ["2026-03-29T01:00:00Z", "Europe/Berlin", "29 Mar 2026, 03:00 UTC+02:00"],
    // London in winter is UTC, and says so.
    ["2026-01-03T14:05:00Z", "Europe/London", "3 Jan 2026, 14:05 UTC"],
    ["2026-07-03T14:05:00Z", "Europe/London", "3 Jul 2026, 15:05 UTC+01:00"],
    // Half and quarter hours.
    ["2026-01-03T14:05:00Z", "Asia/Kolkata", "3 Jan 2026, 19:35 UTC+05:30"],
    ["2026-01-03T14:05:00Z", "Asia/Kathmandu", "3 Jan 2026, 19:50 UTC+05:45"],
    ["2026-01-03T14:05:00Z", "America/St_Johns", "3 Jan 2026, 10:35 UTC-03:30"],
    // Midnight is 00, not 24.
    ["2026-01-03T05:00:00Z", "America/New_York", "3 Jan 2026, 00:00 UTC-05:00"],
    ["2026-01-03T14:05:00Z", "Etc/UTC", "3 Jan 2026, 14:05 UTC"],
  ])("%s in %s is %s", (iso, zone, words) => {
    expect(formatDateTime(iso, zone)).toBe(words);
  });

  it("gives the day in the zone, which need not be the UTC day", () => {
    // 03:30 UTC on 1 Jan is still New Year's Eve in New York, and already the 1st in Kolkata.
    const iso = "2026-01-01T03:30:00Z";
    expect([formatDate(iso), formatDate(iso, "America/New_York"), formatDate(iso, "Asia/Kolkata")]).toEqual(["1 Jan 2026", "31 Dec 2025", "1 Jan 2026"]);
    // 20:00 UTC on 28 Feb is 1 Mar in Auckland (UTC+13 in its summer).
    expect(formatDate("2026-02-28T20:00:00Z", "Pacific/Auckland")).toBe("1 Mar 2026");
    expect(formatDate("2026-02-28T20:00:00Z")).toBe("28 Feb 2026");
  });

  it("reads a zone it does not know as UTC", () => {
    for (const zone of ["Mars/Olympus_Mons", "not a zone", "UTC+5"]) {
      expect(formatDateTime("2026-01-03T14:05:00Z", zone)).toBe("3 Jan 2026, 14:05 UTC");
      expect(formatDate("2026-01-03T23:05:00Z", zone)).toBe("3 Jan 2026");
    }
  });
});

describe("local days", () => {
  it("places a time on the shop's local day", () => {
    expect(localDay(new Date("2026-12-06T03:00:00Z"), "America/Los_Angeles")).toBe("2026-12-05");
    expect(localDay(new Date("2026-12-05T19:00:00Z"), "Asia/Kolkata")).toBe("2026-12-06");
    expect(localDay(new Date("2026-12-06T23:59:59Z"), null)).toBe("2026-12-06");
  });

  it("starts a day at its local midnight, across clock changes and half-hour zones", () => {
    const hours = (day: string, zone: string | null) => (localDayStart(addDays(day, 1), zone).getTime() - localDayStart(day, zone).getTime()) / 3_600_000;
    expect(localDayStart("2026-12-06", "Asia/Kolkata").toISOString()).toBe("2026-12-05T18:30:00.000Z");
    expect(localDayStart("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(hours("2026-03-08", "America/New_York")).toBe(23);
    expect(hours("2026-10-25", "Europe/Berlin")).toBe(25);
    // Santiago's clocks skip from midnight to 01:00: the day starts at the first minute that exists.
    expect(localDayStart("2026-09-06", "America/Santiago").toISOString()).toBe("2026-09-06T04:00:00.000Z");
    expect(localDayStart("2026-12-06", null).toISOString()).toBe("2026-12-06T00:00:00.000Z");
  });

  it("adds days across months and years", () => {
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });
});
