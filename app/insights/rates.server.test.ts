// The merchant's conversion rates: saved per currency and first day (saving that day again replaces the
// rate), refused with each field's reason (never the shop's own currency), listed and deleted within the
// shop only, and each change on the audit log.
import { beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { db } from "../db.server";
import { NotFoundError } from "../lib/errors";
import { deleteCurrencyRate, listCurrencyRates, saveCurrencyRate } from "./rates.server";

let shopA: string;
let shopB: string;

beforeAll(async () => {
  shopA = (await createShop()).id;
  shopB = (await createShop()).id;
  await db().shop.update({ where: { id: shopA }, data: { currency: "USD" } });
});

describe("saveCurrencyRate", () => {
  it("saves a rate, and replaces the one of the same currency and first day", async () => {
    const saved = await saveCurrencyRate(shopA, { currency: " eur ", rate: "1.08", validFrom: "2026-11-01", source: "ECB reference rate" }, "Kim");
    expect(saved).toMatchObject({ ok: true, rate: { currency: "EUR", rate: 1.08, validFrom: "2026-11-01", source: "ECB reference rate", createdBy: "Kim" } });
    await saveCurrencyRate(shopA, { currency: "EUR", rate: 1.1, validFrom: "2026-11-01", source: "Corrected" }, "Ana");
    await saveCurrencyRate(shopA, { currency: "EUR", rate: 1.2, validFrom: "2026-12-01", source: "ECB reference rate" }, "Kim");
    await saveCurrencyRate(shopA, { currency: "JPY", rate: 0.0067, validFrom: "2026-12-01", source: "Bank" }, "Kim");
    await saveCurrencyRate(shopB, { currency: "EUR", rate: 9, validFrom: "2026-12-01", source: "Shop B's" }, "Lee");
    expect((await listCurrencyRates(shopA)).map((r) => [r.currency, r.rate, r.validFrom, r.source, r.createdBy])).toEqual([
      ["EUR", 1.2, "2026-12-01", "ECB reference rate", "Kim"],
      ["EUR", 1.1, "2026-11-01", "Corrected", "Ana"],
      ["JPY", 0.0067, "2026-12-01", "Bank", "Kim"],
    ]);
    expect((await listCurrencyRates(shopB)).map((r) => r.source)).toEqual(["Shop B's"]);
    const entries = await db().auditLog.findMany({ where: { shopId: shopA, action: "insights.rate.save" }, orderBy: { createdAt: "asc" } });
    expect(entries).toHaveLength(4);
    expect(JSON.parse(entries[1].details)).toEqual({ currency: "EUR", rate: 1.1, validFrom: "2026-11-01", source: "Corrected" });
  });

  it("refuses each wrong field with its reason and words, saving nothing", async () => {
    const before = await db().currencyRate.count({ where: { shopId: shopA } });
    expect(await saveCurrencyRate(shopA, { currency: "USD", rate: "abc", validFrom: "2026-02-30", source: "  " }, "Kim")).toEqual({
      ok: false,
      fieldErrors: {
        currency: "This is the shop's own currency: it always converts at 1.",
        rate: "Enter the rate as a number above 0, like 1.08.",
        validFrom: "Enter the first day as YYYY-MM-DD, like 2026-12-01.",
        source: "Say where the rate comes from, in 1 to 200 characters.",
      },
      fieldWords: {
        currency: { key: "insights.rate.ownCurrency" },
        rate: { key: "insights.rate.rate" },
        validFrom: { key: "insights.rate.validFrom" },
        source: { key: "insights.rate.source" },
      },
    });
    const refused = async (input: Record<string, unknown>) => {
      const result = await saveCurrencyRate(shopA, { currency: "EUR", rate: 1.1, validFrom: "2026-12-02", source: "ECB", ...input }, "Kim");
      return result.ok ? null : Object.keys(result.fieldErrors);
    };
    expect(await refused({ currency: "EURO" })).toEqual(["currency"]);
    expect(await refused({ rate: 0 })).toEqual(["rate"]);
    expect(await refused({ rate: "-1" })).toEqual(["rate"]);
    expect(await refused({ rate: Infinity })).toEqual(["rate"]);
    expect(await refused({ rate: undefined })).toEqual(["rate"]);
    expect(await refused({ validFrom: "1.12.2026" })).toEqual(["validFrom"]);
    expect(await refused({ source: "x".repeat(201) })).toEqual(["source"]);
    expect(await db().currencyRate.count({ where: { shopId: shopA } })).toBe(before);
  });
});

describe("deleteCurrencyRate", () => {
  it("deletes the shop's rate and finds no other shop's", async () => {
    const [rateB] = await listCurrencyRates(shopB);
    await expect(deleteCurrencyRate(shopA, rateB.id, "Kim")).rejects.toThrow(NotFoundError);
    expect(await listCurrencyRates(shopB)).toHaveLength(1);
    const jpy = (await listCurrencyRates(shopA)).find((r) => r.currency === "JPY")!;
    await deleteCurrencyRate(shopA, jpy.id, "Kim");
    expect((await listCurrencyRates(shopA)).map((r) => r.currency)).toEqual(["EUR", "EUR"]);
    await expect(deleteCurrencyRate(shopA, jpy.id, "Kim")).rejects.toThrow("This rate does not exist in this shop.");
    const [entry] = await db().auditLog.findMany({ where: { shopId: shopA, action: "insights.rate.delete" } });
    expect(JSON.parse(entry.details)).toEqual({ currency: "JPY", rate: 0.0067, validFrom: "2026-12-01", source: "Bank" });
  });
});
