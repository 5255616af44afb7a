// Zendesk connections, as the Shopify app's settings manage them. Creating one (or rotating its secret)
// makes a random shared secret that is encrypted at rest and handed back once, for the merchant to
// paste into the Zendesk app's settings; afterwards only its last 4 characters are shown.
// The permissions here are what the /api/zendesk routes enforce, whatever the sidebar asks.
import crypto from "node:crypto";
import type { ZendeskConnection, ZendeskRefundCap } from "@prisma/client";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { decryptSecret, encryptSecret, last4, randomToken, resealed } from "../crypto.server";
import { db, type Tx } from "../db.server";
import { messageWords, type FieldWords } from "../i18n/domain-words";
import type { Words } from "../i18n/locales";
import { decimalToMinor, minorToDecimal } from "../lib/money";
import { fieldErrorsOf } from "../lib/form";
import { log } from "../log.server";
import { DEFAULT_ROTATION_GRACE_HOURS, ROTATION_GRACE_HOURS } from "./rotation";

const secretContext = (connectionId: string) => `zendesk-connection:${connectionId}:sharedSecret`;
const previousSecretContext = (connectionId: string) => `zendesk-connection:${connectionId}:previousSharedSecret`;

/** The shared secret the proxy signs with. Server-only: never logged, never sent to a browser. */
export const sharedSecretOf = (connection: Pick<ZendeskConnection, "id" | "sharedSecretEnc">) =>
  decryptSecret(connection.sharedSecretEnc, secretContext(connection.id));

/** The secret before the last rotation while it is stored (accepted or not: see `acceptsPreviousSecret`), or null. Server-only. */
export const previousSecretOf = (connection: Pick<ZendeskConnection, "id" | "previousSecretEnc">) =>
  connection.previousSecretEnc === null ? null : decryptSecret(connection.previousSecretEnc, previousSecretContext(connection.id));

/** Whether the previous secret still signs valid requests at `now`: only before its grace ends. */
export const acceptsPreviousSecret = (connection: Pick<ZendeskConnection, "previousSecretEnc" | "previousSecretExpiresAt">, now: Date) =>
  connection.previousSecretEnc !== null && connection.previousSecretExpiresAt !== null && connection.previousSecretExpiresAt > now;

const HOUR_MS = 3_600_000;
/** The audit action written the first time a request signed with the previous secret is accepted. */
export const PREVIOUS_SECRET_USED = "zendesk.previous_secret_used";

/** 32 random bytes: a full-strength HS256 key. */
const newSecret = () => randomToken(32);

/** The forms' fixed English messages and their words (`errors.zendesk.*`). */
const { said, fieldWords } = messageWords("zendesk");

