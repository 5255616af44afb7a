// The schemes' dispute thresholds: the defaults with their sources, the merchant's changes over them (what
// cannot be read, or names no threshold, is ignored), and a month reaching one only with both its ratio and
// its count.
import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, reachedThresholds, thresholdsFor } from "./thresholds";

describe("thresholdsFor", () => {
  it("gives the defaults, each with its source, unchanged", () => {
    const thresholds = thresholdsFor("[]");
    expect(thresholds.map((t) => [t.id, t.ratio, t.minCount, t.changed])).toEqual([
      ["visa-vamp-excessive", 0.015, 1500, false],
      ["visa-vdmp-early-warning", 0.0065, 75, false],
      ["visa-vdmp-standard", 0.009, 100, false],
      ["mastercard-cmm", 0.01, 100, false],
      ["mastercard-ecm", 0.015, 100, false],
      ["mastercard-hecm", 0.03, 300, false],
    ]);
    for (const t of thresholds) expect(t.source.length, t.id).toBeGreaterThan(20);
    expect(thresholdsFor(null)).toEqual(thresholds);
  });

  it("puts the merchant's figures over the defaults and marks them changed, ignoring unknown ids and bad entries", () => {
    const stored = JSON.stringify([
      { id: "visa-vdmp-standard", ratio: 0.005, minCount: 20 },
      { id: "mastercard-cmm", ratio: 0.01, minCount: 100 },
      { id: "discover-something", ratio: 0.01, minCount: 1 },
      { id: "mastercard-ecm", ratio: 2, minCount: 1 },
      "junk",
    ]);
    const byId = Object.fromEntries(thresholdsFor(stored).map((t) => [t.id, t]));
    expect(byId["visa-vdmp-standard"]).toMatchObject({ ratio: 0.005, minCount: 20, changed: true, scheme: "Visa" });
    // The default's own figures are no change.
    expect(byId["mastercard-cmm"]).toMatchObject({ ratio: 0.01, minCount: 100, changed: false });
    expect(byId["mastercard-ecm"]).toMatchObject({ ratio: 0.015, minCount: 100, changed: false });
    expect(Object.keys(byId)).toEqual(DEFAULT_THRESHOLDS.map((t) => t.id));
  });

  it("reads unreadable settings as the defaults", () => {
    expect(thresholdsFor("{not json")).toEqual(thresholdsFor("[]"));
    expect(thresholdsFor('{"id":"visa-vdmp-standard"}')).toEqual(thresholdsFor("[]"));
  });
});

describe("reachedThresholds", () => {
  const thresholds = thresholdsFor("[]");

  it("needs the ratio and the count, each at or above the threshold's", () => {
    // 100 disputes of 10,000 payments: 1%, exactly Mastercard's CMM ratio and count, and past VDMP's.
    expect(reachedThresholds(thresholds, { disputes: 100, countRatio: 100 / 10_000 })).toEqual([
      "visa-vdmp-early-warning",
      "visa-vdmp-standard",
      "mastercard-cmm",
    ]);
    expect(reachedThresholds(thresholds, { disputes: 99, countRatio: 99 / 9_900 })).toEqual(["visa-vdmp-early-warning"]);
    // A high ratio on few disputes reaches nothing.
    expect(reachedThresholds(thresholds, { disputes: 10, countRatio: 0.5 })).toEqual([]);
    expect(reachedThresholds(thresholds, { disputes: 2000, countRatio: 0.03 }).sort()).toEqual(DEFAULT_THRESHOLDS.map((t) => t.id).sort());
    expect(reachedThresholds(thresholds, { disputes: 5, countRatio: null })).toEqual([]);
  });
});
