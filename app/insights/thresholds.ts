// The card schemes' dispute monitoring thresholds the Insights page compares each month with, as the
// schemes published them, and the merchant's own figures where they changed one (an acquirer's stricter
// limits, a region's). The scheme decides, not this page: what it shows is a warning.
//
// How close the comparison is: the page's ratio is disputes received ÷ payments approved in the same
// calendar month (the shop's local month), all card schemes together. Each program counts its own way:
// VAMP adds the issuers' fraud reports (TC40) to the disputes and divides by settled Visa transactions;
// Mastercard divides a month's chargebacks by the previous month's Mastercard transactions, and makes a
// merchant "excessive" only after two such months in a row; VAMP's count must exceed 1,500 where here it
// must reach it. So the figures here approximate each program's own and can differ from the acquirer's report.
import { z } from "zod";
import type { DisputeThreshold } from "./model";

type DefaultThreshold = Omit<DisputeThreshold, "changed">;

export const DEFAULT_THRESHOLDS: readonly DefaultThreshold[] = [
  {
    id: "visa-vamp-excessive",
    scheme: "Visa",
    program: "VAMP excessive merchant",
    ratio: 0.015,
    minCount: 1500,
    source: "Visa VAMP merchant threshold from 1 Apr 2026, outside MENA (Checkout.com support, 2025)",
  },
  {
    id: "visa-vdmp-early-warning",
    scheme: "Visa",
    program: "VDMP early warning",
    ratio: 0.0065,
    minCount: 75,
    source: "Visa VDMP, replaced by VAMP on 1 Apr 2025; acquirers still warn at it",
  },
  {
    id: "visa-vdmp-standard",
    scheme: "Visa",
    program: "VDMP standard",
    ratio: 0.009,
    minCount: 100,
    source: "Visa VDMP, replaced by VAMP on 1 Apr 2025; acquirers still watch it",
  },
  {
    id: "mastercard-cmm",
    scheme: "Mastercard",
    program: "Chargeback-monitored merchant (CMM)",
    ratio: 0.01,
    minCount: 100,
    source: "Mastercard Security Rules and Procedures, Excessive Chargeback Program (2025)",
  },
  {
    id: "mastercard-ecm",
    scheme: "Mastercard",
    program: "Excessive chargeback merchant (ECM)",
    ratio: 0.015,
    minCount: 100,
    source: "Mastercard Security Rules and Procedures, Excessive Chargeback Program (2025): two months in a row",
  },
  {
    id: "mastercard-hecm",
    scheme: "Mastercard",
    program: "High excessive chargeback merchant (HECM)",
    ratio: 0.03,
    minCount: 300,
    source: "Mastercard Security Rules and Procedures, Excessive Chargeback Program (2025): two months in a row",
  },
];

/** A merchant's figures for one threshold, as ShopSettings.disputeThresholds keeps them. */
const thresholdChangeSchema = z.object({
  id: z.string(),
  ratio: z.number().finite().gt(0).max(1),
  minCount: z.number().int().min(0).max(1_000_000),
});
export type ThresholdChange = z.infer<typeof thresholdChangeSchema>;

/** The stored changes that still make sense: unreadable JSON, bad entries and ids no longer known are ignored. */
export function storedChanges(settingsJson: string | null | undefined): ThresholdChange[] {
  let stored: unknown;
  try {
    stored = JSON.parse(settingsJson || "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((entry) => {
    const parsed = thresholdChangeSchema.safeParse(entry);
    return parsed.success && DEFAULT_THRESHOLDS.some((t) => t.id === parsed.data.id) ? [parsed.data] : [];
  });
}

/** The thresholds the shop compares with: the defaults with the merchant's figures over them, marked `changed`. */
export function thresholdsFor(settingsJson: string | null | undefined): DisputeThreshold[] {
  const changes = new Map(storedChanges(settingsJson).map((c) => [c.id, c]));
  return DEFAULT_THRESHOLDS.map((threshold) => {
    const change = changes.get(threshold.id);
    const ratio = change?.ratio ?? threshold.ratio;
    const minCount = change?.minCount ?? threshold.minCount;
    return { ...threshold, ratio, minCount, changed: ratio !== threshold.ratio || minCount !== threshold.minCount };
  });
}

/** The ids of the thresholds a month reached: its ratio at or above the threshold's and at least its count of disputes. */
export function reachedThresholds(thresholds: readonly DisputeThreshold[], month: { disputes: number; countRatio: number | null }): string[] {
  const { disputes, countRatio } = month;
  if (countRatio === null) return [];
  return thresholds.filter((t) => countRatio >= t.ratio && disputes >= t.minCount).map((t) => t.id);
}
