// Insights roll-up rows written directly, as the roll-up job would have left them, for tests of what reads
// them (the page's figures, the CSV). `upToDate` records the roll-ups as made in the shop's zone, so the
// refresh the page does first finds nothing to compute and leaves these rows alone.
import type { Prisma } from "@prisma/client";
import { db } from "../../app/db.server";
import { PAYMENT_FIGURES } from "../../app/insights/rollup.server";

/** A row's day, currency and customer country, its own keys as given, and any figures (the rest are 0). */
type Row<T extends { day: string; currency: string; country: string }, Keys extends keyof T = never> = Pick<T, "day" | "currency" | "country" | Keys> &
  Partial<Omit<T, "id" | "shopId">>;

export async function upToDate(shopId: string, timeZone: string, refreshedAt = new Date("2026-12-06T08:00:00Z")) {
  await db().insightRollupState.create({ data: { shopId, timeZone, rebuiltAt: refreshedAt, refreshedAt } });
}

export async function paymentDays(shopId: string, rows: Array<Row<Prisma.InsightPaymentDayCreateManyInput>>) {
  await db().insightPaymentDay.createMany({ data: rows.map((r) => ({ ...PAYMENT_FIGURES, ...r, shopId })) });
}

type DeclineKeys = "declineClass" | "responseCode" | "reason" | "cardCountry" | "scheme" | "bin";

export async function declineDays(shopId: string, rows: Array<Row<Prisma.InsightDeclineDayCreateManyInput, DeclineKeys>>) {
  const zero = { declines: 0, amount: 0, recovered: 0, recoveredAmount: 0 };
  await db().insightDeclineDay.createMany({ data: rows.map((r) => ({ ...zero, ...r, shopId })) });
}

export async function disputeDays(shopId: string, rows: Array<Row<Prisma.InsightDisputeDayCreateManyInput, "category">>) {
  const zero = { disputes: 0, amount: 0, won: 0, wonAmount: 0, lost: 0, lostAmount: 0, evidenceSubmitted: 0, accepted: 0, respondSeconds: 0 };
  await db().insightDisputeDay.createMany({ data: rows.map((r) => ({ ...zero, ...r, shopId })) });
}

export async function holdDays(shopId: string, rows: Array<Row<Prisma.InsightHoldDayCreateManyInput, "rule">>) {
  const zero = { monitorOnly: false, holds: 0, amount: 0, released: 0, canceled: 0, decisionSeconds: 0, protectedAmount: 0 };
  await db().insightHoldDay.createMany({ data: rows.map((r) => ({ ...zero, ...r, shopId })) });
}
