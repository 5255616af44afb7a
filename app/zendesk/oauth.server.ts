// Connecting the merchant's Zendesk account with OAuth: the authorization code grant with PKCE (S256)
// through the operator's global OAuth client (ZENDESK_OAUTH_CLIENT_ID/SECRET). Starting stores the
// state with the sealed verifier for 10 minutes; the callback finishes it once, for the shop that
// started it (the stored row says which, never the query), and stores the tokens sealed.
import { createHash } from "node:crypto";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { decryptSecret, encryptSecret, randomToken } from "../crypto.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { type FieldWords, fieldWordsOf } from "../i18n/domain-words";
import { fieldErrorsOf } from "../lib/form";
import { log } from "../log.server";
import { saveZendeskAccount, zendeskOAuthConfigured } from "./account.server";
import { zendeskSubdomainSchema } from "./connections.server";
import { requestZendeskTokens, sealedTokens, ZendeskTokenError, zendeskOrigin } from "./support-api.server";
import { adminAppUrl } from "../shopify/admin-url";

const SCOPE = "read write";
const STATE_TTL_MS = 10 * 60_000;
const verifierContext = (state: string) => `zendesk-oauth:${state}:code-verifier`;

/** Where Zendesk sends the browser back (register it on the OAuth client). */
const zendeskOAuthRedirectUri = () => `${env().SHOPIFY_APP_URL.replace(/\/+$/, "")}/zendesk/oauth/callback`;

export type OAuthStart = { ok: true; authorizeUrl: string } | { ok: false; fieldErrors: Record<string, string>; fieldWords: FieldWords };

/** Starts the authorization for the shop's staff member: the Zendesk consent page's URL to send the top frame to. */
export async function startZendeskOAuth(shopId: string, form: Record<string, string>, actor: string, now = new Date()): Promise<OAuthStart> {
  const parsed = z.object({ subdomain: zendeskSubdomainSchema }).safeParse(form);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), fieldWords: fieldWordsOf(parsed.error) };
  const { subdomain } = parsed.data;
  const state = randomToken(32);
  const verifier = randomToken(48); // 64 characters of [A-Za-z0-9_-], within RFC 7636's 43..128
  await db().$transaction([
    // Abandoned attempts of any shop are of no use after their 10 minutes.
    db().zendeskAuthorization.deleteMany({ where: { expiresAt: { lt: now } } }),
    db().zendeskAuthorization.create({
      data: {
        state,
        shopId,
        subdomain,
        codeVerifierEnc: encryptSecret(verifier, verifierContext(state)),
        requestedBy: actor,
        expiresAt: new Date(now.getTime() + STATE_TTL_MS),
      },
    }),
  ]);
  const url = new URL(`${zendeskOrigin(subdomain)}/oauth/authorizations/new`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: env().ZENDESK_OAUTH_CLIENT_ID ?? "",
    redirect_uri: zendeskOAuthRedirectUri(),
    scope: SCOPE,
    state,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  return { ok: true, authorizeUrl: url.toString() };
}

/** How an authorization ended, as the admin's Zendesk page says it (`?zendeskAccount=`). */
export const OAUTH_OUTCOMES = ["connected", "denied", "expired", "failed"] as const;
export type OAuthOutcome = (typeof OAUTH_OUTCOMES)[number];

/** The callback's result: the shop it belongs to (null: the state is unknown or used, nothing to go back to). */
export type OAuthFinish = { shopDomain: string; outcome: OAuthOutcome } | { shopDomain: null; outcome: "unknown_state" };

const callbackSchema = z.object({
  state: z.string().min(1).max(200),
  code: z.string().min(1).max(2000).optional(),
  error: z.string().max(200).optional(),
});

/** Finishes the authorization Zendesk sent the browser back with (its query), at most once per state. */
export async function finishZendeskOAuth(query: URLSearchParams, now = new Date()): Promise<OAuthFinish> {
  const parsed = callbackSchema.safeParse(Object.fromEntries(query));
  if (!parsed.success) return { shopDomain: null, outcome: "unknown_state" };
  const { state, code, error } = parsed.data;
  // Taking the row is what makes a state usable once, even by two callbacks at the same time.
  const row = await db().zendeskAuthorization.findUnique({ where: { state }, include: { shop: { select: { domain: true } } } });
  const taken = row ? await db().zendeskAuthorization.deleteMany({ where: { state } }) : { count: 0 };
  if (!row || taken.count === 0) return { shopDomain: null, outcome: "unknown_state" };
  const shopDomain = row.shop.domain;
  const finish = async (outcome: OAuthOutcome, detail?: string): Promise<OAuthFinish> => {
    if (outcome !== "connected")
      await audit({
        shopId: row.shopId,
        actor: row.requestedBy,
        source: "admin",
        action: "zendesk.account.connect",
        details: { subdomain: row.subdomain, authKind: "oauth", outcome },
        result: "error",
        error: detail ?? outcome,
      });
    return { shopDomain, outcome };
  };
  if (row.expiresAt <= now) return finish("expired", "The authorization took longer than 10 minutes.");
  if (error) return finish(error === "access_denied" ? "denied" : "failed", `Zendesk answered ${error}.`);
  if (!code || !zendeskOAuthConfigured()) return finish("failed", "Zendesk sent no authorization code.");
  try {
    const tokens = await requestZendeskTokens(row.subdomain, {
      grant_type: "authorization_code",
      code,
      redirect_uri: zendeskOAuthRedirectUri(),
      code_verifier: decryptSecret(row.codeVerifierEnc, verifierContext(state)),
      scope: SCOPE,
    });
    await saveZendeskAccount(row.shopId, { subdomain: row.subdomain, authKind: "oauth", email: null, ...sealedTokens(tokens, now) }, row.requestedBy);
    return { shopDomain, outcome: "connected" };
  } catch (thrown) {
    if (!(thrown instanceof ZendeskTokenError)) throw thrown;
    log.warn("zendesk.oauth_exchange_failed", { shopId: row.shopId, status: thrown.status, code: thrown.code });
    return finish("failed", `Zendesk refused the authorization code (${thrown.code}).`);
  }
}

/** The admin's Zendesk page in Shopify admin, saying how the authorization ended. */
export const adminZendeskPageUrl = (shopDomain: string, outcome: OAuthOutcome) => adminAppUrl(shopDomain, `/app/zendesk?zendeskAccount=${outcome}`);
