// A local stand-in for the Shopify admin around an embedded app, on loopback:
// - the admin: /store/<store>/apps/<app>/<path> is a minimal admin page (top bar, left nav with the
//   app's NavMenu links, title bar, toasts, save bar) that frames the app at
//   <proxy><path>?embedded=1&shop=…&host=…&id_token=…&locale=en&timestamp=…&hmac=…, like Shopify
//   (`?locale=fr` on the admin page URL stands for a staff member whose admin is in French);
//   /app-bridge.js is the App Bridge stand-in; /session-token?shop= mints session tokens for it;
//   /store/<store>/charges/... confirms an app subscription (charge-pages.ts).
// - a reverse proxy in front of the app (its public URL: set SHOPIFY_APP_URL to it). It rewrites
//   what would reach Shopify's CDN or admin host: the App Bridge <script> URL in HTML, the preload
//   Link header, frame-ancestors in the CSP (adds the local admin), and redirects to admin.shopify.com.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { mintSessionToken } from "../session-token";
import { createChargePages } from "./charge-pages";
import { createOrderPages } from "./order-pages";

export const SHOPIFY_APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
/** The largest request body the proxy forwards (the app itself takes at most 16 MB). */
const MAX_PROXIED_BODY = 64 * 1024 * 1024;
const APP_BRIDGE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "app-bridge.js");
const ADMIN_PAGE = path.join(path.dirname(fileURLToPath(import.meta.url)), "admin-page.html");

export interface LocalAdminOptions {
  apiKey: string;
  apiSecret: string;
  /** Where the app itself listens, e.g. http://127.0.0.1:3000. */
  appUpstream: string;
  appName?: string;
  /** The app's handle in admin URLs; the API key works too, as on Shopify. */
  appHandle?: string;
  /** Staff user id put in session tokens (`sub`). */
  userId?: number;
  host?: string;
  adminPort?: number;
  proxyPort?: number;
  /** The Shopify stand-in's control API URL, for the Orders pages (order-pages.ts); or set it later. */
  shopifyControl?: string;
}

export interface LocalAdmin {
  adminUrl: string;
  /** The app's public URL: set SHOPIFY_APP_URL to this. */
  proxyUrl: string;
  /** The admin page showing the app at `appPath` for `shop` (e.g. "demo.myshopify.com"). */
  appPageUrl(shop: string, appPath?: string): string;
  /** Where the Orders and charge pages reach the stand-in (its control API URL, known once the app runs). */
  setShopifyControl(url: string): void;
  close(): Promise<void>;
}

