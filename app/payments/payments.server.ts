// Payments as the Payments screens see them: one shop's payments, and one payment with its timeline.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";
import { pageParam, searchParam } from "../lib/list-params";
import { DECLINE_CLASS_ADVICE, classifyResponse, type DeclineClass } from "./declines";

const PAYMENTS_PAGE_SIZE = 50;

export const paymentFiltersSchema = z.object({
  q: searchParam,
  page: pageParam,
});
export type PaymentFilters = z.infer<typeof paymentFiltersSchema>;

export async function listPayments(shopId: string, filters: PaymentFilters) {
  const q = filters.q;
  const where: Prisma.PaymentWhereInput = {
    shopId,
    // Exact matches on indexed columns: a payment id, an order reference, or an email.
    ...(q ? { OR: [{ ckoPaymentId: q }, { reference: q }, { customerEmail: q.toLowerCase() }] } : {}),
  };
  const rows = await db().payment.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (filters.page - 1) * PAYMENTS_PAGE_SIZE,
    take: PAYMENTS_PAGE_SIZE + 1,
    select: {
      id: true,
      ckoPaymentId: true,
      reference: true,
      amount: true,
      currency: true,
      status: true,
      riskFlagged: true,
      riskScore: true,
      customerEmail: true,
      declineClass: true,
      createdAt: true,
    },
  });
  return { payments: rows.slice(0, PAYMENTS_PAGE_SIZE), hasNext: rows.length > PAYMENTS_PAGE_SIZE };
}

/** The decline in words, when the payment was declined. */
function declineExplanation(p: { responseCode: string | null; responseSummary: string | null; declineClass: string | null }) {
  if (!p.declineClass || !p.responseCode) return null;
  const { reason } = classifyResponse(p.responseCode, p.responseSummary);
  return { reason, declineClass: p.declineClass, advice: DECLINE_CLASS_ADVICE[p.declineClass as DeclineClass] ?? null };
}

/** One payment of this shop with its timeline (oldest first), disputes and order, or null. */
export async function getPayment(shopId: string, id: string) {
  const payment = await db().payment.findFirst({
    where: { id, shopId },
    include: {
      activities: { orderBy: [{ occurredAt: "asc" }, { createdAt: "asc" }] },
      disputes: { orderBy: { createdAt: "desc" } },
      orderLink: true,
    },
  });
  if (!payment) return null;
  return { ...payment, decline: declineExplanation(payment) };
}
