import { describe, expect, it } from "vitest";
import { floors, missedTargets, trendPct, type SoakFigures } from "./soak";

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

  describe("targets", () => {
    const figures = (heapFloors: number[], rssFloors: number[]): SoakFigures => ({
      seconds: 300,
      rate_target: 100,
      rate_achieved: 100,
      accepted: 30_000,
      non_2xx: 0,
      errors: 0,
      backlog_at_end: 0,
      jobs_due_at_end: 0,
      jobs_due_by_kind: {},
      jobs_done_per_s_by_kind: {},
      shopify_webhooks_accepted: 24_000,
      shopify_webhooks_failed: 0,
      rss_start_mb: rssFloors[0],
      rss_end_mb: rssFloors.at(-1)!,
      rss_peak_mb: Math.max(...rssFloors),
      rss_growth_mb: 0,
      rss_growth_pct: 0,
      rss_trend_pct: trendPct(rssFloors),
      rss_floor_mb: rssFloors,
      rss_floor_trend_pct: trendPct(rssFloors),
      rss_samples_mb: rssFloors,
      heap_start_mb: heapFloors[0],
      heap_end_mb: heapFloors.at(-1)!,
      heap_floor_mb: heapFloors,
      heap_floor_trend_pct: trendPct(heapFloors),
      heap_trend_pct: trendPct(heapFloors),
      heap_samples_mb: heapFloors,
      app_errors_logged: 0,
    });

    it("pass a heap and a resident size that hold their level", () => {
      expect(missedTargets(figures([46.6, 46.9, 46.7, 47, 46.8], [220.7, 219.6, 218.4, 219, 219.9]))).toEqual([]);
    });

    it("fail a heap that keeps what it is given (1 KB per event at 100 events/s: +6 MB a minute)", () => {
      expect(missedTargets(figures([46.6, 52.5, 58.3, 64.2, 70], [220.7, 226, 232, 238, 244]))).toContainEqual(
        expect.stringMatching(/^heap after GC floor trend \+\d/),
      );
    });

    it("fail native memory that grows while the heap stays level", () => {
      expect(missedTargets(figures([46.6, 46.9, 46.7, 47, 46.8], [220, 235, 250, 265, 280]))).toEqual([expect.stringMatching(/^RSS floor trend \+\d/)]);
    });
  });
});
