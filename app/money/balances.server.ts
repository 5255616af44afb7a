// What may still be done on a payment, on each side: Checkout.com's figures from the payment row (less
// actions sent and not yet confirmed), and the lower of those and Shopify's.
import type { Payment } from "@prisma/client";
import { db, type Tx } from "../db.server";

type MoneyActionKind = "refund" | "void" | "capture";

export interface Balances {
  refundable: number;
  capturable: number;
  voidable: boolean;
}

/** Checkout.com's side: money still available for each action, counting actions sent but not yet confirmed. */
export async function balances(payment: Payment, tx?: Tx): Promise<Balances> {
  const inFlight = await (tx ?? db()).moneyAction.findMany({
    where: { paymentId: payment.id, status: { in: ["requested", "accepted"] } },
    select: { kind: true, amount: true },
  });
  const pending = (kind: MoneyActionKind) => inFlight.filter((a) => a.kind === kind).reduce((sum, a) => sum + (a.amount ?? 0), 0);
  const voidPending = inFlight.some((a) => a.kind === "void");
  const refundable = Math.max(0, payment.capturedAmount - payment.refundedAmount - pending("refund"));
  const capturable = payment.status === "Authorized" && !voidPending ? Math.max(0, payment.amount - payment.capturedAmount - pending("capture")) : 0;
  const voidable = payment.status === "Authorized" && payment.capturedAmount === 0 && !voidPending && pending("capture") === 0;
  return { refundable, capturable, voidable };
}

/** The lower of Checkout.com's and Shopify's figures: what may actually be done now. */
export function combined(checkout: Balances, shopify: Balances | null): Balances {
  if (!shopify) return checkout;
  return {
    refundable: Math.min(checkout.refundable, shopify.refundable),
    capturable: Math.min(checkout.capturable, shopify.capturable),
    voidable: checkout.voidable && shopify.voidable,
  };
}