/** "acme" from "acme", "ACME.zendesk.com" or "https://acme.zendesk.com/agent". */
export const zendeskSubdomainSchema = z
  .string({ required_error: said("subdomain.missing", "Enter your Zendesk subdomain.") })
  .trim()
  .toLowerCase()
  .transform((v) =>
    v
      .replace(/^https?:\/\//, "")
      .replace(/\/.*$/, "")
      .replace(/\.zendesk\.com$/, ""),
  )
  .pipe(
    z
      .string()
      .min(1, said("subdomain.missing", "Enter your Zendesk subdomain."))
      .max(63, said("subdomain.tooLong", "A Zendesk subdomain has at most 63 characters."))
      .regex(
        /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
        said("subdomain.format", "Use the part before .zendesk.com: letters, digits and hyphens, like acme for acme.zendesk.com."),
      ),
  );

export interface ConnectionSummary {
  id: string;
  subdomain: string;
  secretLast4: string;
  allowRefunds: boolean;
  allowVoids: boolean;
  allowEvidence: boolean;
  allowCancel: boolean;
  /** Refund limits per payment, by currency (minor units; null: no limit). Other currencies: none from Zendesk. */
  refundCaps: Array<{ currency: string; maxAmount: number | null }>;
  createdAt: string;
  revokedAt: string | null;
  /** While the secret before the last rotation is still accepted: until when. Null once it is not. */
  previousSecretExpiresAt: string | null;
  /** When a request signed with that previous secret was first accepted (the installed app still uses it), or null. */
  previousSecretUsedAt: string | null;
  /** The sidebar installed through the Apps API for this connection (app-install.server.ts): its version and when, or null. */
  installed: { version: string; at: string } | null;
  /** The ticket field the installed app reads a payment id or order name from (Zendesk's id), or null. */
  ticketFieldId: string | null;
}

type ConnectionWithCaps = ZendeskConnection & { refundCaps: ZendeskRefundCap[] };

const summarize = (c: ConnectionWithCaps, now: Date, previousSecretUsedAt: string | null = null): ConnectionSummary => ({
  id: c.id,
  subdomain: c.subdomain,
  secretLast4: c.secretLast4,
  allowRefunds: c.allowRefunds,
  allowVoids: c.allowVoids,
  allowEvidence: c.allowEvidence,
  allowCancel: c.allowCancel,
  refundCaps: c.refundCaps.map((cap) => ({ currency: cap.currency, maxAmount: cap.maxAmount })).sort((a, b) => a.currency.localeCompare(b.currency)),
  createdAt: c.createdAt.toISOString(),
  revokedAt: c.revokedAt?.toISOString() ?? null,
  previousSecretExpiresAt: acceptsPreviousSecret(c, now) ? c.previousSecretExpiresAt!.toISOString() : null,
  previousSecretUsedAt,
  installed: c.zendeskInstallationId && c.installedVersion && c.installedAt ? { version: c.installedVersion, at: c.installedAt.toISOString() } : null,
  ticketFieldId: c.ticketFieldId,
});

/** One rotation's previous secret, as its audit entries name it: the connection and the end of its grace. */
const previousSecretUse = (connectionId: string, acceptedUntil: Date) => ({ connectionId, acceptedUntil: acceptedUntil.toISOString() });
const useKey = (use: { connectionId?: unknown; acceptedUntil?: unknown }) => `${String(use.connectionId)}:${String(use.acceptedUntil)}`;

/** The shop's first uses of a previous secret since `since`, by rotation (`useKey`). */
async function previousSecretUses(shopId: string, since: Date, tx: Tx = db()): Promise<Map<string, Date>> {
  const entries = await tx.auditLog.findMany({
    where: { shopId, action: PREVIOUS_SECRET_USED, createdAt: { gte: since } },
    orderBy: { createdAt: "asc" },
    select: { details: true, createdAt: true },
  });
  const uses = new Map<string, Date>();
  for (const entry of entries) {
    const key = useKey(JSON.parse(entry.details) as Record<string, unknown>);
    if (!uses.has(key)) uses.set(key, entry.createdAt);
  }
  return uses;
}

/** Entries about a previous secret still accepted at `now` were written after its rotation, at most the longest grace ago. */
const rotatedNoEarlierThan = (now: Date) => new Date(now.getTime() - Math.max(...ROTATION_GRACE_HOURS.map(Number)) * HOUR_MS);

/** The shop's connections, active first, newest first. */
export async function listZendeskConnections(shopId: string, now: Date = new Date()): Promise<ConnectionSummary[]> {
  const rows = await db().zendeskConnection.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, include: { refundCaps: true } });
  const uses = rows.some((r) => acceptsPreviousSecret(r, now)) ? await previousSecretUses(shopId, rotatedNoEarlierThan(now)) : new Map<string, Date>();
  const usedAt = (c: ConnectionWithCaps) =>
    acceptsPreviousSecret(c, now) ? (uses.get(useKey(previousSecretUse(c.id, c.previousSecretExpiresAt!)))?.toISOString() ?? null) : null;
  return rows.sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null)).map((c) => summarize(c, now, usedAt(c)));
}

// Requests signed with the previous secret that were already audited, so later ones skip the lookup.
const usesAudited = new Set<string>();

/**
 * Audits, once per rotation of a connection, that a request signed with its previous secret was
 * accepted, so the merchant sees the installed app still uses it (the Zendesk page shows it too).
 * The lookup and the entry share one transaction: SQLite runs them one at a time (decision 0010); on
 * PostgreSQL two requests racing on the first use may both write one.
 */
export async function auditPreviousSecretUse(
  connection: Pick<ZendeskConnection, "id" | "shopId" | "subdomain" | "previousSecretExpiresAt">,
  actor: string,
  now: Date = new Date(),
): Promise<void> {
  if (!connection.previousSecretExpiresAt) return;
  const use = previousSecretUse(connection.id, connection.previousSecretExpiresAt);
  const key = useKey(use);
  if (usesAudited.has(key)) return;
  const written = await db().$transaction(async (tx) => {
    if ((await previousSecretUses(connection.shopId, rotatedNoEarlierThan(now), tx)).has(key)) return false;
    await audit({ shopId: connection.shopId, actor, source: "zendesk", action: PREVIOUS_SECRET_USED, details: use, result: "ok" }, tx);
    return true;
  });
  usesAudited.add(key);
  if (written) log.warn("zendesk.previous_secret_used", { shopId: connection.shopId, ...use, subdomain: connection.subdomain });
}

