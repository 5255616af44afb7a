import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestFor } from "../../../zendesk-app/scripts/manifest";
import { paymentTimeline } from "../../../zendesk-app/src/testing/fake-backend";
import { startContractBackend, type ContractBackend } from "./fake-backend-server";
import { prepareRequest, ProxyRefusal, type ProxyConfig } from "./proxy";
import { createZendeskStandIn, type ZendeskStandIn } from "./server";

const SECRET = "s3cret-shared-between-zendesk-and-the-app";
const NOW = new Date("2026-11-20T10:00:00Z");
const clock = () => NOW;

function proxyConfig(backendUrl = "https://companion.example.com"): ProxyConfig {
  const manifest = manifestFor(backendUrl);
  return {
    settings: { backend_url: backendUrl, shared_secret: SECRET, connection_id: "conn_1", payment_field_id: 360001 },
    parameters: manifest.parameters,
    domainWhitelist: manifest.domainWhitelist,
    clock,
  };
}

const signedRequest = {
  url: "{{setting.backend_url}}/api/zendesk/lookup",
  type: "POST" as const,
  contentType: "application/json",
  data: JSON.stringify({ ticketId: 7, connection: "{{setting.connection_id}}" }),
  headers: { Authorization: "Bearer {{jwt.token}}" },
  secure: true,
  jwt: { algorithm: "HS256", secret_key: "{{setting.shared_secret}}", expiry: 300, claims: { ticket_id: 7, connection_id: "{{setting.connection_id}}" } },
};

describe("the request proxy", () => {
  it("fills settings into url, body and claims, and signs an HS256 token with the secure secret", async () => {
    const sent = prepareRequest(signedRequest, proxyConfig());
    expect(sent.url).toBe("https://companion.example.com/api/zendesk/lookup");
    expect(sent.method).toBe("POST");
    expect(JSON.parse(sent.body!)).toEqual({ ticketId: 7, connection: "conn_1" });
    expect(sent.headers["Content-Type"]).toBe("application/json");
    const token = /^Bearer (.+)$/.exec(sent.headers.Authorization)![1];
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), { currentDate: NOW });
    expect(protectedHeader.alg).toBe("HS256");
    const iat = NOW.getTime() / 1000;
    expect(payload).toEqual({ ticket_id: 7, connection_id: "conn_1", iat, exp: iat + 300 });
    await expect(jwtVerify(token, new TextEncoder().encode("another-secret"), { currentDate: NOW })).rejects.toThrow();
  });

  it("refuses a secure setting outside its scopes, even in claims", () => {
    const inHeader = { ...signedRequest, headers: { Authorization: "Bearer {{setting.shared_secret}}" } };
    expect(() => prepareRequest(inHeader, proxyConfig())).toThrow(new ProxyRefusal('The secure setting "shared_secret" may not be used in the request header'));
    const inBody = { ...signedRequest, data: '{"s":"{{setting.shared_secret}}"}' };
    expect(() => prepareRequest(inBody, proxyConfig())).toThrow(/may not be used in the request body/);
    const inClaims = { ...signedRequest, jwt: { ...signedRequest.jwt, claims: { leak: "{{setting.shared_secret}}" } } };
    expect(() => prepareRequest(inClaims, proxyConfig())).toThrow(/may not be used in JWT claims/);
  });

  it("refuses secure requests to hosts outside domainWhitelist", () => {
    const elsewhere = { ...signedRequest, url: "https://evil.example.net/collect" };
    expect(() => prepareRequest(elsewhere, proxyConfig())).toThrow(/evil\.example\.net is not in the app's domainWhitelist/);
  });

  it("fills nothing in a request that is not secure", () => {
    const sent = prepareRequest({ ...signedRequest, url: "https://companion.example.com/x", secure: false }, proxyConfig());
    const token = /^Bearer (.+)$/.exec(sent.headers.Authorization)![1];
    expect(sent.body).toContain("{{setting.connection_id}}");
    expect(decodeJwt(token).connection_id).toBe("{{setting.connection_id}}");
  });
});

