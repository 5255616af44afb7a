// The Insights page's route as the embedded admin calls it (session token, staff member): the figures are
// the session shop's only, for the range the URL asks ending today in the shop's zone; a range it cannot
// read says why in the staff member's language; admins save and delete rates and change thresholds, for
// their own shop only; anyone else is refused.
import { beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { paymentDays, upToDate } from "../../test/helpers/insight-rollups";
import { seedOfflineSession, seedStaff, staffRequest } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import { db } from "../db.server";
import { addDays, localDay } from "../lib/dates";
import * as route from "./app.insights";

const OWNER = 74_000_401;
const VIEWER = 74_000_402;
const GERMAN = 74_000_403;
const ZONE = "Pacific/Auckland";
let shopA: { id: string; domain: string };
let shopB: { id: string; domain: string };
let today: string;

const load = async (domain: string, search = "", userId = OWNER) =>
  (await callAction(route.loader, staffRequest(domain, `/app/insights${search}`, userId))).json();
const post = (domain: string, form: Record<string, string>, userId = OWNER) => callAction(route.action, staffRequest(domain, "/app/insights", userId, form));

beforeAll(async () => {
  shopA = await createShop();
  shopB = await createShop();
  today = localDay(new Date(), ZONE);
  for (const shop of [shopA, shopB]) {
    await db().shop.update({ where: { id: shop.id }, data: { ianaTimezone: ZONE, currency: "USD" } });
    await upToDate(shop.id, ZONE, new Date());
    await seedOfflineSession(shop.domain);
    await seedStaff(shop.domain, { userId: OWNER, role: "owner" });
  }
  await seedStaff(shopA.domain, { userId: VIEWER, role: "viewer" });
  await seedStaff(shopA.domain, { userId: GERMAN, role: "viewer", locale: "de" });
  await paymentDays(shopA.id, [
    { day: today, currency: "EUR", country: "DE", payments: 4, approved: 3, approvedAmount: 30_000, declined: 1, declinedAmount: 900 },
    { day: addDays(today, -20), currency: "USD", country: "US", payments: 2, approved: 2, approvedAmount: 5_000 },
  ]);
  await paymentDays(shopB.id, [{ day: today, currency: "GBP", country: "GB", payments: 9, approved: 9, approvedAmount: 99_000 }]);
});

describe("the Insights loader", () => {
  it("gives the session shop's figures for the range asked, ending today in the shop's zone", async () => {
    const week = await load(shopA.domain, "?range=7d");
    expect(week.error).toBeNull();
    expect(week.today).toBe(today);
    expect(week.view.query).toEqual({ from: addDays(today, -6), to: today, currency: null, country: null });
    expect(week.view.payments.totals.map((t: { currency: string; current: { payments: number } }) => [t.currency, t.current.payments])).toEqual([["EUR", 4]]);
    const month = await load(shopA.domain);
    expect(month.view.query.from).toBe(addDays(today, -29));
    expect(month.view.payments.totals.map((t: { currency: string }) => t.currency)).toEqual(["EUR", "USD"]);
    expect(month.view.currencies).toEqual(["EUR", "USD"]);
    // Shop B sees its own payments only.
    const theirs = await load(shopB.domain, "?range=7d");
    expect(theirs.view.payments.totals.map((t: { currency: string }) => t.currency)).toEqual(["GBP"]);
    expect(theirs.view.currencies).toEqual(["GBP"]);
  });

  it("says why a range cannot be shown, in the staff member's language, instead of figures", async () => {
    const refused = await load(shopA.domain, `?from=${today}&to=${addDays(today, -3)}`);
    expect(refused).toMatchObject({ error: "The first day must not be after the last.", view: null });
    const german = await load(shopA.domain, `?from=${addDays(today, -3)}&to=${addDays(today, 1)}`, GERMAN);
    expect(german.error).toMatch(/^Der letzte Tag/);
    expect(german.view).toBeNull();
  });
});

describe("the Insights forms", () => {
  it("saves a dated rate with its source, lists it, and deletes it; another shop cannot delete it", async () => {
    const saved = await post(shopA.domain, { intent: "rate", currency: "eur", rate: "1.08", validFrom: "2026-11-01", source: "ECB reference rate" });
    expect(await saved.json()).toEqual({ intent: "rate", ok: true, message: "Rate for EUR saved.", fieldErrors: {} });
    const { rates, canEdit } = await load(shopA.domain);
    expect(canEdit).toBe(true);
    expect(rates.map((r: { currency: string; rate: number; validFrom: string; source: string }) => [r.currency, r.rate, r.validFrom, r.source])).toEqual([
      ["EUR", 1.08, "2026-11-01", "ECB reference rate"],
    ]);
    expect((await load(shopB.domain)).rates).toEqual([]);

    const theirs = await post(shopB.domain, { intent: "delete-rate", id: rates[0].id });
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toMatchObject({ intent: "delete-rate", ok: false });
    expect((await load(shopA.domain)).rates).toHaveLength(1);
    const deleted = await post(shopA.domain, { intent: "delete-rate", id: rates[0].id });
    expect(await deleted.json()).toMatchObject({ intent: "delete-rate", ok: true, message: "Rate deleted." });
    expect((await load(shopA.domain)).rates).toEqual([]);
  });

  it("says which field of a rate is wrong", async () => {
    const refused = await post(shopA.domain, { intent: "rate", currency: "EUR", rate: "-1", validFrom: "2026-11-01", source: "ECB" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      intent: "rate",
      ok: false,
      message: "Check the fields marked.",
      fieldErrors: { rate: "Enter the rate as a number above 0, like 1.08." },
    });
  });

  it("changes a threshold typed in per cent, and leaves a default typed back unchanged", async () => {
    const saved = await post(shopA.domain, {
      intent: "thresholds",
      "ratio.visa-vdmp-standard": "0.9",
      "minCount.visa-vdmp-standard": "100",
      "ratio.mastercard-ecm": "1.2",
      "minCount.mastercard-ecm": "50",
    });
    expect(await saved.json()).toMatchObject({ intent: "thresholds", ok: true, message: "Thresholds saved." });
    const thresholds = (await load(shopA.domain)).view.disputes.thresholds as Array<{ id: string; ratio: number; minCount: number; changed: boolean }>;
    expect(thresholds.filter((t) => t.changed).map((t) => [t.id, t.ratio, t.minCount])).toEqual([["mastercard-ecm", 0.012, 50]]);
    expect((await load(shopB.domain)).view.disputes.thresholds.some((t: { changed: boolean }) => t.changed)).toBe(false);

    const refused = await post(shopA.domain, { intent: "thresholds", "ratio.mastercard-ecm": "", "minCount.mastercard-ecm": "50" });
    expect(await refused.json()).toMatchObject({ intent: "thresholds", ok: false, message: "Enter each ratio above 0% and at most 100%." });
  });

  it("refuses staff who may not change settings", async () => {
    const refused = await post(shopA.domain, { intent: "rate", currency: "EUR", rate: "1.1", validFrom: "2026-12-01", source: "Bank" }, VIEWER);
    expect(refused.status).toBe(403);
    expect((await load(shopA.domain, "", VIEWER)).canEdit).toBe(false);
    expect(await db().currencyRate.count({ where: { shopId: shopA.id, validFrom: "2026-12-01" } })).toBe(0);
  });
});
