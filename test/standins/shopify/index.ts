// The Shopify stand-in: an in-memory shop world answering the Admin GraphQL API and the OAuth token
// endpoint through msw, plus Shopify-identical session tokens. See README.md in this folder.
import { Session } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { FetchInterceptor } from "@mswjs/interceptors/fetch";
import { SetupServerApi } from "msw/node";
import { AdminApi, type FaultConfig, type Fault, type GraphqlRequest } from "./admin-api";
import type { BucketConfig } from "./cost";
import { shopifyHandlers } from "./handlers";
import { createIdempotencyKeys } from "./idempotency";
import { createPaymentsApp, type PaymentsAppConnection, type PaymentsAppOptions } from "./payments-app";
import { mintSessionToken, type SessionTokenClaims } from "./session-token";
import { ShopifyStore, type AccessTokenRecord, type Clock } from "./store";

const DEFAULT_SCOPES = "read_orders,write_orders,read_customers,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders";

export interface ShopifyStandInOptions {
  apiKey: string;
  apiSecret: string;
  /** Scopes granted on token exchange (comma-separated). */
  scopes?: string;
  appTitle?: string;
  appHandle?: string;
  /** Epoch milliseconds; inject to control token expiry and bucket refills in tests. */
  clock?: Clock;
  /** Leaky bucket per app and shop; Shopify's standard plan: 2000 points, 100 per second. */
  bucket?: Partial<BucketConfig>;
  /** Random source for fault injection. */
  random?: () => number;
  /** The app's Flow trigger handles; unknown handles are refused when given. */
  flowTriggerHandles?: string[];
  /** Shopify's Checkout.com payments app: retries and timeout of its calls to Checkout.com. */
  paymentsApp?: PaymentsAppOptions;
  /** How long an @idempotent mutation (refundCreate) is "being processed", so a concurrent repeat meets it. Default 0. */
  actionLatencyMs?: number;
  /** How long Shopify takes to answer each call (Admin API, token endpoint), in ms: about 50 for real. Default 0. */
  latencyMs?: number;
}

export type ShopifyStandIn = ReturnType<typeof createShopifyStandIn>;

/**
 * The offline Session the app would have stored after token exchange, for seeding its session
 * storage (e.g. `shopify().sessionStorage.storeSession(...)`) so background work can call Shopify.
 */
export function offlineSession(token: AccessTokenRecord): Session {
  return new Session({
    id: `offline_${token.shop}`,
    shop: token.shop,
    state: "",
    isOnline: false,
    accessToken: token.token,
    scope: token.scope,
    ...(token.expiresAt !== null && { expires: new Date(token.expiresAt) }),
    ...(token.refreshToken && { refreshToken: token.refreshToken, refreshTokenExpires: new Date(token.refreshTokenExpiresAt!) }),
  });
}

export function createShopifyStandIn(options: ShopifyStandInOptions) {
  const clock = options.clock ?? Date.now;
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const store = new ShopifyStore(clock);
  const app = store.registerApp({ apiKey: options.apiKey, title: options.appTitle ?? "Checkout.com companion", handle: options.appHandle });
  const paymentsApp = createPaymentsApp(store, options.paymentsApp);
  const adminApi = new AdminApi(
    store,
    { maximumAvailable: 2000, restoreRate: 100, ...options.bucket },
    { flowTriggerHandles: options.flowTriggerHandles },
    options.random,
    { paymentsApp, idempotency: createIdempotencyKeys(clock), actionLatencyMs: options.actionLatencyMs ?? 0 },
  );
  const credentials = { apiKey: options.apiKey, apiSecret: options.apiSecret, scopes };
  let latencyMs = options.latencyMs ?? 0;

  return {
    store,
    app,
    /**
     * Shopify's Checkout.com payments app: `calls` (every request it made to Checkout.com), `idle()`
     * (resolves when none is in flight), `connect`/`disconnect`/`connection` per shop.
     */
    paymentsApp,
    /** Points the shop's Checkout.com payments app at a Checkout.com API (the stand-in's `url`) with the merchant's secret key. */
    connectPaymentsApp(shop: string, connection: PaymentsAppConnection) {
      paymentsApp.connect(shop, connection);
    },
    /** msw request handlers; combine with other handlers or use listen(). */
    handlers: shopifyHandlers(store, adminApi, credentials, () => latencyMs),

    /**
     * Starts intercepting fetch (only fetch: Shopify's libraries use nothing else, and node:http
     * traffic such as the Checkout.com SDK's uploads to its loopback stand-in stays untouched).
     * Anything not for Shopify passes through.
     */
    listen() {
      const server = new SetupServerApi(this.handlers, [new FetchInterceptor()]);
      server.listen({ onUnhandledRequest: "bypass" });
      // @shopify/shopify-api keeps the fetch it saw when its node adapter loaded, which may predate
      // msw's patch (test files import the app first); point it at the intercepted fetch.
      setAbstractFetchFunc(globalThis.fetch);
      return server;
    },

    /** A session token as App Bridge would hand the app for a staff user of `shop`. */
    mintSessionToken(shop: string, extra: { userId?: number; lifetime?: number; claims?: Partial<SessionTokenClaims> } = {}) {
      return mintSessionToken({ apiKey: options.apiKey, apiSecret: options.apiSecret, shop, clock, ...extra });
    },

    /** An access token for this app, as if token exchange had happened (seed app sessions with it). */
    issueAccessToken(shop: string, extra: { expiring?: boolean; userId?: number } = {}) {
      return store.issueAccessToken({ shop, apiKey: options.apiKey, scope: scopes, ...extra });
    },

    /** Runs a GraphQL request as this app on `shop`, without HTTP. */
    graphql(shop: string, request: GraphqlRequest) {
      const record = store.shop(shop);
      if (!record) throw new Error(`Unknown shop ${shop}`);
      return adminApi.execute(record, app, request);
    },

    /** Rate limit, latency and fault controls. */
    limits: {
      /** Every call answers after `ms` from now on. */
      setLatency: (ms: number) => {
        latencyMs = ms;
      },
      bucket: (shop: string) => adminApi.bucket(shop, options.apiKey),
      configure: (config: Partial<BucketConfig>) => adminApi.configureBuckets(config),
      setFaults: (config: FaultConfig) => adminApi.setFaults(config),
      failNext: (count: number, fault: Fault) => adminApi.failNext(count, fault),
      clearFaults: () => adminApi.clearFaults(),
    },
  };
}