const storeHandle = (shop: string) => shop.replace(/\.myshopify\.com$/, "");
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The query Shopify puts on an embedded app's URL, signed with the app secret like Shopify's hmac. */
function embeddedAppQuery(options: { apiSecret: string; shop: string; idToken: string; search?: URLSearchParams; now?: number }): URLSearchParams {
  const query = new URLSearchParams(options.search);
  query.set("embedded", "1");
  query.set(
    "host",
    Buffer.from(`admin.shopify.com/store/${storeHandle(options.shop)}`)
      .toString("base64")
      .replace(/=+$/, ""),
  );
  query.set("id_token", options.idToken);
  // The staff member's admin language; `?locale=de` on the admin page URL plays their language setting.
  query.set("locale", options.search?.get("locale") || "en");
  query.set("session", crypto.createHash("sha256").update(options.shop).digest("hex"));
  query.set("shop", options.shop);
  query.set("timestamp", String(Math.floor((options.now ?? Date.now()) / 1000)));
  const message = [...query.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  query.set("hmac", crypto.createHmac("sha256", options.apiSecret).update(message).digest("hex"));
  return query;
}

function listen(server: http.Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`));
  });
}

/** Rewrites what would send the browser to Shopify's CDN or admin: see the file comment. */
function rewriteProxiedResponse(headers: http.IncomingHttpHeaders, adminUrl: string): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = { ...headers };
  const csp = headers["content-security-policy"];
  if (typeof csp === "string")
    out["content-security-policy"] = csp.replace(/frame-ancestors ([^;]*)/, (_m, sources: string) => `frame-ancestors ${sources.trim()} ${adminUrl}`);
  if (typeof headers.link === "string") out.link = headers.link.split(SHOPIFY_APP_BRIDGE_URL).join(`${adminUrl}/app-bridge.js`);
  if (typeof headers.location === "string") out.location = headers.location.replace(/^https:\/\/admin\.shopify\.com\/store\//, `${adminUrl}/store/`);
  return out;
}

/**
 * A connection to the app on which writing may fail (EPIPE, ECONNRESET: the app answered and closed
 * without reading the rest of the body) while reading goes on: Node would otherwise destroy the socket
 * at the first failed write, before reading the answer already in its receive buffer. What is left to
 * write is dropped; a connection that brings no answer still ends in an error (the read fails).
 */
class AnswerFirstSocket extends net.Socket {
  private writeFailed = false;

  private keepReading(cb: (error?: Error | null) => void) {
    return (error?: Error | null) => {
      const code = (error as NodeJS.ErrnoException | null | undefined)?.code;
      if (code === "EPIPE" || code === "ECONNRESET") {
        this.writeFailed = true;
        return cb();
      }
      cb(error);
    };
  }

  override _write(chunk: unknown, encoding: BufferEncoding, cb: (error?: Error | null) => void) {
    if (this.writeFailed) return cb();
    super._write(chunk, encoding, this.keepReading(cb));
  }

  override _writev(chunks: Array<{ chunk: unknown; encoding: BufferEncoding }>, cb: (error?: Error | null) => void) {
    if (this.writeFailed) return cb();
    super._writev!(chunks, this.keepReading(cb));
  }
}

export async function startLocalAdmin(options: LocalAdminOptions): Promise<LocalAdmin> {
  const host = options.host ?? "127.0.0.1";
  const upstream = new URL(options.appUpstream);
  const appHandle = options.appHandle ?? options.apiKey;
  const appName = options.appName ?? "Checkout.com companion";
  let adminUrl = "";
  let proxyUrl = "";
  const orderPages = createOrderPages({ shopifyControl: options.shopifyControl, appHandle, appName });
  const chargePages = createChargePages({ shopifyControl: options.shopifyControl, appHandle, appName });

  const admin = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    if (orderPages.handle(req, res, url) || chargePages.handle(req, res, url)) return;
    const page = /^\/store\/([\w-]+)\/apps\/([\w-]+)(\/.*)?$/.exec(url.pathname);
    if (url.pathname === "/app-bridge.js") {
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" });
      fs.createReadStream(APP_BRIDGE_SCRIPT).pipe(res);
    } else if (url.pathname === "/favicon.ico") {
      res.writeHead(204).end();
    } else if (url.pathname === "/session-token") {
      const shop = url.searchParams.get("shop") ?? "";
      if (!/^[\w-]+\.myshopify\.com$/.test(shop)) {
        res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "shop must be a *.myshopify.com domain" }));
        return;
      }
      const token = mintSessionToken({ apiKey: options.apiKey, apiSecret: options.apiSecret, shop, userId: options.userId });
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(JSON.stringify({ token }));
    } else if (page && (page[2] === appHandle || page[2] === options.apiKey)) {
      const shop = `${page[1]}.myshopify.com`;
      const idToken = mintSessionToken({ apiKey: options.apiKey, apiSecret: options.apiSecret, shop, userId: options.userId });
      const frame = `${proxyUrl}${page[3] ?? "/"}?${embeddedAppQuery({ apiSecret: options.apiSecret, shop, idToken, search: url.searchParams })}`;
      const settings = { shop, appBase: `/store/${page[1]}/apps/${appHandle}`, appOrigin: proxyUrl, appName };
      const html = fs
        .readFileSync(ADMIN_PAGE, "utf8")
        .replaceAll("{{title}}", escapeHtml(`${appName} · ${shop}`))
        .replaceAll("{{shop}}", escapeHtml(shop))
        .replaceAll("{{appName}}", escapeHtml(appName))
        .replaceAll("{{frameSrc}}", escapeHtml(frame))
        .replace("{{settings}}", JSON.stringify(settings).replace(/</g, "\\u003c"));
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(html);
    } else {
      res.writeHead(404, { "Content-Type": "text/plain" }).end(`Not found. Open ${adminUrl}/store/<store>/apps/${appHandle}`);
    }
  });

  const proxy = http.createServer((req, res) => {
    // The whole request body is read first (as nginx does by default), then sent with the request on
    // a connection that outlives a failed write (AnswerFirstSocket): the app may answer before it
    // reads a body (413 for one declared too large, 404 for an unknown webhook endpoint) and close
    // the connection, and the body still being written must not hide that answer behind a 502.
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PROXIED_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_PROXIED_BODY) {
        res.writeHead(413, { "Content-Type": "text/plain" }).end(`The local admin's proxy takes bodies of at most ${MAX_PROXIED_BODY} bytes`);
        return;
      }
      const headers = { ...req.headers };
      delete headers["accept-encoding"];
      let answered = false;
      const connect = () => new AnswerFirstSocket().connect(Number(upstream.port), upstream.hostname);
      const forward = http.request(
        { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, createConnection: connect },
        (upstreamRes) => {
          answered = true;
          const out = rewriteProxiedResponse(upstreamRes.headers, adminUrl);
          if (!String(upstreamRes.headers["content-type"] ?? "").includes("text/html")) {
            res.writeHead(upstreamRes.statusCode ?? 502, out);
            upstreamRes.pipe(res);
            return;
          }
          const html: Buffer[] = [];
          upstreamRes.on("data", (chunk: Buffer) => html.push(chunk));
          upstreamRes.on("end", () => {
            const body = Buffer.concat(html).toString("utf8").split(SHOPIFY_APP_BRIDGE_URL).join(`${adminUrl}/app-bridge.js`);
            delete out["transfer-encoding"];
            out["content-length"] = Buffer.byteLength(body);
            res.writeHead(upstreamRes.statusCode ?? 502, out).end(body);
          });
        },
      );
      forward.on("error", (error) => {
        // After the answer: the app closed the connection on a body it did not read; the answer stands.
        if (answered) return void setImmediate(() => res.writableEnded || res.end());
        if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
        res.end(`The app is not reachable at ${upstream.origin}: ${error.message}`);
      });
      forward.end(Buffer.concat(chunks, size));
    });
  });

  adminUrl = await listen(admin, options.adminPort ?? 0, host);
  proxyUrl = await listen(proxy, options.proxyPort ?? 0, host);
  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    adminUrl,
    proxyUrl,
    appPageUrl: (shop, appPath = "") => `${adminUrl}/store/${storeHandle(shop)}/apps/${appHandle}${appPath}`,
    setShopifyControl: (url) => {
      orderPages.setControl(url);
      chargePages.setControl(url);
    },
    close: async () => {
      await Promise.all([close(admin), close(proxy)]);
    },
  };
}
