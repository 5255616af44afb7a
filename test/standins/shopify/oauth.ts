// Shopify's token endpoint, POST https://<shop>/admin/oauth/access_token: token exchange (a session
// token for an offline or online access token, expiring or not), refresh of expiring offline
// tokens, and migration of a non-expiring offline token to an expiring one. Response bodies have
// Shopify's shape, which @shopify/shopify-api turns into a Session.
import { verifySessionToken } from "./session-token";
import type { AccessTokenRecord, ShopifyStore } from "./store";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

export interface AppCredentials {
  apiKey: string;
  apiSecret: string;
  scopes: string;
}

interface TokenResponse {
  status: number;
  body: unknown;
}

const oauthError = (status: number, error: string, description: string): TokenResponse => ({ status, body: { error, error_description: description } });

const seconds = (until: number | null, now: number) => (until === null ? undefined : Math.round((until - now) / 1000));

function accessTokenBody(store: ShopifyStore, record: AccessTokenRecord) {
  const now = store.clock();
  if (record.userId !== null) {
    const user = store.shop(record.shop)?.users.find((u) => u.id === record.userId);
    return {
      access_token: record.token,
      scope: record.scope,
      expires_in: seconds(record.expiresAt, now),
      associated_user_scope: record.scope,
      associated_user: {
        id: record.userId,
        first_name: user?.firstName ?? "Staff",
        last_name: user?.lastName ?? "Member",
        email: user?.email ?? `staff${record.userId}@example.com`,
        email_verified: true,
        account_owner: user?.accountOwner ?? false,
        locale: user?.locale ?? "en",
        collaborator: false,
      },
    };
  }
  return {
    access_token: record.token,
    scope: record.scope,
    ...(record.expiresAt !== null && {
      expires_in: seconds(record.expiresAt, now),
      refresh_token: record.refreshToken,
      refresh_token_expires_in: seconds(record.refreshTokenExpiresAt, now),
    }),
  };
}

/** Reads the form fields from a JSON or url-encoded body, as Shopify accepts both. */
export function tokenRequestFields(contentType: string | null, text: string): Record<string, string> {
  if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed ?? {}).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}

export function handleTokenRequest(store: ShopifyStore, app: AppCredentials, shopDomain: string, fields: Record<string, string>): TokenResponse {
  const shop = store.shop(shopDomain);
  if (!shop) return { status: 404, body: { errors: "Not Found" } };
  if (fields.client_id !== app.apiKey || fields.client_secret !== app.apiSecret) {
    return oauthError(401, "invalid_client", "Client authentication failed: unknown client_id or wrong client_secret.");
  }
  const expiring = fields.expiring === "1" || fields.expiring === "true";

  if (fields.grant_type === "refresh_token") {
    const refreshed = store.refreshAccessToken(app.apiKey, fields.refresh_token ?? "");
    return refreshed
      ? { status: 200, body: accessTokenBody(store, refreshed) }
      : oauthError(400, "invalid_grant", "The refresh token is invalid, expired or already used.");
  }
  if (fields.grant_type !== TOKEN_EXCHANGE_GRANT) {
    return oauthError(400, "unsupported_grant_type", "The Shopify stand-in supports token exchange and refresh_token grants.");
  }
  if (fields.requested_token_type !== OFFLINE_TOKEN_TYPE && fields.requested_token_type !== ONLINE_TOKEN_TYPE) {
    return oauthError(400, "invalid_request", "requested_token_type must be an offline or online access token type.");
  }

  if (fields.subject_token_type === OFFLINE_TOKEN_TYPE) {
    // Migration of a non-expiring offline token to an expiring one; the old token stops working.
    const old = store.accessToken(fields.subject_token ?? "");
    if (!old || old.shop !== shop.myshopifyDomain || old.apiKey !== app.apiKey || old.expiresAt !== null || old.userId !== null) {
      return oauthError(400, "invalid_subject_token", "The subject token is not a non-expiring offline access token of this app for this shop.");
    }
    store.revokeAccessToken(old.token);
    return {
      status: 200,
      body: accessTokenBody(store, store.issueAccessToken({ shop: shop.myshopifyDomain, apiKey: app.apiKey, scope: old.scope, expiring: true })),
    };
  }
  if (fields.subject_token_type !== ID_TOKEN_TYPE) return oauthError(400, "invalid_request", "subject_token_type must be an ID token.");

  const verified = verifySessionToken(fields.subject_token ?? "", { apiKey: app.apiKey, apiSecret: app.apiSecret, clock: store.clock });
  if (!verified.ok) return oauthError(400, "invalid_subject_token", `The session token is invalid: ${verified.reason}.`);
  if (verified.claims.dest !== `https://${shop.myshopifyDomain}`) {
    return oauthError(400, "invalid_subject_token", "The session token was issued for a different shop.");
  }
  const online = fields.requested_token_type === ONLINE_TOKEN_TYPE;
  const record = store.issueAccessToken({
    shop: shop.myshopifyDomain,
    apiKey: app.apiKey,
    scope: app.scopes,
    expiring: !online && expiring,
    userId: online ? Number(verified.claims.sub) : null,
  });
  return { status: 200, body: accessTokenBody(store, record) };
}
