// msw handlers for Shopify's hosts: the Admin GraphQL endpoint (access token checked against the
// tokens the store issued), the OAuth token endpoint, and a 404 for anything else on a
// *.myshopify.com host so a call the stand-in does not implement fails loudly, not over the network.
import crypto from "node:crypto";
import { http, HttpResponse } from "msw";
import type { AdminApi } from "./admin-api";
import { handleTokenRequest, tokenRequestFields, type AppCredentials } from "./oauth";
import { ADMIN_API_VERSION } from "./schema";
import type { AppRecord, ShopifyStore } from "./store";

const GRAPHQL_URL = /^https:\/\/([^/]+)\/admin\/api\/([^/]+)\/graphql\.json$/;
const TOKEN_URL = /^https:\/\/([^/]+)\/admin\/oauth\/access_token$/;
const SHOPIFY_HOST = /^https:\/\/[^/]+\.myshopify\.com\//;

const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";

function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return HttpResponse.json(body as Record<string, unknown>, { status, headers: { "X-Request-Id": crypto.randomUUID(), ...headers } });
}

/**
 * `latencyMs()`: how long Shopify takes to answer each call, waited before the call acts (so what it
 * changes, e.g. a hold, appears about when the answer leaves). 0 answers at once.
 */
export function shopifyHandlers(store: ShopifyStore, adminApi: AdminApi, credentials: AppCredentials, latencyMs: () => number = () => 0) {
  const app = (): AppRecord => store.appByApiKey(credentials.apiKey)!;
  const respondLater = async () => {
    const ms = latencyMs();
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  };
  return [
    http.post(GRAPHQL_URL, async ({ request }) => {
      await respondLater();
      const [, host, version] = GRAPHQL_URL.exec(request.url.split("?")[0])!;
      const shop = store.shop(host);
      if (!shop) return json({ errors: "Not Found" }, 404);
      if (version !== ADMIN_API_VERSION) return json({ errors: `Not Found: the Shopify stand-in serves only API version ${ADMIN_API_VERSION}` }, 404);
      const token = store.accessToken(request.headers.get("X-Shopify-Access-Token") ?? "");
      if (!token || token.shop !== shop.myshopifyDomain || token.apiKey !== credentials.apiKey) return json({ errors: INVALID_TOKEN }, 401);
      const text = await request.text();
      let body: unknown;
      if (request.headers.get("Content-Type")?.includes("application/graphql")) body = { query: text };
      else {
        try {
          body = JSON.parse(text);
        } catch {
          return json({ errors: { query: "Required parameter missing or invalid" } }, 400);
        }
      }
      const result = await adminApi.execute(shop, app(), (body ?? {}) as object);
      return json(result.body, result.status, { "X-Shopify-API-Version": ADMIN_API_VERSION });
    }),
    http.post(TOKEN_URL, async ({ request }) => {
      await respondLater();
      const [, host] = TOKEN_URL.exec(request.url.split("?")[0])!;
      const fields = tokenRequestFields(request.headers.get("Content-Type"), await request.text());
      const result = handleTokenRequest(store, credentials, host, fields);
      return json(result.body, result.status);
    }),
    http.all(SHOPIFY_HOST, ({ request }) =>
      json({ errors: `Not Found: ${request.method} ${new URL(request.url).pathname} is not implemented by the Shopify stand-in` }, 404),
    ),
  ];
}
