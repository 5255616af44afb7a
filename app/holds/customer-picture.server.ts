// The hold page's picture of the customer, so a decision needs no other tab: this payment's checks
// (AVS, CVV, 3-D Secure, IP and countries) and what this shop knows of the same customer (same email,
// card or Checkout.com customer id): their other payments with orders, holds, refunds and disputes.
//
// Scoped to the shop, and every lookup is an index lookup (app/holds/customer-picture.server.test.ts
// records the plans): one query per way of recognising the customer, each on its own
// (shopId, customerEmail | cardFingerprint | ckoCustomerId) index, rather than one OR that SQLite
// (without ANALYZE statistics) answers by walking the shop's payments by date; then the shown rows and
// the disputes by id.
import type { Payment } from "@prisma/client";
import { db } from "../db.server";
import { orderLegacyId } from "../shopify/admin-urls";
import { paymentEventFacts } from "./matching.server";
import { threeDsOutcome, type ThreeDsOutcome } from "./rules";

/** Other payments (and earlier disputes) shown; the totals count more. */
const SHOWN = 20;
/** Payments read per way of recognising the customer; past this the totals say "at least". */
const LOOKED_AT = 500;

// Address and security-code results as card networks report them (Visa's letters, which the others
// mostly share), as meanings the page puts in the staff member's words. A code not listed is shown as itself.
type AvsResult =
  | "both_match"
  | "street_only"
  | "street_postcode_unchecked"
  | "postcode_only"
  | "postcode_street_unchecked"
  | "neither"
  | "format_unsupported"
  | "international"
  | "issuer_unsupported"
  | "unavailable"
  | "issuer_unavailable"
  | "not_allowed";

const AVS_RESULTS: Record<string, AvsResult> = {
  Y: "both_match",
  X: "both_match",
  D: "both_match",
  F: "both_match",
  M: "both_match",
  A: "street_only",
  B: "street_postcode_unchecked",
  Z: "postcode_only",
  W: "postcode_only",
  P: "postcode_street_unchecked",
  N: "neither",
  C: "format_unsupported",
  I: "international",
  G: "issuer_unsupported",
  S: "issuer_unsupported",
  U: "unavailable",
  R: "issuer_unavailable",
  E: "not_allowed",
};
/** No match, or only half of the address matches. */
const AVS_WARNING = new Set(["N", "A", "Z", "W"]);

type CvvResult = "match" | "no_match" | "not_given" | "not_processed" | "issuer_unsupported" | "unavailable";

const CVV_RESULTS: Record<string, CvvResult> = {
  Y: "match",
  M: "match",
  // Checkout.com documents D as "did not match"; card networks use N.
  D: "no_match",
  N: "no_match",
  S: "not_given",
  P: "not_processed",
  U: "issuer_unsupported",
  X: "unavailable",
};
const CVV_WARNING = new Set(["D", "N", "S"]);

interface CheckResult<R extends string> {
  /** The code as reported (upper case), null if none was. */
  code: string | null;
  /** What the code means; null when none was reported or the code is not a known one. */
  result: R | null;
  warning: boolean;
}

function check<R extends string>(code: string | null, results: Record<string, R>, warnings: Set<string>): CheckResult<R> {
  const upper = code?.trim().toUpperCase();
  if (!upper) return { code: null, result: null, warning: false };
  return { code: upper, result: results[upper] ?? null, warning: warnings.has(upper) };
}

/** Whether 3-D Secure was used at all, and its outcome when one was reported. */
function threeDsOf(stored: string | null): { used: boolean; outcome: ThreeDsOutcome | null; warning: boolean } {
  if (!stored) return { used: false, outcome: null, warning: false };
  let parsed: Record<string, unknown> | null = null;
  try {
    parsed = JSON.parse(stored) as Record<string, unknown>;
  } catch {
    parsed = null;
  }
  const outcome = threeDsOutcome(parsed && typeof parsed === "object" ? parsed : null);
  return { used: true, outcome, warning: outcome !== null && outcome !== "authenticated" };
}

type SharedBy = "email" | "card" | "customer";

/** How this shop recognises the customer's other payments: each a where on its own index. */
function ways(shopId: string, payment: Payment) {
  const found: Array<{
    where: { shopId: string; customerEmail?: string; cardFingerprint?: string; ckoCustomerId?: string };
    /** The index ends with createdAt, so newest first costs nothing. */
    dated: boolean;
  }> = [];
  if (payment.customerEmail) found.push({ where: { shopId, customerEmail: payment.customerEmail }, dated: true });
  if (payment.cardFingerprint) found.push({ where: { shopId, cardFingerprint: payment.cardFingerprint }, dated: true });
  if (payment.ckoCustomerId) found.push({ where: { shopId, ckoCustomerId: payment.ckoCustomerId }, dated: false });
  return found;
}

const slim = { id: true, createdAt: true, cardFingerprint: true, refundedAmount: true, currency: true } as const;

/** One sum of refunds per currency, currencies in order. */
function refundedByCurrency(payments: ReadonlyArray<{ refundedAmount: number; currency: string }>) {
  const sums = new Map<string, number>();
  for (const p of payments) if (p.refundedAmount > 0) sums.set(p.currency, (sums.get(p.currency) ?? 0) + p.refundedAmount);
  return [...sums.keys()].sort().map((currency) => ({ minor: sums.get(currency)!, currency }));
}

