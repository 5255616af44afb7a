// The Zendesk stand-in's OAuth and API authentication behave like Zendesk's: PKCE S256 and the client
// secret checked, codes used once, refresh tokens rotated, revocation, 401 bodies, and 429 on demand.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createZendeskStandIn, type ZendeskStandIn } from "./server";

const CLIENT = { clientId: "companion", clientSecret: "client-secret", redirectUris: ["https://app.example.com/zendesk/oauth/callback"] };
const VERIFIER = "v".repeat(43) + "erifier-of-the-test";
let zd: ZendeskStandIn;

beforeAll(async () => {
  // No built sidebar: the Support API and OAuth work without it.
  zd = await createZendeskStandIn({ settings: { backend_url: "https://app.example.com" }, tickets: [], appAssetsDir: "/nonexistent", oauth: CLIENT });
});
afterAll(() => zd?.close());

const authorizeParams = (overrides: Record<string, string> = {}) => ({
  response_type: "code",
  client_id: CLIENT.clientId,
  redirect_uri: CLIENT.redirectUris[0],
  scope: "read write",
  state: "st4te",
  code_challenge: createHash("sha256").update(VERIFIER).digest("base64url"),
  code_challenge_method: "S256",
  ...overrides,
});

async function codeFor(decision: "allow" | "deny" = "allow"): Promise<URL> {
  const answer = await fetch(`${zd.url}/oauth/authorizations`, {
    method: "POST",
    body: new URLSearchParams({ ...authorizeParams(), decision }),
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location")!);
}

const tokens = (body: Record<string, string>) =>
  fetch(`${zd.url}/oauth/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, ...body }),
  });
const me = (authorization: string) => fetch(`${zd.url}/api/v2/users/me.json`, { headers: { Authorization: authorization } });

describe("the Zendesk stand-in's OAuth", () => {
  it("shows a consent page only for the registered client and redirect URL", async () => {
    const page = (params: Record<string, string>) => fetch(`${zd.url}/oauth/authorizations/new?${new URLSearchParams(authorizeParams(params))}`);
    expect(await (await page({})).text()).toContain("Allow access?");
    expect((await page({ client_id: "someone-else" })).status).toBe(400);
    expect((await page({ redirect_uri: "https://evil.example.net/cb" })).status).toBe(400);
    expect((await page({ code_challenge_method: "plain" })).status).toBe(400);
  });

  it("redirects with error=access_denied on Deny", async () => {
    const denied = await codeFor("deny");
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("state")).toBe("st4te");
    expect(denied.searchParams.has("code")).toBe(false);
  });

  it("exchanges a code once, only with the right verifier and client secret", async () => {
    const exchange = (code: string, overrides: Record<string, string> = {}) =>
      tokens({ grant_type: "authorization_code", code, redirect_uri: CLIENT.redirectUris[0], code_verifier: VERIFIER, ...overrides });
    const wrongVerifier = await exchange((await codeFor()).searchParams.get("code")!, { code_verifier: "w".repeat(43) });
    expect(wrongVerifier.status).toBe(400);
    expect((await wrongVerifier.json()).error).toBe("invalid_grant");
    expect((await exchange((await codeFor()).searchParams.get("code")!, { client_secret: "guess" })).status).toBe(401);

    const code = (await codeFor()).searchParams.get("code")!;
    const ok = await exchange(code);
    expect(ok.status).toBe(200);
    const set = await ok.json();
    expect(set).toMatchObject({ token_type: "bearer", scope: "read write", expires_in: 7200 });
    expect((await me(`Bearer ${set.access_token}`)).status).toBe(200);
    expect((await exchange(code)).status).toBe(400);
  });

  it("rotates refresh tokens, revokes, and answers 401 invalid_token like Zendesk", async () => {
    const code = (await codeFor()).searchParams.get("code")!;
    const first = await (await tokens({ grant_type: "authorization_code", code, redirect_uri: CLIENT.redirectUris[0], code_verifier: VERIFIER })).json();
    const second = await (await tokens({ grant_type: "refresh_token", refresh_token: first.refresh_token })).json();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await tokens({ grant_type: "refresh_token", refresh_token: first.refresh_token })).status).toBe(400);
    const refused = await me(`Bearer ${first.access_token}`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "invalid_token" });

    const revoke = await fetch(`${zd.url}/api/v2/oauth/tokens/current.json`, { method: "DELETE", headers: { Authorization: `Bearer ${second.access_token}` } });
    expect(revoke.status).toBe(204);
    expect((await me(`Bearer ${second.access_token}`)).status).toBe(401);
  });

  it("takes known API tokens, refuses calls without credentials, and throttles on demand", async () => {
    zd.addApiToken("agent@example.com", "tok3n");
    const basic = (token: string) => `Basic ${Buffer.from(`agent@example.com/token:${token}`).toString("base64")}`;
    expect((await (await me(basic("tok3n"))).json()).user.email).toBe("agent@example.com");
    expect((await me(basic("nope"))).status).toBe(401);
    expect((await fetch(`${zd.url}/api/v2/tickets/1.json`)).status).toBe(401);

    const bearer = `Bearer ${zd.issueAccessToken()}`;
    zd.throttleNext(2, 30);
    for (let i = 0; i < 2; i++) {
      const limited = await me(bearer);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("30");
    }
    expect((await me(bearer)).status).toBe(200);
    zd.revokeAllTokens();
    expect((await me(bearer)).status).toBe(401);
  });

  it("answers the workspace page without a built sidebar with a clear 503", async () => {
    const page = await fetch(zd.ticketUrl(1));
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("npm run zendesk:build");
  });
});
