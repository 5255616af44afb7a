// Zendesk connections, as the Shopify app's settings manage them. Creating one (or rotating its secret)
// makes a random shared secret that is encrypted at rest and handed back once, for the merchant to
// paste into the Zendesk app's settings; afterwards only its last 4 characters are shown.
// The permissions here are what the /api/zendesk routes enforce, whatever the sidebar asks.
import crypto from "node:crypto";
import type { ZendeskConnection } from "@prisma/client";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { decryptSecret, encryptSecret, last4, randomToken, resealed } from "../crypto.server";
import { db } from "../db.server";
import { decimalToMinor, minorToDecimal } from "../holds/amounts";

const secretContext = (connectionId: string) => `zendesk-connection:${connectionId}:sharedSecret`;

/** The shared secret the proxy signs with. Server-only: never logged, never sent to a browser. */
export const sharedSecretOf = (connection: Pick<ZendeskConnection, "id" | "sharedSecretEnc">) =>
  decryptSecret(connection.sharedSecretEnc, secretContext(connection.id));

/** 32 random bytes: a full-strength HS256 key. */
const newSecret = () => randomToken(32);

/** "acme" from "acme", "ACME.zendesk.com" or "https://acme.zendesk.com/agent". */
export const zendeskSubdomainSchema = z
  .string({ required_error: "Enter your Zendesk subdomain." })
  .trim()
  .toLowerCase()
  .transform((v) => v.replace(/^https?:\/\//, "").replace(/\/.*$/, "").replace(/\.zendesk\.com$/, ""))
  .pipe(
    z
      .string()
      .min(1, "Enter your Zendesk subdomain.")
      .max(63, "A Zendesk subdomain has at most 63 characters.")
      .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use the part before .zendesk.com: letters, digits and hyphens, like acme for acme.zendesk.com."),
  );

export interface ConnectionSummary {
  id: string;
  subdomain: string;
  secretLast4: string;
  allowRefunds: boolean;
  allowVoids: boolean;
  allowEvidence: boolean;
  maxRefundAmount: number | null;
  createdAt: string;
  revokedAt: string | null;
}

const summarize = (c: ZendeskConnection): ConnectionSummary => ({
  id: c.id,
  subdomain: c.subdomain,
  secretLast4: c.secretLast4,
  allowRefunds: c.allowRefunds,
  allowVoids: c.allowVoids,
  allowEvidence: c.allowEvidence,
  maxRefundAmount: c.maxRefundAmount,
  createdAt: c.createdAt.toISOString(),
  revokedAt: c.revokedAt?.toISOString() ?? null,
});

/** The shop's connections, active first, newest first. */
export async function listZendeskConnections(shopId: string): Promise<ConnectionSummary[]> {
  const rows = await db().zendeskConnection.findMany({ where: { shopId }, orderBy: { createdAt: "desc" } });
  return rows.sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null)).map(summarize);
}

type FieldErrors = Record<string, string>;
const firstErrors = (error: z.ZodError): FieldErrors => {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? "form")] ??= issue.message;
  return out;
};

export type SecretResult = { ok: true; connection: ConnectionSummary; secret: string } | { ok: false; message: string; fieldErrors: FieldErrors };

export async function createZendeskConnection(shopId: string, form: Record<string, unknown>, actor: string): Promise<SecretResult> {
  const parsed = z.object({ subdomain: zendeskSubdomainSchema }).safeParse(form);
  if (!parsed.success) return { ok: false, message: "Fix the highlighted field. Nothing was created.", fieldErrors: firstErrors(parsed.error) };
  const id = crypto.randomUUID();
  const secret = newSecret();
  const connection = await db().$transaction(async (tx) => {
    const created = await tx.zendeskConnection.create({
      data: { id, shopId, subdomain: parsed.data.subdomain, sharedSecretEnc: encryptSecret(secret, secretContext(id)), secretLast4: last4(secret) },
    });
    await audit({ shopId, actor, source: "admin", action: "zendesk.connect", details: { connectionId: id, subdomain: created.subdomain }, result: "ok" }, tx);
    return created;
  });
  return { ok: true, connection: summarize(connection), secret };
}