type FieldErrors = Record<string, string>;
/** The same errors in words (`errors.zendesk.*`), for the fields whose error has them. */

export type SecretResult =
  { ok: true; connection: ConnectionSummary; secret: string } | { ok: false; message: string; fieldErrors: FieldErrors; fieldWords: FieldWords };

/**
 * A new connection. Agents may refund in the shop's own currency without a limit until the merchant
 * sets one; other currencies need a limit first (`shopCurrency` null: none at all).
 */
export async function createZendeskConnection(
  shopId: string,
  form: Record<string, unknown>,
  actor: string,
  shopCurrency: string | null = null,
): Promise<SecretResult> {
  const parsed = z.object({ subdomain: zendeskSubdomainSchema }).safeParse(form);
  if (!parsed.success)
    return {
      ok: false,
      message: "Fix the highlighted field. Nothing was created.",
      fieldErrors: fieldErrorsOf(parsed.error),
      fieldWords: fieldWords(parsed.error),
    };
  const id = crypto.randomUUID();
  const secret = newSecret();
  const connection = await db().$transaction(async (tx) => {
    const created = await tx.zendeskConnection.create({
      data: {
        id,
        shopId,
        subdomain: parsed.data.subdomain,
        sharedSecretEnc: encryptSecret(secret, secretContext(id)),
        secretLast4: last4(secret),
        refundCaps: { create: shopCurrency ? [{ shopId, currency: shopCurrency, maxAmount: null }] : [] },
      },
      include: { refundCaps: true },
    });
    await audit({ shopId, actor, source: "admin", action: "zendesk.connect", details: { connectionId: id, subdomain: created.subdomain }, result: "ok" }, tx);
    return created;
  });
  return { ok: true, connection: summarize(connection, new Date()), secret };
}

const rotationSchema = z.object({
  graceHours: z
    .enum(ROTATION_GRACE_HOURS, { message: said("graceHours", "Choose how long the previous secret keeps working: 0, 1, 24 or 72 hours.") })
    .default(DEFAULT_ROTATION_GRACE_HOURS)
    .transform(Number),
});

/**
 * A new secret for an active connection. The secret it replaces keeps working for the form's
 * `graceHours` (default 24), so the installed app keeps working until its setting is updated; 0 refuses
 * it at once (a leaked secret). There is one previous secret only: one rotated out earlier stops
 * working now, even within its grace. On success the result holds the new secret and, on its
 * connection, the end of the grace (`previousSecretExpiresAt`): what a caller needs to push the new
 * secret into the installed app's settings.
 */
export async function rotateZendeskSecret(
  shopId: string,
  connectionId: string,
  actor: string,
  form: Record<string, unknown> = {},
  now: Date = new Date(),
): Promise<SecretResult> {
  const parsed = rotationSchema.safeParse(form);
  if (!parsed.success)
    return {
      ok: false,
      message: "Fix the highlighted field. The secret was not changed.",
      fieldErrors: fieldErrorsOf(parsed.error),
      fieldWords: fieldWords(parsed.error),
    };
  const { graceHours } = parsed.data;
  const acceptedUntil = graceHours > 0 ? new Date(now.getTime() + graceHours * HOUR_MS) : null;
  const secret = newSecret();
  const connection = await db().$transaction(async (tx) => {
    const current = await tx.zendeskConnection.findFirst({ where: { id: connectionId, shopId, revokedAt: null } });
    if (!current) return null;
    const { count } = await tx.zendeskConnection.updateMany({
      // Only the secret that was read is rotated out: one made by a rotation meanwhile is never lost.
      where: { id: connectionId, shopId, revokedAt: null, sharedSecretEnc: current.sharedSecretEnc },
      data: {
        sharedSecretEnc: encryptSecret(secret, secretContext(connectionId)),
        secretLast4: last4(secret),
        previousSecretEnc: acceptedUntil && encryptSecret(sharedSecretOf(current), previousSecretContext(connectionId)),
        previousSecretExpiresAt: acceptedUntil,
      },
    });
    if (count === 0) return null;
    await audit(
      {
        shopId,
        actor,
        source: "admin",
        action: "zendesk.rotate_secret",
        details: { connectionId, graceHours, previousSecretAcceptedUntil: acceptedUntil?.toISOString() ?? null },
        result: "ok",
      },
      tx,
    );
    return tx.zendeskConnection.findUniqueOrThrow({ where: { id: connectionId }, include: { refundCaps: true } });
  });
  if (!connection) return { ok: false, message: "That Zendesk connection does not exist in this shop or was revoked.", fieldErrors: {}, fieldWords: {} };
  return { ok: true, connection: summarize(connection, now), secret };
}

