// The shop's Zendesk Support account through Zendesk's REST API, with node-zendesk (the maintained
// Node.js client), as the merchant connected it (ZendeskAccount: OAuth or an API token). Only this
// module opens the sealed tokens; features ask for a client here and never see a token.
// Every call goes through one transport that keeps the account usable: an expired or refused OAuth
// token is refreshed once and the call retried; a token Zendesk still refuses marks the account
// needs_reauth (the admin asks to reconnect); a short 429 is waited out, a long one is a typed error.
import type { ZendeskAccount } from "@prisma/client";
// CommonJS whose named exports Node cannot see from ESM (the worker runs under tsx): its default export.
import nodeZendesk, { type ZendeskClient } from "node-zendesk";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { decryptSecret, encryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { sleep } from "../lib/retry";
import { log } from "../log.server";

/** Sealing contexts of the account's tokens (app/crypto.server.ts binds a sealed value to its use). */
export const ZENDESK_TOKEN_CONTEXT = { access: "zendesk-account:access-token", refresh: "zendesk-account:refresh-token" } as const;

/** The account's origin: https://<subdomain>.zendesk.com, or the local stand-in's (ZENDESK_API_BASE_URL). */
export const zendeskOrigin = (subdomain: string): string => env().ZENDESK_API_BASE_URL?.replace(/\/+$/, "") ?? `https://${subdomain}.zendesk.com`;

/** Zendesk refused the account's credentials even after a refresh: the merchant must reconnect. */
export class ZendeskReauthRequiredError extends Error {
  readonly statusCode = 401;
  constructor(readonly shopId: string) {
    super("Zendesk refused this shop's Zendesk account: reconnect it on the app's Zendesk page.");
    this.name = "ZendeskReauthRequiredError";
  }
}

/** Zendesk's rate limit asks for a longer wait than a call should hold on for: try again at retryAt. */
export class ZendeskRateLimitedError extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAt: Date) {
    super(`Zendesk's rate limit was reached: try again after ${retryAt.toISOString()}.`);
    this.name = "ZendeskRateLimitedError";
  }
}

/** Waits up to this long (Retry-After) and at most this often before giving up on a 429. */
const RATE_LIMIT = { maxWaitSeconds: 10, retries: 2 };
/** An access token this close to its expiry is refreshed before use. */
const EXPIRY_MARGIN_MS = 60_000;

/** Zendesk's token endpoint answer (POST /oauth/tokens). */
const tokenSetSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string(),
  scope: z.string().default(""),
  expires_in: z.number().int().positive().optional(),
});
export type ZendeskTokenSet = z.infer<typeof tokenSetSchema>;

type TokenGrant =
  | { grant_type: "authorization_code"; code: string; redirect_uri: string; code_verifier: string; scope: string }
  | { grant_type: "refresh_token"; refresh_token: string };

/** A refusal of the token endpoint, with Zendesk's OAuth error code (invalid_grant, invalid_client...). */
export class ZendeskTokenError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`Zendesk's token endpoint answered ${status} ${code}`);
    this.name = "ZendeskTokenError";
  }
}

