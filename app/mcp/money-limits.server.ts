// An agent token's money limits applied (their shape: ./limits.ts): what one action may move, and what
// the token may move in a rolling 24 hours, per currency. The day's use is counted from the money
// actions the token asked for, so it holds whichever tool, payment or request moved the money.
import { z } from "zod";
import { db, type Tx } from "../db.server";
import { money, moneySchema } from "./format";
import type { AgentCaller } from "./tokens.server";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Actions that moved money or still may; failed and declined ones moved nothing. */
const COUNTED_STATUSES = ["requested", "accepted", "succeeded"];

export const limitUseSchema = z
  .object({
    currency: z.string(),
    perAction: moneySchema.nullable().describe("At most this per action; null: no per-action limit."),
    perDay: moneySchema.nullable().describe("At most this in any 24 hours; null: no daily limit."),
    usedToday: moneySchema.describe("Moved by this token in the last 24 hours (actions under way included)."),
    leftToday: moneySchema.nullable().describe("What the daily limit leaves now; null: no daily limit."),
  })
  .describe("The token's money limits in the payment's currency, as they stood before this action; null when the token has none.");
type LimitUse = z.infer<typeof limitUseSchema>;

export interface LimitCheck {
  /** Why the token may not move `amount` (English, names the limit, what is used and what is left), or null. */
  refusal: string | null;
  /** The limits as they stand; null when the token has no limits at all (or they are unreadable). */
  use: LimitUse | null;
}

/**
 * What the token moved in `currency` in the 24 hours before `now`: refunds and captures by their
 * amount, voids by the authorisation they release.
 */
async function movedToday(tokenId: string, currency: string, tx?: Tx, now = new Date()): Promise<number> {
  const actions = await (tx ?? db()).moneyAction.findMany({
    where: { agentTokenId: tokenId, currency, status: { in: COUNTED_STATUSES }, createdAt: { gte: new Date(now.getTime() - DAY_MS) } },
    select: { kind: true, amount: true, payment: { select: { amount: true } } },
  });
  return actions.reduce((sum, action) => sum + (action.kind === "void" ? action.payment.amount : (action.amount ?? 0)), 0);
}

/**
 * Whether the token may move `amount` (minor units of `currency`) in one action now. `what` names the
 * action in the refusal ("this refund"). Inside the money service's transaction pass its `tx`: the
 * day's use is then read under the token's row lock, taken here, and the payment's.
 */
export async function checkMoneyLimits(
  caller: Pick<AgentCaller, "tokenId" | "limits">,
  currency: string,
  amount: number,
  what: string,
  tx?: Tx,
): Promise<LimitCheck> {
  const { limits } = caller;
  if (limits === null) {
    return {
      refusal: "This token's money limits cannot be read, so it may not move money. A store admin can make a new token in the app's Settings.",
      use: null,
    };
  }
  const listed = Object.keys(limits);
  if (listed.length === 0) return { refusal: null, use: null };
  const limit = limits[currency];
  if (!limit) {
    return {
      refusal: `This token may move money only in ${listed.sort().join(", ")}, and this payment is in ${currency}. A store admin can make a token with a ${currency} limit in the app's Settings.`,
      use: null,
    };
  }
  const m = (minor: number) => money(minor, currency);
  // Two actions of this token on different payments hold different payment locks: touching the token's
  // row serialises them (a row lock on PostgreSQL; SQLite has one writer), so the second counts the first.
  if (tx && limit.perDay !== null) await tx.agentToken.update({ where: { id: caller.tokenId }, data: { lastUsedAt: new Date() } });
  const used = await movedToday(caller.tokenId, currency, tx);
  const left = limit.perDay === null ? null : Math.max(0, limit.perDay - used);
  const use: LimitUse = {
    currency,
    perAction: limit.perAction === null ? null : m(limit.perAction),
    perDay: limit.perDay === null ? null : m(limit.perDay),
    usedToday: m(used),
    leftToday: left === null ? null : m(left),
  };
  const ask = "A store admin can make a token with a higher limit in the app's Settings, or a person can do this in the admin.";
  if (limit.perAction !== null && amount > limit.perAction) {
    return {
      refusal: `This token may move at most ${m(limit.perAction).formatted} per action, and ${what} would move ${m(amount).formatted}. ${ask}`,
      use,
    };
  }
  if (left !== null && amount > left) {
    return {
      refusal: `This token may move at most ${m(limit.perDay!).formatted} in 24 hours: ${m(used).formatted} is used, so ${m(left).formatted} is left, and ${what} would move ${m(amount).formatted}. ${ask}`,
      use,
    };
  }
  return { refusal: null, use };
}
