// The Checkout.com side of one Shopify order, for the order page block: its payments with risk,
// hold and dispute state. Scoped to one shop: another shop's order id finds nothing. It answers facts
// and codes; the block says them in the staff member's language.
import { db } from "../db.server";
import { ruleHitsOf } from "../holds/holds.server";
import type { RuleHit } from "../holds/rules";
import { explainResponse, isDeclineClass } from "../payments/declines";
import type { OrderBlockData, OrderBlockPayment, OrderBlockRiskFlag } from "./types";

/** An order has a handful of payments at most; more than this is not a page block's job. */
const MAX_PAYMENTS = 10;

function riskFlags(p: { riskFlagged: boolean; cvvCheck: string | null; avsCheck: string | null }): OrderBlockRiskFlag[] {
  const flags: OrderBlockRiskFlag[] = [];
  if (p.riskFlagged) flags.push("flagged");
  if (p.cvvCheck === "N") flags.push("cvv_no_match");
  if (p.avsCheck === "N") flags.push("avs_no_match");
  return flags;
}

/** A hit as recorded, with no more of a card fingerprint than its description names (12 characters). */
const shownHit = (hit: RuleHit): RuleHit =>
  hit.rule === "deny_card_fingerprint" ? { ...hit, value: String(hit.value).slice(0, 12), threshold: String(hit.threshold ?? "").slice(0, 12) } : hit;

export async function orderBlockData(shopId: string, orderGid: string): Promise<OrderBlockData | null> {
  const payments = await db().payment.findMany({
    where: { shopId, orderLink: { orderGid } },
    include: { hold: true, disputes: { orderBy: { createdAt: "desc" } } },
    orderBy: { createdAt: "desc" },
    take: MAX_PAYMENTS,
  });
  if (!payments.length) return null;
  return {
    orderGid,
    payments: payments.map((p): OrderBlockPayment => {
      const explained = p.status === "Declined" ? explainResponse(p.responseCode, p.responseSummary) : null;
      return {
        ckoPaymentId: p.ckoPaymentId,
        status: p.status,
        amount: p.amount,
        currency: p.currency,
        capturedAmount: p.capturedAmount,
        refundedAmount: p.refundedAmount,
        riskScore: p.riskScore,
        riskFlags: riskFlags(p),
        decline: explained ? { class: isDeclineClass(p.declineClass) ? p.declineClass : explained.declineClass, reason: explained.reason } : null,
        hold: p.hold ? { id: p.hold.id, status: p.hold.status, ruleHits: ruleHitsOf(p.hold).map(shownHit) } : null,
        disputes: p.disputes.map((d) => ({
          id: d.id,
          ckoDisputeId: d.ckoDisputeId,
          status: d.status,
          category: d.category,
          amount: d.amount,
          currency: d.currency,
          evidenceRequiredBy: d.evidenceRequiredBy?.toISOString() ?? null,
        })),
      };
    }),
  };
}