/** Exchanges a grant at the account's token endpoint with the operator's OAuth client. */
export async function requestZendeskTokens(subdomain: string, grant: TokenGrant): Promise<ZendeskTokenSet> {
  const { ZENDESK_OAUTH_CLIENT_ID: clientId, ZENDESK_OAUTH_CLIENT_SECRET: clientSecret } = env();
  if (!clientId || !clientSecret) throw new ZendeskTokenError(0, "oauth_not_configured");
  let response: Response;
  try {
    response = await fetch(`${zendeskOrigin(subdomain)}/oauth/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ ...grant, client_id: clientId, client_secret: clientSecret }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    throw new ZendeskTokenError(0, "unreachable");
  }
  const body: unknown = await response.json().catch(() => null);
  const tokens = tokenSetSchema.safeParse(body);
  if (response.ok && tokens.success) return tokens.data;
  const code = z.object({ error: z.string() }).safeParse(body);
  throw new ZendeskTokenError(response.status, code.success ? code.data.error : "invalid_response");
}

/** The sealed columns of a token set, as stored on ZendeskAccount. */
export function sealedTokens(tokens: ZendeskTokenSet, now = new Date()) {
  return {
    accessTokenEnc: encryptSecret(tokens.access_token, ZENDESK_TOKEN_CONTEXT.access),
    refreshTokenEnc: tokens.refresh_token ? encryptSecret(tokens.refresh_token, ZENDESK_TOKEN_CONTEXT.refresh) : null,
    accessTokenExpiresAt: tokens.expires_in ? new Date(now.getTime() + tokens.expires_in * 1000) : null,
    scopes: tokens.scope,
  };
}

/** The Authorization header acting as the account: its Bearer token (OAuth) or email/token (API token). */
function authorizationOf(account: ZendeskAccount): string {
  const token = decryptSecret(account.accessTokenEnc, ZENDESK_TOKEN_CONTEXT.access);
  if (account.authKind === "oauth") return `Bearer ${token}`;
  return `Basic ${Buffer.from(`${account.email ?? ""}/token:${token}`).toString("base64")}`;
}

/** Revokes the account's OAuth token at Zendesk; true when Zendesk confirmed (API tokens are the merchant's to delete). */
export async function revokeZendeskToken(account: ZendeskAccount): Promise<boolean> {
  if (account.authKind !== "oauth") return false;
  try {
    const response = await fetch(`${zendeskOrigin(account.subdomain)}/api/v2/oauth/tokens/current.json`, {
      method: "DELETE",
      headers: { Authorization: authorizationOf(account) },
      signal: AbortSignal.timeout(15_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** One refresh per account at a time in this process: Zendesk rotates refresh tokens, a second one would fail. */
const refreshing = new Map<string, Promise<ZendeskAccount | null>>();

/** The account with fresh tokens, or null when it cannot be refreshed (API token, no refresh token, refused). */
function refreshedAccount(account: ZendeskAccount): Promise<ZendeskAccount | null> {
  const running = refreshing.get(account.id);
  if (running) return running;
  const refresh = refreshOnce(account).finally(() => refreshing.delete(account.id));
  refreshing.set(account.id, refresh);
  return refresh;
}

async function refreshOnce(account: ZendeskAccount): Promise<ZendeskAccount | null> {
  if (account.authKind !== "oauth" || !account.refreshTokenEnc) return null;
  try {
    const tokens = await requestZendeskTokens(account.subdomain, {
      grant_type: "refresh_token",
      refresh_token: decryptSecret(account.refreshTokenEnc, ZENDESK_TOKEN_CONTEXT.refresh),
    });
    const sealed = sealedTokens(tokens);
    // Zendesk may not rotate the refresh token: then the current one stays.
    return await db().zendeskAccount.update({
      where: { id: account.id },
      data: { ...sealed, refreshTokenEnc: sealed.refreshTokenEnc ?? account.refreshTokenEnc },
    });
  } catch (error) {
    if (!(error instanceof ZendeskTokenError)) throw error;
    // Another process may have refreshed first (the old refresh token is then spent): use its tokens.
    const now = await db().zendeskAccount.findUnique({ where: { id: account.id } });
    if (now && now.status === "connected" && now.accessTokenEnc !== account.accessTokenEnc) return now;
    log.warn("zendesk.token_refresh_failed", { shopId: account.shopId, status: error.status, code: error.code });
    return null;
  }
}

/** Zendesk refuses the account's token: the admin asks the merchant to reconnect. */
async function markNeedsReauth(account: ZendeskAccount, detail: string): Promise<void> {
  const { count } = await db().zendeskAccount.updateMany({
    where: { id: account.id, status: "connected" },
    data: { status: "needs_reauth", statusDetail: detail },
  });
  if (count === 0) return;
  await audit({
    shopId: account.shopId,
    actor: "system",
    source: "system",
    action: "zendesk.account.needs_reauth",
    details: { subdomain: account.subdomain, authKind: account.authKind },
    result: "error",
    error: detail,
  });
}

/** Seconds Zendesk asks to wait (Retry-After: seconds or an HTTP date); 60 when it does not say. */
function retryAfterSeconds(response: Response, now = Date.now()): number {
  const header = response.headers.get("retry-after");
  if (header && /^\d+$/.test(header.trim())) return Number(header);
  const date = header ? Date.parse(header) : NaN;
  return Number.isNaN(date) ? 60 : Math.max(0, Math.ceil((date - now) / 1000));
}

/** node-zendesk's transport (fetch), acting as the account and keeping it usable (see the header). */
function accountTransport(initial: ZendeskAccount) {
  let account = initial;
  type Options = Omit<RequestInit, "headers"> & { headers?: Record<string, string> };
  const send = (uri: string, options: Options) => {
    const headers: Record<string, string> = { ...options.headers, Authorization: authorizationOf(account) };
    // node-zendesk names a multipart upload without its boundary; fetch writes the whole header for a FormData body.
    if (options.body instanceof FormData) delete headers["Content-Type"];
    return fetch(uri, { ...options, headers });
  };

  return async (uri: string, options: Options): Promise<Response> => {
    if (account.accessTokenExpiresAt && account.accessTokenExpiresAt.getTime() - Date.now() < EXPIRY_MARGIN_MS) {
      account = (await refreshedAccount(account)) ?? account;
    }
    let response = await send(uri, options);
    for (let retry = 0; response.status === 429; retry++) {
      const wait = retryAfterSeconds(response);
      if (retry >= RATE_LIMIT.retries || wait > RATE_LIMIT.maxWaitSeconds) throw new ZendeskRateLimitedError(new Date(Date.now() + wait * 1000));
      await sleep(wait * 1000);
      response = await send(uri, options);
    }
    if (response.status !== 401) return response;
    const refreshed = await refreshedAccount(account);
    if (refreshed) {
      account = refreshed;
      response = await send(uri, options);
      if (response.status !== 401) return response;
    }
    await markNeedsReauth(
      account,
      account.authKind === "oauth" ? "Zendesk refused the OAuth token and it could not be refreshed." : "Zendesk refused the API token.",
    );
    throw new ZendeskReauthRequiredError(account.shopId);
  };
}

/** The shop's connected Zendesk account, or null (none, or Zendesk refused its token: reconnect). */
function connectedZendeskAccount(shopId: string): Promise<ZendeskAccount | null> {
  return db().zendeskAccount.findFirst({ where: { shopId, status: "connected" } });
}

/** A Support API client acting as the account: a Bearer token (OAuth) or the agent's email and API token. */
export function supportClientOf(account: ZendeskAccount): ZendeskClient {
  return nodeZendesk.createClient({
    endpointUri: `${zendeskOrigin(account.subdomain)}/api/v2`,
    // The transport sets the Authorization header from the account (its token may be refreshed meanwhile).
    token: "set-by-transport",
    ...(account.authKind === "oauth" ? { oauth: true } : { username: account.email ?? "" }),
    transportConfig: {
      transportFn: accountTransport(account),
      responseAdapter: (response: Response) => ({
        json: () => response.json(),
        status: response.status,
        headers: { get: (name: string) => response.headers.get(name) },
        statusText: response.statusText,
      }),
    },
    // Errors carry Zendesk's status and body (statusCode, result) for the caller to explain.
    throwOriginalException: true,
  });
}

/** The shop's Support API client, or null when the shop has no connected Zendesk account. */
export async function supportClientFor(shopId: string): Promise<ZendeskClient | null> {
  const account = await connectedZendeskAccount(shopId);
  return account ? supportClientOf(account) : null;
}