/** A new secret for an active connection; the old one stops working at once. */
export async function rotateZendeskSecret(shopId: string, connectionId: string, actor: string): Promise<SecretResult> {
  const secret = newSecret();
  const connection = await db().$transaction(async (tx) => {
    const { count } = await tx.zendeskConnection.updateMany({
      where: { id: connectionId, shopId, revokedAt: null },
      data: { sharedSecretEnc: encryptSecret(secret, secretContext(connectionId)), secretLast4: last4(secret) },
    });
    if (count === 0) return null;
    await audit({ shopId, actor, source: "admin", action: "zendesk.rotate_secret", details: { connectionId }, result: "ok" }, tx);
    return tx.zendeskConnection.findUniqueOrThrow({ where: { id: connectionId } });
  });
  if (!connection) return { ok: false, message: "That Zendesk connection does not exist in this shop or was revoked.", fieldErrors: {} };
  return { ok: true, connection: summarize(connection), secret };
}

/**
 * Seals every shared secret still sealed with ENCRYPTION_KEY_PREVIOUS again with ENCRYPTION_KEY and
 * returns how many changed. Operator maintenance across all shops (`npm run secrets:reseal`); a
 * secret rotated meanwhile is left alone.
 */
export async function resealZendeskSecrets(): Promise<number> {
  let changed = 0;
  for (const c of await db().zendeskConnection.findMany({ select: { id: true, sharedSecretEnc: true } })) {
    const again = resealed(c.sharedSecretEnc, secretContext(c.id));
    if (again) changed += (await db().zendeskConnection.updateMany({ where: { id: c.id, sharedSecretEnc: c.sharedSecretEnc }, data: { sharedSecretEnc: again } })).count;
  }
  return changed;
}

/** Revokes a connection for good: its tokens are refused from now on. False when not this shop's or already revoked. */
export async function revokeZendeskConnection(shopId: string, connectionId: string, actor: string): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.zendeskConnection.updateMany({ where: { id: connectionId, shopId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count > 0) await audit({ shopId, actor, source: "admin", action: "zendesk.revoke", details: { connectionId }, result: "ok" }, tx);
    return count > 0;
  });
}

const flag = z
  .enum(["true", "false", "on"], { message: "Must be on or off." })
  .optional()
  .transform((v) => v === "true" || v === "on");

/** The limit as the form shows it ("500.00"), in the shop's currency digits. */
export const limitText = (minor: number | null, currency: string) => (minor === null ? "" : minorToDecimal(minor, currency));

export type PermissionsResult = { ok: true; connection: ConnectionSummary } | { ok: false; message: string; fieldErrors: FieldErrors };

/**
 * Saves what agents may do from Zendesk. The refund limit is typed as a decimal amount (empty: no
 * limit) and stored in minor units; it applies to each payment in that payment's currency.
 */
export async function updateZendeskPermissions(
  shopId: string,
  connectionId: string,
  form: Record<string, unknown>,
  actor: string,
  currency: string,
): Promise<PermissionsResult> {
  const parsed = z
    .object({
      allowRefunds: flag,
      allowVoids: flag,
      allowEvidence: flag,
      maxRefundAmount: z
        .string()
        .optional()
        .transform((v, ctx) => {
          if (!v?.trim()) return null;
          const amount = decimalToMinor(v, currency);
          if (!amount.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: amount.message });
          else if (amount.minor === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Leave it empty for no limit, or turn refunds off." });
          return amount.ok ? amount.minor : null;
        }),
    })
    .safeParse(form);
  if (!parsed.success) return { ok: false, message: "Fix the highlighted fields. Nothing was saved.", fieldErrors: firstErrors(parsed.error) };
  const connection = await db().$transaction(async (tx) => {
    const { count } = await tx.zendeskConnection.updateMany({ where: { id: connectionId, shopId, revokedAt: null }, data: parsed.data });
    if (count === 0) return null;
    await audit({ shopId, actor, source: "admin", action: "zendesk.permissions", details: { connectionId, ...parsed.data }, result: "ok" }, tx);
    return tx.zendeskConnection.findUniqueOrThrow({ where: { id: connectionId } });
  });
  if (!connection) return { ok: false, message: "That Zendesk connection does not exist in this shop or was revoked.", fieldErrors: {} };
  return { ok: true, connection: summarize(connection) };
}
