// The key figures on the home screen, for one shop.
import { db } from "../db.server";
import { AWAITING_ANSWER } from "../disputes/queries.server";

export async function shopFigures(shopId: string) {
  const since = new Date(Date.now() - 30 * 24 * 3600 * 1000);
  const soon = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  const [payments, held, openDisputes, disputesDueSoon, deadEvents, pendingEvents] = await Promise.all([
    db().payment.count({ where: { shopId, createdAt: { gte: since } } }),
    db().hold.count({ where: { shopId, status: "held" } }),
    db().dispute.count({ where: { shopId, status: { in: ["evidence_required", "evidence_under_review"] } } }),
    db().dispute.count({ where: { shopId, ...AWAITING_ANSWER, evidenceRequiredBy: { lte: soon } } }),
    db().webhookEvent.count({ where: { shopId, status: "dead" } }),
    db().webhookEvent.count({ where: { shopId, status: { in: ["pending", "processing"] } } }),
  ]);
  return { payments, held, openDisputes, disputesDueSoon, deadEvents, pendingEvents };
}
