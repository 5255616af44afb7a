// Over HTTP, through msw: session tokens as Shopify mints them, the token endpoint (token exchange,
// refresh, refusals), access-token checks on the Admin API, and the app's own Shopify libraries
// (authenticate.admin, unauthenticated.admin) working against the stand-in unchanged.
import "@shopify/shopify-api/adapters/node";
import { RequestedTokenType } from "@shopify/shopify-api";
import type { SetupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authenticate, shopify, unauthenticated } from "../../../app/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../../helpers/env";
import { shopifyLibraryLikeTheApp } from "../../helpers/shopify-library";
import { createShopifyStandIn, offlineSession, type ShopifyStandIn } from "./index";
import { ID_TOKEN_TYPE, OFFLINE_TOKEN_TYPE, ONLINE_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from "./oauth";
import { mintSessionToken, verifySessionToken } from "./session-token";

const SHOP = "north-loop.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const GRAPHQL = `https://${SHOP}/admin/api/2026-07/graphql.json`;

// @shopify/shopify-api configured like the app, for its token verification and exchange.
const api = shopifyLibraryLikeTheApp();

let offset = 0;
let standIn: ShopifyStandIn;
let server: SetupServer;

beforeAll(() => {
  standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, clock: () => Date.now() + offset });
  standIn.store.createShop({ domain: SHOP });
  standIn.store.createShop({ domain: OTHER });
  server = standIn.listen();
});
afterAll(() => server.close());
beforeEach(() => {
  offset = 0;
});

function exchange(fields: Record<string, string>, shop = SHOP) {
  return fetch(`https://${shop}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      client_id: TEST_API_KEY,
      client_secret: TEST_API_SECRET,
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token_type: ID_TOKEN_TYPE,
      requested_token_type: OFFLINE_TOKEN_TYPE,
      ...fields,
    }),
  });
}

const graphql = (token: string | null, url = GRAPHQL) =>
  fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { "X-Shopify-Access-Token": token } : {}) },
    body: JSON.stringify({ query: "{ shop { name } }" }),
  });

describe("session tokens", () => {
  it("carry Shopify's claims, signed HS256 with the app secret", () => {
    const token = standIn.mintSessionToken(SHOP, { userId: 42 });
    const [header, payload] = token
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload).toMatchObject({
      iss: `https://${SHOP}/admin`,
      dest: `https://${SHOP}`,
      aud: TEST_API_KEY,
      sub: "42",
      jti: expect.any(String),
      sid: expect.any(String),
      sig: expect.any(String),
    });
    expect(payload.exp - payload.iat).toBe(60);
    expect(payload.nbf).toBe(payload.iat);
    expect(verifySessionToken(token, { apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET })).toMatchObject({ ok: true });
    expect(verifySessionToken(token, { apiKey: TEST_API_KEY, apiSecret: "another-secret" })).toEqual({ ok: false, reason: "signature does not match" });
    expect(verifySessionToken(token, { apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, clock: () => Date.now() + 71_000 })).toEqual({
      ok: false,
      reason: "token expired",
    });
  });

  it("are accepted by @shopify/shopify-api's own verification", async () => {
    const payload = await api.session.decodeSessionToken(standIn.mintSessionToken(SHOP));
    expect(payload.dest).toBe(`https://${SHOP}`);
  });
});