describe("the agent workspace", () => {
  let assets: string;
  let backend: ContractBackend;
  let zd: ZendeskStandIn;

  beforeAll(async () => {
    // A minimal built app: these tests are about the workspace, not the sidebar's code.
    assets = mkdtempSync(join(tmpdir(), "zd-assets-"));
    writeFileSync(join(assets, "iframe.html"), "<!doctype html><title>app</title>");
    backend = await startContractBackend({ secret: SECRET, timelines: [paymentTimeline()] });
    zd = await createZendeskStandIn({
      appAssetsDir: assets,
      clock: () => new Date(),
      settings: { backend_url: backend.url, shared_secret: SECRET, connection_id: "conn_1", payment_field_id: 360001 },
      tickets: [
        {
          id: 7,
          subject: "Charged twice?",
          requester: { id: 501, name: "Ada Lovelace", email: "ada@example.com" },
          customFields: { 360001: "pay_captured1" },
          comments: [{ from: "requester", body: "I was charged twice for order #1001.", public: true }],
        },
      ],
    });
  });

  afterAll(async () => {
    await zd?.close();
    await backend?.close();
    rmSync(assets, { recursive: true, force: true });
  });

  const postJson = async (path: string, body: unknown) =>
    (await fetch(zd.url + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json();

  it("frames the app from another origin with origin and app_guid in its URL", async () => {
    const page = await (await fetch(zd.ticketUrl(7))).text();
    const boot = JSON.parse(/<script type="application\/json" id="zaf-bootstrap">(.*?)<\/script>/s.exec(page)![1]);
    const appUrl = new URL(boot.app.url);
    expect(appUrl.origin).toBe(zd.appOrigin);
    expect(appUrl.origin).not.toBe(zd.url);
    expect(appUrl.pathname).toBe("/assets/iframe.html");
    expect(appUrl.searchParams.get("origin")).toBe(zd.url);
    expect(appUrl.searchParams.get("app_guid")).toBeTruthy();
    expect((await fetch(boot.app.url)).status).toBe(200);
    expect((await fetch(`${zd.appOrigin}/assets/..%2Fpackage.json`)).status).toBe(404);
    expect(boot.app.metadata.settings).toEqual({ backend_url: backend.url, connection_id: "conn_1", payment_field_id: 360001 });
    expect(page).toContain("Charged twice?");
  });

  it("answers client.get with the ticket, the agent and custom fields, and an error for unknown paths", async () => {
    const { result } = await postJson("/zaf/get", {
      ticketId: 7,
      paths: ["ticket.id", "ticket.requester.email", "ticket.customField:custom_field_360001", "currentUser.name", "currentAccount.subdomain", "ticket.nope"],
    });
    expect(result).toMatchObject({
      "ticket.id": 7,
      "ticket.requester.email": "ada@example.com",
      "ticket.customField:custom_field_360001": "pay_captured1",
      "currentUser.name": "Jane Agent",
      "currentAccount.subdomain": "acme",
    });
    expect(result.errors["ticket.nope"].message).toContain("ticket.nope");
  });

  it("proxies client.request to the backend with a token the backend verifies", async () => {
    const answer = await postJson("/zaf/request", {
      ticketId: 7,
      options: { ...signedRequest, url: `${backend.url}/api/zendesk/lookup`, data: JSON.stringify({ ticketId: 7, paymentId: "pay_captured1" }) },
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.responseText).payments[0].paymentId).toBe("pay_captured1");
    expect(backend.claims.at(-1)).toMatchObject({ ticket_id: 7, connection_id: "conn_1" });
    expect(zd.proxied.at(-1)).toMatchObject({ method: "POST", status: 200 });
  });

  it("never sends a secure setting to the browser", async () => {
    const seen = [
      await (await fetch(zd.ticketUrl(7))).text(),
      await (await fetch(`${zd.url}/workspace.js`)).text(),
      JSON.stringify(await postJson("/zaf/get", { ticketId: 7, paths: ["ticket.id", "currentUser", "currentAccount", "ticket.requester"] })),
      JSON.stringify(
        await postJson("/zaf/request", {
          ticketId: 7,
          options: { ...signedRequest, url: `${backend.url}/api/zendesk/payments/pay_captured1`, type: "GET", data: undefined },
        }),
      ),
      JSON.stringify(await postJson("/zaf/request", { ticketId: 7, options: { ...signedRequest, headers: { Authorization: "{{setting.shared_secret}}" } } })),
    ];
    expect(seen.join("\n")).toContain("conn_1");
    for (const text of seen) expect(text).not.toContain(SECRET);
  });

  it("signs the agent in on the workspace page: its own /api/v2 calls go with the session cookie", async () => {
    const cookie = (await fetch(zd.ticketUrl(7))).headers.get("set-cookie")!.split(";")[0];
    expect((await fetch(`${zd.url}/api/v2/tickets/7/comments.json`, { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await fetch(`${zd.url}/api/v2/tickets/7/comments.json`, { headers: { Cookie: "_zendesk_session=forged" } })).status).toBe(401);
  });

  it("records internal notes through the tickets API and tells the page", async () => {
    const events: string[] = [];
    const stream = await new Promise<http.IncomingMessage>((resolve) => http.get(`${zd.url}/zaf/events?ticket=7`, resolve));
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => events.push(chunk));

    const authorization = `Bearer ${zd.issueAccessToken()}`;
    const put = await fetch(`${zd.url}/api/v2/tickets/7.json`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", Authorization: authorization },
      body: JSON.stringify({ ticket: { comment: { body: "Refunded EUR 12.34.", public: false } } }),
    });
    expect(put.status).toBe(200);
    expect((await put.json()).audit.events[0]).toMatchObject({ type: "Comment", public: false, author_id: 9001 });
    const { comments, users } = await (
      await fetch(`${zd.url}/api/v2/tickets/7/comments.json?include=users`, { headers: { Authorization: authorization } })
    ).json();
    expect(comments.map((c: { body: string; public: boolean }) => [c.body, c.public])).toEqual([
      ["I was charged twice for order #1001.", true],
      ["Refunded EUR 12.34.", false],
    ]);
    expect(users.find((u: { id: number }) => u.id === comments[1].author_id).name).toBe("Jane Agent");
    await expect.poll(() => events.join("")).toContain('"name":"ticket.updated"');
    stream.destroy();

    const invalid = await fetch(`${zd.url}/api/v2/tickets/7.json`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", Authorization: authorization },
      body: '{"ticket":{"comment":{}}}',
    });
    expect(invalid.status).toBe(422);
  });
});
