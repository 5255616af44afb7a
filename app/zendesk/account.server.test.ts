// Connecting the merchant's Zendesk account against the Zendesk stand-in: OAuth with PKCE from the
// admin page through the consent page to the callback, an API token checked with users/me, and the
// token's life afterwards (refresh on 401, needs_reauth, 429), disconnect and uninstall.
import type { ZendeskAccount } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { callAction } from "../../test/helpers/shopify";
import { extensionRequest, seedOfflineSession, seedStaff, sessionToken } from "../../test/helpers/session-token";
import { TEST_APP_URL } from "../../test/helpers/env";
import { APP_HANDLE } from "../shopify/admin-url";
import { createZendeskStandIn, type ZendeskStandIn } from "../../test/standins/zendesk/server";
import { decryptSecret, encryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { resetEnvForTests } from "../env.server";
import { action, loader } from "../routes/app.zendesk";
import { loader as callback } from "../routes/zendesk.oauth.callback";
import { markUninstalled } from "../shops/install.server";
import { startZendeskOAuth } from "./oauth.server";
import { supportClientFor, ZENDESK_TOKEN_CONTEXT, ZendeskRateLimitedError, ZendeskReauthRequiredError } from "./support-api.server";

const A = "zendesk-account-a.myshopify.com";
const B = "zendesk-account-b.myshopify.com";
const VIEWER = 74_000_077;
const CLIENT = { clientId: "cko-companion", clientSecret: "oauth-client-secret-0123456789" };
const REDIRECT_URI = `${TEST_APP_URL}/zendesk/oauth/callback`;
let zd: ZendeskStandIn;
let shopA: string;
let shopB: string;

const post = (shop: string, fields: Record<string, string>, userId?: number) =>
  callAction(
    action,
    extensionRequest("/app/zendesk", shop, { method: "POST", body: new URLSearchParams(fields), token: sessionToken(shop, userId ? { userId } : {}) }),
  );
const load = async (shop: string, query = "") => (await callAction(loader, extensionRequest(`/app/zendesk${query}`, shop))).json();
const accountOf = (shopId: string) => db().zendeskAccount.findUnique({ where: { shopId } });

/** The admin's "Connect with Zendesk": the consent page's URL, as the page sends the top frame there. */
async function startOAuth(shop: string, subdomain = "acme"): Promise<URL> {
  const response = await post(shop, { intent: "account.oauth", subdomain });
  expect(response.status).toBe(200);
  return new URL((await response.json()).authorizeUrl);
}

/** The merchant's click on Allow or Deny on Zendesk's consent page: where Zendesk sends the browser. */
async function decide(authorizeUrl: URL, decision: "allow" | "deny"): Promise<URL> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Allow access?");
  const answer = await fetch(`${zd.url}/oauth/authorizations`, {
    method: "POST",
    body: new URLSearchParams({ ...Object.fromEntries(authorizeUrl.searchParams), decision }),
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location")!);
}

/** Zendesk's redirect arriving at the app's callback. */
const arrive = (url: URL | string) => callAction(callback, new Request(url.toString()));

beforeAll(async () => {
  zd = await createZendeskStandIn({
    settings: { backend_url: TEST_APP_URL },
    tickets: [],
    appAssetsDir: "/nonexistent",
    oauth: { ...CLIENT, redirectUris: [REDIRECT_URI] },
  });
  Object.assign(process.env, { ZENDESK_API_BASE_URL: zd.url, ZENDESK_OAUTH_CLIENT_ID: CLIENT.clientId, ZENDESK_OAUTH_CLIENT_SECRET: CLIENT.clientSecret });
  resetEnvForTests();
  shopA = (await createShop(A)).id;
  shopB = (await createShop(B)).id;
  for (const shop of [A, B]) {
    await seedOfflineSession(shop);
    await seedStaff(shop, { userId: 74_000_001 });
  }
  await seedStaff(A, { userId: VIEWER, role: "viewer" });
});

afterAll(async () => {
  for (const name of ["ZENDESK_API_BASE_URL", "ZENDESK_OAUTH_CLIENT_ID", "ZENDESK_OAUTH_CLIENT_SECRET"]) delete process.env[name];
  resetEnvForTests();
  await zd?.close();
});

describe("connecting with OAuth (authorization code + PKCE)", () => {
  it("sends the merchant to Zendesk's consent page with a S256 challenge and stores only the sealed verifier", async () => {
    const url = await startOAuth(A, "https://ACME.zendesk.com/agent");
    expect(url.origin + url.pathname).toBe(`${zd.url}/oauth/authorizations/new`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT_URI,
      scope: "read write",
      code_challenge_method: "S256",
    });
    const row = await db().zendeskAuthorization.findUniqueOrThrow({ where: { state: url.searchParams.get("state")! } });
    expect(row).toMatchObject({ shopId: shopA, subdomain: "acme" });
    expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(row.codeVerifierEnc).not.toContain(url.searchParams.get("code_challenge")!);
  });

  it("connects after Allow: tokens sealed, audited, back on the admin page, and never in the loader's JSON", async () => {
    const back = await arrive(await decide(await startOAuth(A), "allow"));
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe(`https://admin.shopify.com/store/zendesk-account-a/apps/${APP_HANDLE}/app/zendesk?zendeskAccount=connected`);
    const account = (await accountOf(shopA))!;
    expect(account).toMatchObject({ subdomain: "acme", authKind: "oauth", status: "connected", scopes: "read write" });
    expect(account.refreshTokenEnc).toBeTruthy();
    expect(account.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    const accessToken = decryptSecret(account.accessTokenEnc, ZENDESK_TOKEN_CONTEXT.access);
    const refreshToken = decryptSecret(account.refreshTokenEnc!, ZENDESK_TOKEN_CONTEXT.refresh);
    expect(account.accessTokenEnc).not.toContain(accessToken);

    const page = await load(A, "?zendeskAccount=connected");
    expect(page.account).toMatchObject({ subdomain: "acme", authKind: "oauth", status: "connected" });
    expect(page.accountOutcome).toBe("connected");
    expect(page.oauthAvailable).toBe(true);
    const json = JSON.stringify(page);
    for (const secret of [accessToken, refreshToken, account.accessTokenEnc]) expect(json).not.toContain(secret);
    expect(await db().auditLog.count({ where: { shopId: shopA, action: "zendesk.account.connect", result: "ok" } })).toBeGreaterThan(0);

    // The client acts as the connected account.
    const client = (await supportClientFor(shopA))!;
    expect((await client.users.me()).result.email).toBe("jane.agent@example.com");
  });

  it("stores nothing when the merchant denies, and says so on the admin page", async () => {
    await db().zendeskAccount.deleteMany({ where: { shopId: shopB } });
    const denied = await decide(await startOAuth(B), "deny");
    expect(denied.searchParams.get("error")).toBe("access_denied");
    const back = await arrive(denied);
    expect(back.headers.get("location")).toMatch(/zendesk-account-b\/.*\?zendeskAccount=denied$/);
    expect(await accountOf(shopB)).toBeNull();
  });

  it("refuses an unknown or replayed state with a page of its own, storing nothing", async () => {
    const allowed = await decide(await startOAuth(B), "allow");
    const forged = new URL(allowed);
    forged.searchParams.set("state", "not-a-state-we-issued");
    const refused = await arrive(forged);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("not valid any more");
    expect(await accountOf(shopB)).toBeNull();

    expect((await arrive(allowed)).headers.get("location")).toMatch(/zendeskAccount=connected$/);
    await db().zendeskAccount.deleteMany({ where: { shopId: shopB } });
    // The same redirect again: the state was used.
    expect((await arrive(allowed)).status).toBe(400);
    expect(await accountOf(shopB)).toBeNull();
  });

  it("refuses an expired state", async () => {
    const started = await startZendeskOAuth(shopB, { subdomain: "acme" }, "owner", new Date(Date.now() - 11 * 60_000));
    if (!started.ok) throw new Error("not started");
    const back = await arrive(await decide(new URL(started.authorizeUrl), "allow"));
    expect(back.headers.get("location")).toMatch(/zendesk-account-b\/.*zendeskAccount=expired$/);
    expect(await accountOf(shopB)).toBeNull();
  });

  it("takes the shop from the stored state: B's code cannot finish A's authorization, and a shop in the query is ignored", async () => {
    const before = await accountOf(shopA);
    const stateOfA = (await startOAuth(A)).searchParams.get("state")!;
    const allowedForB = await decide(await startOAuth(B), "allow");
    const crossed = new URL(allowedForB);
    crossed.searchParams.set("state", stateOfA);
    crossed.searchParams.set("shop", B);
    const back = await arrive(crossed);
    // A's verifier does not match B's challenge: Zendesk refuses the code.
    expect(back.headers.get("location")).toMatch(/zendesk-account-a\/.*zendeskAccount=failed$/);
    expect(await accountOf(shopB)).toBeNull();
    expect((await accountOf(shopA))?.accessTokenEnc).toBe(before?.accessTokenEnc);
  });

  it("offers only the API token when the operator has no OAuth client", async () => {
    delete process.env.ZENDESK_OAUTH_CLIENT_ID;
    resetEnvForTests();
    try {
      expect((await load(B)).oauthAvailable).toBe(false);
      const refused = await post(B, { intent: "account.oauth", subdomain: "acme" });
      expect(refused.status).toBe(409);
      expect((await refused.json()).message).toMatch(/API token/);
    } finally {
      process.env.ZENDESK_OAUTH_CLIENT_ID = CLIENT.clientId;
      resetEnvForTests();
    }
  });
});

describe("connecting with an API token", () => {
  it("checks the token with users/me before storing it, and stores nothing when Zendesk refuses it", async () => {
    zd.addApiToken("agent@acme.example", "good-api-token");
    const wrong = await post(B, { intent: "account.apiToken", subdomain: "acme", email: "agent@acme.example", apiToken: "wrong-token" });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).message).toMatch(/did not accept this email and API token/);
    expect(await accountOf(shopB)).toBeNull();

    const invalid = await post(B, { intent: "account.apiToken", subdomain: "acme", email: "not-an-email", apiToken: "" });
    expect(invalid.status).toBe(400);
    expect(Object.keys((await invalid.json()).fieldErrors).sort()).toEqual(["apiToken", "email"]);

    const ok = await post(B, { intent: "account.apiToken", subdomain: "acme", email: "agent@acme.example", apiToken: "good-api-token" });
    expect(ok.status).toBe(200);
    expect(await accountOf(shopB)).toMatchObject({ authKind: "api_token", email: "agent@acme.example", status: "connected", refreshTokenEnc: null });
    expect(JSON.stringify(await load(B))).not.toContain("good-api-token");
    expect((await (await supportClientFor(shopB))!.users.me()).result.email).toBe("agent@acme.example");
  });

  it("is an admin's: a viewer may not connect or disconnect", async () => {
    const refused = await post(A, { intent: "account.disconnect" }, VIEWER);
    expect(refused.status).toBe(403);
    expect(await accountOf(shopA)).not.toBeNull();
  });
});

