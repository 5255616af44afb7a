// Optional automatic submission (off by default): a chosen number of days before the deadline, a
// dispute whose evidence is complete (every chosen evidence type has a text or a file) is submitted
// as if the merchant had clicked "Submit evidence". The hourly dispute-deadline job runs it
// (deadlines.server.ts, where the setting is saved too).
import { planRefusal } from "../billing/billing.server";
import { db } from "../db.server";
import { log } from "../log.server";
import type { Actor } from "./draft.server";
import { buildIfDue } from "./evidence.server";
import { AWAITING_ANSWER } from "./queries.server";
import { evidenceReadiness, submitDisputeEvidence, type DisputeActionResult, type RespondOptions } from "./respond.server";

const AUTOMATIC: Actor = { actor: "Automatic submission", source: "system" };

/** Submits every complete, unanswered dispute of the shop whose deadline is within the chosen days. */
export async function autoSubmitDue(shopId: string, options: RespondOptions = {}): Promise<Array<{ disputeId: string; result: DisputeActionResult }>> {
  const now = options.now?.() ?? new Date();
  const settings = await db().shopSettings.findUnique({ where: { shopId } });
  if (!settings?.autoSubmitEvidence) return [];
  // Submitting would be refused (respond.server.ts): skip the building, and an hourly refusal per dispute.
  if (await planRefusal(shopId, "disputes")) return [];
  const horizon = new Date(now.getTime() + settings.autoSubmitDaysBefore * 86_400_000);
  const due = await db().dispute.findMany({
    where: { shopId, ...AWAITING_ANSWER, evidenceRequiredBy: { gt: now, lte: horizon } },
    orderBy: { evidenceRequiredBy: "asc" },
  });
  const results: Array<{ disputeId: string; result: DisputeActionResult }> = [];
  for (const candidate of due) {
    // A draft that cannot be built now (Shopify down) is tried again at the next run.
    const built = await buildIfDue(candidate.id, shopId, AUTOMATIC).then(
      () => true,
      (error) => (log.warn("disputes.auto_submit_build_failed", { shopId, disputeId: candidate.id, error }), false),
    );
    if (!built) continue;
    const dispute = await db().dispute.findUniqueOrThrow({ where: { id: candidate.id } });
    if (!dispute.evidenceBuiltAt || !evidenceReadiness(dispute, now).complete) continue;
    results.push({ disputeId: dispute.id, result: await submitDisputeEvidence(shopId, dispute.id, AUTOMATIC, options) });
  }
  return results;
}