/** The held payment's checks, and the same customer's other payments and disputes in this shop. */
export async function customerPicture(shopId: string, payment: Payment) {
  if (payment.shopId !== shopId) throw new Error("customerPicture: the payment belongs to another shop");

  const shipping = payment.shippingCountry?.toUpperCase() ?? null;
  const country = (value: string | null) => {
    const upper = value?.toUpperCase() ?? null;
    return { value: upper, differs: Boolean(upper && shipping && upper !== shipping) };
  };

  const lookups = ways(shopId, payment);
  const [events, ...found] = await Promise.all([
    paymentEventFacts(shopId, payment.ckoPaymentId),
    ...lookups.map((way) =>
      // One more than LOOKED_AT: this payment is among them. Newest first where the index has the date
      // (email, card); the customer id's index has none, and with an ORDER BY SQLite walks the shop's
      // payments by date instead, so past LOOKED_AT those are some, not the newest.
      db().payment.findMany({
        where: way.where,
        select: slim,
        ...(way.dated ? { orderBy: [{ createdAt: "desc" as const }, { id: "asc" as const }] } : {}),
        take: LOOKED_AT + 1,
      }),
    ),
  ]);

  const checks = {
    avs: check(payment.avsCheck, AVS_RESULTS, AVS_WARNING),
    cvv: check(payment.cvvCheck, CVV_RESULTS, CVV_WARNING),
    threeDs: threeDsOf(payment.threeDs),
    ipAddress: payment.ipAddress,
    /** Only if the checkout sent it (metadata.ip_country): Checkout.com reports the IP, not its country. */
    ipCountry: country(events.ipCountry),
    cardCountry: country(payment.cardCountry),
    billingCountry: country(payment.billingCountry),
    shippingCountry: shipping,
  };

  const byId = new Map<string, (typeof found)[number][number]>();
  for (const rows of found) for (const row of rows) if (row.id !== payment.id) byId.set(row.id, row);
  const all = [...byId.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id));
  const capped = found.some((rows) => rows.length > LOOKED_AT);
  const allIds = all.map((p) => p.id);
  const shownIds = allIds.slice(0, SHOWN);

  const [rows, disputes] = allIds.length
    ? await Promise.all([
        db().payment.findMany({
          where: { shopId, id: { in: shownIds } },
          select: {
            id: true,
            ckoPaymentId: true,
            amount: true,
            currency: true,
            status: true,
            refundedAmount: true,
            customerEmail: true,
            cardFingerprint: true,
            ckoCustomerId: true,
            createdAt: true,
            orderLink: { select: { orderGid: true, orderName: true } },
            hold: { select: { id: true, status: true } },
          },
        }),
        db().dispute.findMany({
          where: { shopId, paymentId: { in: allIds } },
          select: {
            id: true,
            ckoDisputeId: true,
            paymentId: true,
            status: true,
            category: true,
            amount: true,
            currency: true,
            receivedOn: true,
            createdAt: true,
          },
          orderBy: { createdAt: "desc" },
        }),
      ])
    : [[], []];

  const disputed = new Set(disputes.map((d) => d.paymentId));
  const rowById = new Map(rows.map((r) => [r.id, r]));
  const shown = shownIds.map((id) => rowById.get(id)).filter((p) => p !== undefined);

  return {
    checks,
    others: shown.map((p) => ({
      id: p.id,
      ckoPaymentId: p.ckoPaymentId,
      at: p.createdAt.toISOString(),
      /** Minor units, in `currency`. */
      amount: p.amount,
      currency: p.currency,
      status: p.status,
      order: p.orderLink ? { name: p.orderLink.orderName ?? orderLegacyId(p.orderLink.orderGid), gid: p.orderLink.orderGid } : null,
      /** The hold placed on it and how it ended (its status), if it was held. */
      hold: p.hold,
      /** Minor units refunded, in `currency`; null if nothing was. */
      refunded: p.refundedAmount > 0 ? p.refundedAmount : null,
      disputed: disputed.has(p.id),
      /** What ties it to this customer. */
      sharedBy: [
        payment.customerEmail && p.customerEmail === payment.customerEmail ? "email" : null,
        payment.cardFingerprint && p.cardFingerprint === payment.cardFingerprint ? "card" : null,
        payment.ckoCustomerId && p.ckoCustomerId === payment.ckoCustomerId ? "customer" : null,
      ].filter((s): s is SharedBy => s !== null),
    })),
    disputes: disputes.slice(0, SHOWN).map((d) => ({
      id: d.id,
      ckoDisputeId: d.ckoDisputeId,
      paymentId: d.paymentId,
      status: d.status,
      reason: d.category,
      amount: d.amount,
      currency: d.currency,
      /** When Checkout.com received it, else when we heard of it. */
      at: (d.receivedOn ?? d.createdAt).toISOString(),
    })),
    totals: {
      payments: all.length,
      cards: new Set(all.map((p) => p.cardFingerprint).filter(Boolean)).size,
      /** What was refunded, one sum per currency (empty: nothing). */
      refunded: refundedByCurrency(all),
      disputes: disputes.length,
      /** More payments than were read: the counts are lower bounds. */
      capped,
    },
  };
}

export type CustomerPicture = Awaited<ReturnType<typeof customerPicture>>;
