// What this shop's own records say about a payment's customer, for the velocity and history rules:
// recent payments (and distinct cards) per email, card fingerprint and IP address, and earlier
// payments of the same email or card that were disputed or refunded. Each count is one statement on
// an index led by (shopId, <subject>); they run only when a rule needs them (`needsHistory`).
import { Prisma, type Payment } from "@prisma/client";
import { rawSql } from "../db.server";
import type { RawSql } from "../lib/prepared-sql.server";
import type { RiskHistory, VelocitySubject } from "./rules";

const COLUMN: Record<VelocitySubject, "customerEmail" | "cardFingerprint" | "ipAddress"> = {
  email: "customerEmail",
  card: "cardFingerprint",
  ip: "ipAddress",
};

type Subject = Pick<Payment, "id" | "shopId" | "customerEmail" | "cardFingerprint" | "ipAddress" | "createdAt">;

/** A column of ours (never input), for the statements below. */
const column = (subject: VelocitySubject) => Prisma.raw(`"${COLUMN[subject]}"`);

async function recent(sql: RawSql, payment: Subject, subject: VelocitySubject, since: Date) {
  const value = payment[COLUMN[subject]];
  if (!value) return null;
  const [row] = await sql.$queryRaw<Array<{ count: bigint | number; cards: bigint | number }>>`
    SELECT COUNT(*) AS "count", COUNT(DISTINCT "cardFingerprint") AS "cards" FROM "Payment"
    WHERE "shopId" = ${payment.shopId} AND ${column(subject)} = ${value} AND "createdAt" >= ${since}`;
  // The payment itself counts, even when its own card is unknown.
  return { value, count: Math.max(1, Number(row?.count ?? 0)), cards: Math.max(1, Number(row?.cards ?? 0)) };
}

/** How many earlier payments (not this one) of this email or card were disputed, or refunded. */
async function earlier(sql: RawSql, payment: Subject, kind: "disputed" | "refunded"): Promise<number> {
  const ids = new Set<string>();
  for (const subject of ["email", "card"] as const) {
    const value = payment[COLUMN[subject]];
    if (!value) continue;
    const which =
      kind === "refunded"
        ? Prisma.sql`"Payment"."refundedAmount" > 0`
        : Prisma.sql`EXISTS (SELECT 1 FROM "Dispute" WHERE "Dispute"."shopId" = ${payment.shopId} AND "Dispute"."paymentId" = "Payment"."id")`;
    const rows = await sql.$queryRaw<Array<{ id: string }>>`SELECT "Payment"."id" FROM "Payment"
      WHERE "Payment"."shopId" = ${payment.shopId} AND "Payment".${column(subject)} = ${value} AND "Payment"."id" <> ${payment.id} AND ${which}`;
    for (const row of rows) ids.add(row.id);
  }
  return ids.size;
}

export async function riskHistory(
  payment: Subject,
  options: { hours: number; velocity: boolean; chargebacks: boolean; refunds: boolean },
  sql: RawSql = rawSql(),
): Promise<RiskHistory> {
  const since = new Date(payment.createdAt.getTime() - options.hours * 3_600_000);
  const subjects: VelocitySubject[] = options.velocity ? ["email", "card", "ip"] : [];
  const [counts, priorChargebacks, priorRefunds] = await Promise.all([
    Promise.all(subjects.map(async (s) => [s, await recent(sql, payment, s, since)] as const)),
    options.chargebacks ? earlier(sql, payment, "disputed") : 0,
    options.refunds ? earlier(sql, payment, "refunded") : 0,
  ]);
  const payments: RiskHistory["payments"] = {};
  for (const [subject, seen] of counts) if (seen) payments[subject] = seen;
  return { payments, priorChargebacks, priorRefunds };
}