/** Refuses the previous secret from now on, before its grace ends (audited). False when none is accepted, or not in this shop. */
export async function stopAcceptingPreviousSecret(shopId: string, connectionId: string, actor: string, now: Date = new Date()): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.zendeskConnection.updateMany({
      where: { id: connectionId, shopId, revokedAt: null, previousSecretEnc: { not: null }, previousSecretExpiresAt: { gt: now } },
      data: { previousSecretEnc: null, previousSecretExpiresAt: null },
    });
    if (count > 0) await audit({ shopId, actor, source: "admin", action: "zendesk.stop_previous_secret", details: { connectionId }, result: "ok" }, tx);
    return count > 0;
  });
}

/** Deletes the shop's previous secrets whose grace has ended (the daily data retention run). Returns how many. */
export async function deleteExpiredPreviousSecrets(shopId: string, now: Date = new Date()): Promise<number> {
  const { count } = await db().zendeskConnection.updateMany({
    where: { shopId, previousSecretExpiresAt: { lte: now } },
    data: { previousSecretEnc: null, previousSecretExpiresAt: null },
  });
  return count;
}

/**
 * Seals every shared secret still sealed with ENCRYPTION_KEY_PREVIOUS again with ENCRYPTION_KEY and
 * returns how many changed. Operator maintenance across all shops (`npm run secrets:reseal`); a
 * secret rotated meanwhile is left alone.
 */
export async function resealZendeskSecrets(): Promise<number> {
  let changed = 0;
  for (const c of await db().zendeskConnection.findMany({ select: { id: true, sharedSecretEnc: true, previousSecretEnc: true } })) {
    const again = resealed(c.sharedSecretEnc, secretContext(c.id));
    if (again)
      changed += (await db().zendeskConnection.updateMany({ where: { id: c.id, sharedSecretEnc: c.sharedSecretEnc }, data: { sharedSecretEnc: again } })).count;
    const previousAgain = c.previousSecretEnc && resealed(c.previousSecretEnc, previousSecretContext(c.id));
    if (previousAgain)
      changed += (
        await db().zendeskConnection.updateMany({ where: { id: c.id, previousSecretEnc: c.previousSecretEnc }, data: { previousSecretEnc: previousAgain } })
      ).count;
  }
  return changed;
}

/** Revokes a connection for good: its tokens are refused from now on, whichever secret signed them. False when not this shop's or already revoked. */
export async function revokeZendeskConnection(shopId: string, connectionId: string, actor: string): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.zendeskConnection.updateMany({
      where: { id: connectionId, shopId, revokedAt: null },
      data: { revokedAt: new Date(), previousSecretEnc: null, previousSecretExpiresAt: null },
    });
    if (count > 0) await audit({ shopId, actor, source: "admin", action: "zendesk.revoke", details: { connectionId }, result: "ok" }, tx);
    return count > 0;
  });
}

const flag = z
  .enum(["true", "false", "on"], { message: said("onOrOff", "Must be on or off.") })
  .optional()
  .transform((v) => v === "true" || v === "on");

/** An amount as the form shows it ("500.00"), in the currency's digits; "" for no limit. */
export const limitText = (minor: number | null, currency: string) => (minor === null ? "" : minorToDecimal(minor, currency));

export type PermissionsResult = { ok: true; connection: ConnectionSummary } | { ok: false; message: string; fieldErrors: FieldErrors; fieldWords: FieldWords };

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** Rows `cap.<n>.currency` / `cap.<n>.amount` of the form; a row with no currency is skipped. */
function capRows(form: Record<string, unknown>) {
  const rows = new Map<string, { currency: string; amount: string }>();
  for (const [key, value] of Object.entries(form)) {
    const match = /^cap\.(\d{1,2})\.(currency|amount)$/.exec(key);
    if (!match || typeof value !== "string") continue;
    const row = rows.get(match[1]) ?? { currency: "", amount: "" };
    row[match[2] as "currency" | "amount"] = value.trim();
    rows.set(match[1], row);
  }
  return [...rows.entries()].filter(([, row]) => row.currency !== "");
}

