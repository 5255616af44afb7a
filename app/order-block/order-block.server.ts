// The Checkout.com side of one Shopify order, for the order page block: its payments with risk,
// hold and dispute state. Scoped to one shop: another shop's order id finds nothing.
import { db } from "../db.server";
import { describeHits, ruleHitsOf } from "../holds/holds.server";
import { classifyResponse } from "../payments/declines";
import type { OrderBlockData, OrderBlockPayment } from "./types";

/** An order has a handful of payments at most; more than this is not a page block's job. */
const MAX_PAYMENTS = 10;

function riskFlags(p: { riskFlagged: boolean; cvvCheck: string | null; avsCheck: string | null }): string[] {
  return [
    p.riskFlagged && "Flagged by Checkout.com risk checks",
    p.cvvCheck === "N" && "CVV did not match",
    p.avsCheck === "N" && "Billing address did not match (AVS)",
  ].filter((flag): flag is string => Boolean(flag));
}

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
      const classified = p.status === "Declined" ? classifyResponse(p.responseCode, p.responseSummary) : null;
      return {
        ckoPaymentId: p.ckoPaymentId,
        status: p.status,
        amount: p.amount,
        currency: p.currency,
        capturedAmount: p.capturedAmount,
        refundedAmount: p.refundedAmount,
        riskScore: p.riskScore,
        riskFlags: riskFlags(p),
        decline: classified ? { class: (p.declineClass as "soft" | "hard" | "risk" | null) ?? classified.declineClass, reason: classified.reason } : null,
        hold: p.hold ? { id: p.hold.id, status: p.hold.status, ruleHits: describeHits(ruleHitsOf(p.hold), p.currency) } : null,
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
