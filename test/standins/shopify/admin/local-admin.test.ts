// The local admin frames the app with Shopify's launch parameters and a valid session token, and its
// reverse proxy keeps the browser off Shopify's CDN and admin host. (The browser side, with the real
// app, is exercised by the end-to-end tests.)
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../../helpers/env";
import { verifySessionToken } from "../session-token";
import { SHOPIFY_APP_BRIDGE_URL, startLocalAdmin, type LocalAdmin } from "./local-admin";

const SHOP = "north-loop.myshopify.com";
const APP_PAGE = `<html><head><script src="${SHOPIFY_APP_BRIDGE_URL}" data-api-key="${TEST_API_KEY}"></script></head><body>app</body></html>`;

let upstream: http.Server;
let admin: LocalAdmin;
const seen: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  // A stand-in for the Remix app: answers like shopify-app-remix does for documents and redirects.
  upstream = http.createServer((req, res) => {
    seen.push(req.headers);
    if (req.url === "/redirect") return res.writeHead(302, { Location: "https://admin.shopify.com/store/north-loop/apps/test-api-key/app" }).end();
    if (req.url === "/data.json") return res.writeHead(200, { "Content-Type": "application/json" }).end(`{"script":"${SHOPIFY_APP_BRIDGE_URL}"}`);
    res.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": `frame-ancestors https://${SHOP} https://admin.shopify.com;`,
      Link: `<${SHOPIFY_APP_BRIDGE_URL}>; rel="preload"; as="script";`,
    });
    res.end(APP_PAGE);
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  admin = await startLocalAdmin({
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    appUpstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    appHandle: "cko-companion",
  });
});

afterAll(async () => {
  await admin.close();
  await new Promise((resolve) => upstream.close(resolve));
});

describe("admin page", () => {
  it("frames the app at the admin path with Shopify's launch parameters and a fresh session token", async () => {
    const response = await fetch(admin.appPageUrl(SHOP, "/app/settings?tab=keys"));
    const html = await response.text();
    const src = /<iframe[^>]* src="([^"]+)"/.exec(html)![1].replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(Number(code)));
    const frame = new URL(src);
    expect(frame.origin + frame.pathname).toBe(`${admin.proxyUrl}/app/settings`);
    const query = frame.searchParams;
    expect(Object.fromEntries(query)).toMatchObject({ tab: "keys", embedded: "1", shop: SHOP, locale: "en" });
    expect(Buffer.from(query.get("host")!, "base64").toString()).toBe("admin.shopify.com/store/north-loop");
    expect(verifySessionToken(query.get("id_token")!, { apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET })).toMatchObject({
      ok: true,
      claims: { dest: `https://${SHOP}` },
    });
    const hmac = query.get("hmac");
    query.delete("hmac");
    const message = [...query.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    expect(hmac).toBe(crypto.createHmac("sha256", TEST_API_SECRET).update(message).digest("hex"));
  });

  it("passes the staff member's admin language as Shopify's locale parameter", async () => {
    const html = await (await fetch(admin.appPageUrl(SHOP, "/app/holds?locale=de"))).text();
    const src = /<iframe[^>]* src="([^"]+)"/.exec(html)![1].replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(Number(code)));
    expect(new URL(src).searchParams.getAll("locale")).toEqual(["de"]);
  });

  it("serves the App Bridge stand-in and session tokens, and nothing for other apps", async () => {
    const script = await fetch(`${admin.adminUrl}/app-bridge.js`);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(await script.text()).toContain("window.shopify =");
    const { token } = await (await fetch(`${admin.adminUrl}/session-token?shop=${SHOP}`)).json();
    expect(verifySessionToken(token, { apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET }).ok).toBe(true);
    expect((await fetch(`${admin.adminUrl}/session-token?shop=evil.example.com`)).status).toBe(400);
    expect((await fetch(`${admin.adminUrl}/store/north-loop/apps/another-app`)).status).toBe(404);
  });
});

describe("reverse proxy", () => {
  it("points the App Bridge script and preload at the local admin and lets it frame the app", async () => {
    const response = await fetch(`${admin.proxyUrl}/app?shop=${SHOP}`);
    const html = await response.text();
    expect(html).not.toContain("cdn.shopify.com");
    expect(html).toContain(`<script src="${admin.adminUrl}/app-bridge.js" data-api-key="${TEST_API_KEY}">`);
    expect(response.headers.get("link")).toBe(`<${admin.adminUrl}/app-bridge.js>; rel="preload"; as="script";`);
    expect(response.headers.get("content-security-policy")).toBe(`frame-ancestors https://${SHOP} https://admin.shopify.com ${admin.adminUrl};`);
    expect(seen.at(-1)?.["accept-encoding"]).toBeUndefined();
  });

  it("sends redirects to the Shopify admin to the local admin, and leaves other content alone", async () => {
    const redirect = await fetch(`${admin.proxyUrl}/redirect`, { redirect: "manual" });
    expect(redirect.headers.get("location")).toBe(`${admin.adminUrl}/store/north-loop/apps/test-api-key/app`);
    expect(await (await fetch(`${admin.proxyUrl}/data.json`)).json()).toEqual({ script: SHOPIFY_APP_BRIDGE_URL });
  });
});

describe("reverse proxy with request bodies", () => {
  // An app in a process of its own, like the real one: it refuses a body declared over 1 MB unread, a
  // moment after the headers (the webhook intake looks the endpoint up first), and closes the
  // connection (a reset, since the body was not read); /close closes without any answer.
  let app: ChildProcess;
  let appAdmin: LocalAdmin;
  beforeAll(async () => {
    app = spawn(
      process.execPath,
      [
        "-e",
        `
      const http = require("node:http");
      const server = http.createServer((req, res) => {
        if (req.url === "/close") return req.socket.destroy();
        if (Number(req.headers["content-length"]) > 1024 * 1024) {
          return void setImmediate(() => res.writeHead(413, { "Content-Type": "application/json", Connection: "close" }).end('{"error":"Body is larger than 1048576 bytes"}'));
        }
        let size = 0;
        req.on("data", (chunk) => (size += chunk.length));
        req.on("end", () => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ size })));
      });
      server.listen(0, "127.0.0.1", () => console.log(server.address().port));`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const port = await new Promise<string>((resolve) => app.stdout!.once("data", (chunk) => resolve(String(chunk).trim())));
    appAdmin = await startLocalAdmin({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUpstream: `http://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await appAdmin?.close();
    app?.kill();
  });

  it("relays the app's answer to a body too large (413), not a 502 for the write that failed after it", async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, "x");
    const answers: Record<string, number> = {};
    for (let i = 0; i < 60; i++) {
      const response = await fetch(`${appAdmin.proxyUrl}/webhooks/checkout/endpoint`, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/json" },
      });
      const answer = `${response.status} ${await response.text()}`;
      answers[answer] = (answers[answer] ?? 0) + 1;
    }
    expect(answers).toEqual({ '413 {"error":"Body is larger than 1048576 bytes"}': 60 });
  }, 60_000);

  it("forwards a body the app reads in full, and answers 502 when the app closes without an answer", async () => {
    const body = Buffer.alloc(900 * 1024, "y");
    expect(await (await fetch(`${appAdmin.proxyUrl}/webhooks/checkout/endpoint`, { method: "POST", body })).json()).toEqual({ size: body.length });
    const closed = await fetch(`${appAdmin.proxyUrl}/close`, { method: "POST", body: Buffer.alloc(2 * 1024 * 1024) });
    expect(closed.status).toBe(502);
    expect(await closed.text()).toMatch(/^The app is not reachable/);
  });
});