/** Checks the form's caps: each a known currency, once, with an amount in its digits or empty (no limit). */
function parseCaps(
  form: Record<string, unknown>,
): { caps: Array<{ currency: string; maxAmount: number | null }> } | { errors: FieldErrors; words: FieldWords } {
  const errors: FieldErrors = {};
  const words: FieldWords = {};
  const refuse = (field: string, message: string, said: Words) => {
    errors[field] = message;
    words[field] = said;
  };
  const caps: Array<{ currency: string; maxAmount: number | null }> = [];
  const seen = new Set<string>();
  for (const [index, row] of capRows(form)) {
    const currency = row.currency.toUpperCase();
    if (!KNOWN_CURRENCIES.has(currency)) {
      refuse(`cap.${index}.currency`, `${row.currency} is not a currency code; use one like EUR or JPY.`, {
        key: "zendesk.cap.notCurrency",
        values: { currency: row.currency },
      });
      continue;
    }
    if (seen.has(currency)) {
      refuse(`cap.${index}.currency`, `${currency} is listed twice.`, { key: "zendesk.cap.twice", values: { currency } });
      continue;
    }
    seen.add(currency);
    if (!row.amount) {
      caps.push({ currency, maxAmount: null });
      continue;
    }
    const amount = decimalToMinor(row.amount, currency);
    if (!amount.ok) refuse(`cap.${index}.amount`, amount.message, amount.words);
    else if (amount.minor === 0)
      refuse(`cap.${index}.amount`, `Remove ${currency} instead: without a limit row, ${currency} payments cannot be refunded from Zendesk.`, {
        key: "zendesk.cap.zero",
        values: { currency },
      });
    else caps.push({ currency, maxAmount: amount.minor });
  }
  return Object.keys(errors).length ? { errors, words } : { caps };
}

/**
 * Saves what agents may do from Zendesk. Refund limits are per currency, typed as decimal amounts of
 * that currency (empty: no limit) and stored in its minor units; each applies to every refund from
 * Zendesk on one payment in that currency, together. Payments in currencies not listed cannot be
 * refunded from Zendesk.
 */
export async function updateZendeskPermissions(shopId: string, connectionId: string, form: Record<string, unknown>, actor: string): Promise<PermissionsResult> {
  const flags = z.object({ allowRefunds: flag, allowVoids: flag, allowEvidence: flag, allowCancel: flag }).safeParse(form);
  const caps = parseCaps(form);
  if (!flags.success || "errors" in caps) {
    return {
      ok: false,
      message: "Fix the highlighted fields. Nothing was saved.",
      fieldErrors: { ...(flags.success ? {} : fieldErrorsOf(flags.error)), ...("errors" in caps ? caps.errors : {}) },
      fieldWords: { ...(flags.success ? {} : fieldWords(flags.error)), ...("errors" in caps ? caps.words : {}) },
    };
  }
  const connection = await db().$transaction(async (tx) => {
    const { count } = await tx.zendeskConnection.updateMany({ where: { id: connectionId, shopId, revokedAt: null }, data: flags.data });
    if (count === 0) return null;
    await tx.zendeskRefundCap.deleteMany({ where: { connectionId } });
    await tx.zendeskRefundCap.createMany({ data: caps.caps.map((cap) => ({ shopId, connectionId, ...cap })) });
    await audit(
      { shopId, actor, source: "admin", action: "zendesk.permissions", details: { connectionId, ...flags.data, refundCaps: caps.caps }, result: "ok" },
      tx,
    );
    return tx.zendeskConnection.findUniqueOrThrow({ where: { id: connectionId }, include: { refundCaps: true } });
  });
  if (!connection) return { ok: false, message: "That Zendesk connection does not exist in this shop or was revoked.", fieldErrors: {}, fieldWords: {} };
  return { ok: true, connection: summarize(connection, new Date()) };
}

/** The refund limit for payments in `currency`: a number of minor units, null for none, or undefined when Zendesk may not refund it. */
export function refundCapFor(connection: { refundCaps: Array<Pick<ZendeskRefundCap, "currency" | "maxAmount">> }, currency: string): number | null | undefined {
  const cap = connection.refundCaps.find((c) => c.currency === currency);
  return cap ? cap.maxAmount : undefined;
}
