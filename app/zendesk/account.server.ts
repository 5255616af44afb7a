// The merchant's Zendesk Support account, connected to the shop for the app's own calls (dispute
// tickets, conversations): with OAuth (oauth.server.ts) or an agent's API token checked here. At most
// one per shop. Its tokens are sealed at rest and never leave the server; what the admin shows is
// the summary below. Disconnecting (or uninstalling the app) revokes the OAuth token at Zendesk.
import type { ZendeskAccount } from "@prisma/client";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { encryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { messageWords, type FieldWords } from "../i18n/domain-words";
import { fieldErrorsOf } from "../lib/form";
import { log } from "../log.server";
import { zendeskSubdomainSchema } from "./connections.server";
import { revokeZendeskToken, zendeskOrigin, ZENDESK_TOKEN_CONTEXT } from "./support-api.server";

export interface ZendeskAccountSummary {
  subdomain: string;
  authKind: "oauth" | "api_token";
  email: string | null;
  status: "connected" | "needs_reauth";
  statusDetail: string | null;
  connectedBy: string;
  connectedAt: string;
}

/** The shop's account as the admin shows it: no token, sealed or not. */
export async function zendeskAccountSummary(shopId: string): Promise<ZendeskAccountSummary | null> {
  const a = await db().zendeskAccount.findUnique({ where: { shopId } });
  if (!a) return null;
  return {
    subdomain: a.subdomain,
    authKind: a.authKind === "oauth" ? "oauth" : "api_token",
    email: a.email,
    status: a.status === "connected" ? "connected" : "needs_reauth",
    statusDetail: a.statusDetail,
    connectedBy: a.connectedBy,
    connectedAt: a.connectedAt.toISOString(),
  };
}

/** OAuth needs the operator's OAuth client; without it merchants connect with an API token. */
export const zendeskOAuthConfigured = (): boolean => Boolean(env().ZENDESK_OAUTH_CLIENT_ID && env().ZENDESK_OAUTH_CLIENT_SECRET);

type AccountCredentials = Pick<ZendeskAccount, "subdomain" | "authKind" | "email" | "accessTokenEnc" | "refreshTokenEnc" | "accessTokenExpiresAt" | "scopes">;

/** Stores the shop's account (replacing one it had: reconnecting), connected now, and audits it. */
export async function saveZendeskAccount(shopId: string, credentials: AccountCredentials, actor: string): Promise<void> {
  const data = { ...credentials, status: "connected", statusDetail: null, connectedBy: actor, connectedAt: new Date() };
  await db().$transaction(async (tx) => {
    await tx.zendeskAccount.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
    await audit(
      {
        shopId,
        actor,
        source: "admin",
        action: "zendesk.account.connect",
        details: { subdomain: credentials.subdomain, authKind: credentials.authKind, email: credentials.email },
        result: "ok",
      },
      tx,
    );
  });
}

const { said, fieldWords } = messageWords("zendesk");

const apiTokenSchema = z.object({
  subdomain: zendeskSubdomainSchema,
  email: z
    .string({ required_error: said("account.email", "Enter the email address of the Zendesk agent the API token belongs to.") })
    .trim()
    .email(said("account.email", "Enter the email address of the Zendesk agent the API token belongs to.")),
  apiToken: z
    .string({ required_error: said("account.apiToken", "Paste an API token from Zendesk Admin Center > Apps and integrations > Zendesk API.") })
    .trim()
    .min(1, said("account.apiToken", "Paste an API token from Zendesk Admin Center > Apps and integrations > Zendesk API.")),
});

/** GET /api/v2/users/me.json: who the token acts as (Zendesk answers an anonymous user, id null, to no credentials). */
const meSchema = z.object({ user: z.object({ id: z.number().nullable(), email: z.string().nullable().optional(), role: z.string() }) });

export type ApiTokenResult =
  | { ok: true }
  | { ok: false; reason: "invalid"; fieldErrors: Record<string, string>; fieldWords: FieldWords }
  | { ok: false; reason: "refused" | "unreachable"; subdomain: string };

/** Connects with an agent's API token after Zendesk accepts it (users/me as an agent or admin); else stores nothing. */
export async function connectZendeskWithApiToken(shopId: string, form: Record<string, string>, actor: string): Promise<ApiTokenResult> {
  const parsed = apiTokenSchema.safeParse(form);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error), fieldWords: fieldWords(parsed.error) };
  const { subdomain, email, apiToken } = parsed.data;
  let response: Response;
  try {
    response = await fetch(`${zendeskOrigin(subdomain)}/api/v2/users/me.json`, {
      headers: { Authorization: `Basic ${Buffer.from(`${email}/token:${apiToken}`).toString("base64")}`, Accept: "application/json" },
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    return { ok: false, reason: "unreachable", subdomain };
  }
  const me = meSchema.safeParse(await response.json().catch(() => null));
  const agent = response.ok && me.success && me.data.user.id !== null && me.data.user.role !== "end-user";
  if (!agent) {
    log.info("zendesk.api_token_refused", { shopId, subdomain, status: response.status });
    return { ok: false, reason: "refused", subdomain };
  }
  const credentials = {
    subdomain,
    authKind: "api_token",
    email,
    accessTokenEnc: encryptSecret(apiToken, ZENDESK_TOKEN_CONTEXT.access),
    refreshTokenEnc: null,
    accessTokenExpiresAt: null,
    scopes: "",
  };
  await saveZendeskAccount(shopId, credentials, actor);
  return { ok: true };
}

/**
 * Removes the shop's account after revoking its OAuth token at Zendesk (best effort: the row goes
 * either way, and the audit says whether Zendesk confirmed). False when there was none.
 */
export async function disconnectZendeskAccount(shopId: string, actor: string, source: "admin" | "system" = "admin"): Promise<boolean> {
  const account = await db().zendeskAccount.findUnique({ where: { shopId } });
  if (!account) return false;
  const revoked = await revokeZendeskToken(account);
  await db().$transaction(async (tx) => {
    await tx.zendeskAccount.deleteMany({ where: { id: account.id } });
    await audit(
      {
        shopId,
        actor,
        source,
        action: "zendesk.account.disconnect",
        details: { subdomain: account.subdomain, authKind: account.authKind, tokenRevoked: revoked },
        result: "ok",
      },
      tx,
    );
  });
  return true;
}