describe("the token's life", () => {
  /** Shop A's OAuth account with its access token replaced: Zendesk answers 401 to it. */
  async function withRefusedAccessToken(): Promise<ZendeskAccount> {
    return db().zendeskAccount.update({
      where: { shopId: shopA },
      data: { accessTokenEnc: encryptSecret("expired-or-revoked", ZENDESK_TOKEN_CONTEXT.access) },
    });
  }

  it("refreshes once on 401 and retries: the call works and the rotated tokens are stored", async () => {
    const before = await withRefusedAccessToken();
    const { result: me } = await (await supportClientFor(shopA))!.users.me();
    expect(me.id).toBe(9001);
    const after = (await accountOf(shopA))!;
    expect(after.status).toBe("connected");
    expect(after.accessTokenEnc).not.toBe(before.accessTokenEnc);
    expect(after.refreshTokenEnc).not.toBe(before.refreshTokenEnc);
  });

  it("marks the account needs_reauth when the refresh is refused too, and the page asks to reconnect", async () => {
    const client = (await supportClientFor(shopA))!;
    zd.revokeAllTokens();
    await expect(client.users.me()).rejects.toBeInstanceOf(ZendeskReauthRequiredError);
    expect(await accountOf(shopA)).toMatchObject({ status: "needs_reauth", statusDetail: expect.stringMatching(/could not be refreshed/) });
    expect(await supportClientFor(shopA)).toBeNull();
    expect((await load(A)).account.status).toBe("needs_reauth");
    expect(await db().auditLog.count({ where: { shopId: shopA, action: "zendesk.account.needs_reauth" } })).toBe(1);
  });

  it("waits out a short 429 and retries; a long one is a typed error saying when", async () => {
    const client = (await supportClientFor(shopB))!;
    zd.throttleNext(1, 1);
    const started = Date.now();
    expect((await client.users.me()).result.email).toBe("agent@acme.example");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    zd.throttleNext(1, 120);
    const error = await client.users.me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZendeskRateLimitedError);
    expect((error as ZendeskRateLimitedError).retryAt.getTime() - Date.now()).toBeGreaterThan(110_000);
  });
});

describe("disconnecting", () => {
  it("revokes the OAuth token at Zendesk, deletes the account and audits it", async () => {
    await arrive(await decide(await startOAuth(A), "allow"));
    const account = (await accountOf(shopA))!;
    const token = decryptSecret(account.accessTokenEnc, ZENDESK_TOKEN_CONTEXT.access);
    const me = () => fetch(`${zd.url}/api/v2/users/me.json`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await me()).status).toBe(200);

    const response = await post(A, { intent: "account.disconnect" });
    expect(response.status).toBe(200);
    expect(await accountOf(shopA)).toBeNull();
    expect((await me()).status).toBe(401);
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA, action: "zendesk.account.disconnect" }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(entry.details)).toMatchObject({ subdomain: "acme", tokenRevoked: true });
    expect((await post(A, { intent: "account.disconnect" })).status).toBe(404);
  });

  it("happens on app/uninstalled too", async () => {
    await arrive(await decide(await startOAuth(A), "allow"));
    expect(await accountOf(shopA)).not.toBeNull();
    expect(await accountOf(shopB)).not.toBeNull();
    await markUninstalled(A);
    expect(await accountOf(shopA)).toBeNull();
    // Only that shop's.
    expect(await accountOf(shopB)).not.toBeNull();
  });
});
