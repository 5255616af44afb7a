// The merchant's own dispute thresholds (ShopSettings.disputeThresholds): their figures for some of the
// schemes' defaults (thresholds.ts), such as an acquirer's stricter limits. Only what differs from a
// default is kept, so a default corrected later reaches every shop that kept it.
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import type { Words } from "../i18n/locales";
import type { DisputeThreshold } from "./model";
import { DEFAULT_THRESHOLDS, storedChanges, thresholdsFor, type ThresholdChange } from "./thresholds";

const inputSchema = z
  .array(
    z.object({
      id: z.string(),
      // A fraction (0.009 for 0.9%), as the page's figures are.
      ratio: z.coerce.number().finite().gt(0).max(1),
      minCount: z.coerce.number().int().min(0).max(1_000_000),
    }),
  )
  .max(DEFAULT_THRESHOLDS.length);

export type SaveThresholdsResult = { ok: true; thresholds: DisputeThreshold[] } | { ok: false; message: string; words: Words };

const refusal = (message: string, key: string, values?: Words["values"]): SaveThresholdsResult => ({
  ok: false,
  message,
  words: { key: `insights.thresholds.${key}`, ...(values ? { values } : {}) },
});

/** Which field of the figures is wrong. */
function unreadable(error: z.ZodError): SaveThresholdsResult {
  const field = error.issues[0].path.at(-1);
  if (field === "ratio") return refusal("Enter each ratio above 0% and at most 100%.", "ratio");
  if (field === "minCount") return refusal("Enter each count of disputes as a whole number from 0 to 1,000,000.", "minCount");
  return refusal("These thresholds could not be read. Nothing was saved.", "unreadable");
}

/** Why thresholds named this way cannot be saved, or null. */
function refusalOf(changes: ThresholdChange[]): SaveThresholdsResult | null {
  const ids = changes.map((t) => t.id);
  const unknown = ids.find((id) => !DEFAULT_THRESHOLDS.some((t) => t.id === id));
  if (unknown !== undefined) return refusal(`There is no threshold "${unknown}".`, "unknown", { id: unknown });
  if (new Set(ids).size !== ids.length) return refusal("Each threshold can be given once.", "twice");
  return null;
}

/**
 * Saves the merchant's figures for the thresholds given (`[{ id, ratio, minCount }]`; those not given keep
 * theirs). Giving a default's own figures puts it back to the default.
 */
export async function saveDisputeThresholds(shopId: string, input: unknown, actor: string): Promise<SaveThresholdsResult> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) return unreadable(parsed.error);
  const given = parsed.data;
  const refused = refusalOf(given);
  if (refused) return refused;
  const settings = await db().shopSettings.findUnique({ where: { shopId }, select: { disputeThresholds: true } });
  const merged = new Map<string, ThresholdChange>(storedChanges(settings?.disputeThresholds).map((c) => [c.id, c]));
  for (const change of given) merged.set(change.id, change);
  const changes = DEFAULT_THRESHOLDS.flatMap((threshold) => {
    const change = merged.get(threshold.id);
    return change && (change.ratio !== threshold.ratio || change.minCount !== threshold.minCount) ? [change] : [];
  });
  const disputeThresholds = JSON.stringify(changes);
  await db().shopSettings.upsert({ where: { shopId }, update: { disputeThresholds }, create: { shopId, disputeThresholds } });
  await audit({ shopId, actor, source: "admin", action: "insights.thresholds.save", details: { changes }, result: "ok" });
  return { ok: true, thresholds: thresholdsFor(disputeThresholds) };
}
