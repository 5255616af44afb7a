// The merchant's dispute thresholds: saved over the defaults (only what differs is kept, earlier changes
// stay unless given again), refused with why for a bad figure, an unknown or repeated threshold, and the
// shop's own only.
import { beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { db } from "../db.server";
import { saveDisputeThresholds } from "./settings.server";
import { thresholdsFor } from "./thresholds";

let shopA: string;
let shopB: string;

const stored = async (shopId: string) => JSON.parse((await db().shopSettings.findUniqueOrThrow({ where: { shopId } })).disputeThresholds);

beforeAll(async () => {
  shopA = (await createShop()).id;
  shopB = (await createShop()).id;
});

describe("saveDisputeThresholds", () => {
  it("keeps the merchant's figures where they differ from the defaults, and earlier ones not given again", async () => {
    const first = await saveDisputeThresholds(shopA, [{ id: "visa-vdmp-standard", ratio: "0.005", minCount: "20" }], "Kim");
    expect(first.ok && first.thresholds.find((t) => t.id === "visa-vdmp-standard")).toMatchObject({ ratio: 0.005, minCount: 20, changed: true });
    await saveDisputeThresholds(
      shopA,
      [
        { id: "mastercard-cmm", ratio: 0.008, minCount: 50 },
        // The default's own figures: no change kept.
        { id: "visa-vamp-excessive", ratio: 0.015, minCount: 1500 },
      ],
      "Kim",
    );
    expect(await stored(shopA)).toEqual([
      { id: "visa-vdmp-standard", ratio: 0.005, minCount: 20 },
      { id: "mastercard-cmm", ratio: 0.008, minCount: 50 },
    ]);
    // Given back its default, a threshold is the default again.
    const reset = await saveDisputeThresholds(shopA, [{ id: "visa-vdmp-standard", ratio: 0.009, minCount: 100 }], "Kim");
    expect(reset).toEqual({ ok: true, thresholds: thresholdsFor(JSON.stringify([{ id: "mastercard-cmm", ratio: 0.008, minCount: 50 }])) });
    expect(await stored(shopA)).toEqual([{ id: "mastercard-cmm", ratio: 0.008, minCount: 50 }]);
    const entries = await db().auditLog.findMany({ where: { shopId: shopA, action: "insights.thresholds.save" } });
    expect(entries).toHaveLength(3);
    // Another shop keeps the defaults.
    expect(await db().shopSettings.findUnique({ where: { shopId: shopB } })).toMatchObject({ disputeThresholds: "[]" });
  });

  it("refuses a bad figure, an unknown or repeated threshold, and saves nothing", async () => {
    const before = await stored(shopA);
    expect(await saveDisputeThresholds(shopA, [{ id: "mastercard-cmm", ratio: 0, minCount: 10 }], "Kim")).toEqual({
      ok: false,
      message: "Enter each ratio above 0% and at most 100%.",
      words: { key: "insights.thresholds.ratio" },
    });
    expect(await saveDisputeThresholds(shopA, [{ id: "mastercard-cmm", ratio: 0.01, minCount: 2.5 }], "Kim")).toMatchObject({
      ok: false,
      words: { key: "insights.thresholds.minCount" },
    });
    expect(await saveDisputeThresholds(shopA, [{ id: "amex-something", ratio: 0.01, minCount: 10 }], "Kim")).toEqual({
      ok: false,
      message: 'There is no threshold "amex-something".',
      words: { key: "insights.thresholds.unknown", values: { id: "amex-something" } },
    });
    const twice = [
      { id: "mastercard-cmm", ratio: 0.01, minCount: 10 },
      { id: "mastercard-cmm", ratio: 0.02, minCount: 10 },
    ];
    expect(await saveDisputeThresholds(shopA, twice, "Kim")).toMatchObject({ ok: false, words: { key: "insights.thresholds.twice" } });
    expect(await saveDisputeThresholds(shopA, { id: "mastercard-cmm" }, "Kim")).toMatchObject({ ok: false, words: { key: "insights.thresholds.unreadable" } });
    expect(await stored(shopA)).toEqual(before);
  });
});
