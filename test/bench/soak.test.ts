import { describe, expect, it } from "vitest";
import { floors, trendPct } from "./soak";

describe("the soak's memory measure", () => {
  // The readings of a CI run that was refused for "memory trend +12.1%": one garbage-collector swing
  // late in the run, back to where it started 15 s later.
  const gcSwing = [255.9, 229.1, 230.3, 234.1, 230.7, 229, 234.4, 235.7, 233.8, 235.6, 233.4, 247.1, 239.2, 242.5, 247, 254.6, 286, 345.9, 237.3, 233.3, 231.8];

  it("is not fooled by a swing the collector gives back", () => {
    expect(trendPct(gcSwing)).toBeGreaterThan(10);
    expect(trendPct(floors(gcSwing, 4))).toBeLessThan(10);
  });

  it("sees a leak, which lifts every window's lowest reading", () => {
    // 1.5 MB kept per reading under the same swings: +30 MB (about 12%) over the run.
    const leaking = gcSwing.map((mb, i) => mb + i * 1.5);
    expect(trendPct(floors(leaking, 4))).toBeGreaterThan(10);
  });

  it("takes the lowest of each window, and a last window when at least half full", () => {
    expect(floors([5, 3, 4, 9, 8, 7, 1], 3)).toEqual([3, 7]);
    expect(floors([5, 3, 4, 9, 8, 7, 1, 2], 3)).toEqual([3, 7, 1]);
    expect(floors([5], 3)).toEqual([5]);
  });
});