describe("token endpoint", () => {
  it("exchanges a session token for an expiring offline token that @shopify/shopify-api accepts", async () => {
    const { session } = await api.auth.tokenExchange({
      shop: SHOP,
      sessionToken: standIn.mintSessionToken(SHOP),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(session).toMatchObject({
      id: `offline_${SHOP}`,
      shop: SHOP,
      isOnline: false,
      accessToken: expect.stringMatching(/^shpat_/),
      refreshToken: expect.stringMatching(/^shprt_/),
    });
    expect(session.expires!.getTime() - Date.now()).toBeGreaterThan(3_500_000);
    expect(standIn.store.accessToken(session.accessToken!)).toMatchObject({ shop: SHOP, apiKey: TEST_API_KEY });
  });

  it("exchanges for an online token carrying the staff user", async () => {
    const response = await exchange({ subject_token: standIn.mintSessionToken(SHOP, { userId: 74_000_001 }), requested_token_type: ONLINE_TOKEN_TYPE });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      access_token: expect.stringMatching(/^shpua_/),
      expires_in: 86399,
      associated_user: { id: 74_000_001, account_owner: true, email: expect.any(String) },
    });
  });

  it("refuses bad session tokens with invalid_subject_token, and bad credentials with invalid_client", async () => {
    const forged = mintSessionToken({ apiKey: TEST_API_KEY, apiSecret: "not-the-secret", shop: SHOP });
    const otherApp = mintSessionToken({ apiKey: "other-app", apiSecret: TEST_API_SECRET, shop: SHOP });
    const otherShop = standIn.mintSessionToken(OTHER);
    const expired = standIn.mintSessionToken(SHOP, { claims: { exp: Math.floor(Date.now() / 1000) - 60 } });
    for (const subject_token of [forged, otherApp, otherShop, expired, "not-a-jwt"]) {
      const response = await exchange({ subject_token });
      expect(response.status).toBe(400);
      expect((await response.json()).error).toBe("invalid_subject_token");
    }
    const wrongSecret = await exchange({ subject_token: standIn.mintSessionToken(SHOP), client_secret: "guess" });
    expect(wrongSecret.status).toBe(401);
    expect((await wrongSecret.json()).error).toBe("invalid_client");
  });

  it("rotates an expiring token with its refresh token", async () => {
    const issued = standIn.issueAccessToken(SHOP, { expiring: true });
    const response = await exchange({ grant_type: "refresh_token", refresh_token: issued.refreshToken! });
    const body = await response.json();
    expect(body).toMatchObject({
      access_token: expect.stringMatching(/^shpat_/),
      expires_in: 3600,
      refresh_token: expect.any(String),
      refresh_token_expires_in: 7776000,
    });
    expect((await graphql(issued.token)).status).toBe(401);
    expect((await graphql(body.access_token)).status).toBe(200);
    expect((await exchange({ grant_type: "refresh_token", refresh_token: issued.refreshToken! })).status).toBe(400);
  });
});

describe("Admin API access", () => {
  it("answers 401 without a token, with an unknown one, with another shop's, and after expiry", async () => {
    const body = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };
    expect((await graphql(null)).status).toBe(401);
    const wrong = await graphql("shpat_0000");
    expect([wrong.status, await wrong.json()]).toEqual([401, body]);
    expect((await graphql(standIn.issueAccessToken(OTHER).token)).status).toBe(401);
    const expiring = standIn.issueAccessToken(SHOP, { expiring: true }).token;
    expect((await graphql(expiring)).status).toBe(200);
    offset = 3_600_000;
    expect((await graphql(expiring)).status).toBe(401);
  });

  it("serves only the schema's API version and unknown shops get 404", async () => {
    const token = standIn.issueAccessToken(SHOP).token;
    expect((await graphql(token, `https://${SHOP}/admin/api/2024-01/graphql.json`)).status).toBe(404);
    expect((await graphql(token, "https://nowhere.myshopify.com/admin/api/2026-07/graphql.json")).status).toBe(404);
    expect((await fetch(`https://${SHOP}/admin/api/2026-07/orders.json`, { headers: { "X-Shopify-Access-Token": token } })).status).toBe(404);
  });
});

describe("the app's Shopify libraries against the stand-in", () => {
  it("authenticate.admin exchanges the session token on first load and stores the sessions", async () => {
    const host = Buffer.from("admin.shopify.com/store/north-loop").toString("base64");
    const url = `${TEST_APP_URL}/app?embedded=1&shop=${SHOP}&host=${host}&id_token=${standIn.mintSessionToken(SHOP, { userId: 42 })}`;
    const { session } = await authenticate.admin(new Request(url));
    // The app uses online tokens (one per staff member); background work keeps the shop's offline token.
    expect(session.isOnline).toBe(true);
    expect(standIn.store.accessToken(session.accessToken!)).toMatchObject({ shop: SHOP, userId: 42, expiresAt: expect.any(Number) });
    const offline = await shopify().sessionStorage.loadSession(`offline_${SHOP}`);
    expect(standIn.store.accessToken(offline!.accessToken!)).toMatchObject({ shop: SHOP, userId: null, expiresAt: expect.any(Number) });
  });

  it("unauthenticated.admin queries the stand-in with a seeded offline session", async () => {
    await shopify().sessionStorage.storeSession(offlineSession(standIn.issueAccessToken(OTHER, { expiring: true })));
    const { admin } = await unauthenticated.admin(OTHER);
    const response = await admin.graphql("#graphql\n query { shop { myshopifyDomain } }");
    expect((await response.json()).data).toEqual({ shop: { myshopifyDomain: OTHER } });
  });
});
