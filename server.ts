// The HTTP server: health checks, static assets and the Remix app, plus the webhook worker when
// WORKER_IN_PROCESS is on. One process serves the embedded app, the APIs and the webhooks.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createRequestListener } from "@mjackson/node-fetch-server";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { db } from "./app/db.server";
import { env, envOrExit } from "./app/env.server";
import { log } from "./app/log.server";
import { startApp } from "./app/server/lifecycle.server";

async function main() {
  envOrExit();
  // The Vite dev server (source files, node_modules, hot reload) only when development is asked for
  // explicitly (NODE_ENV=development); anything else serves the production build. Libraries that read
  // process.env.NODE_ENV themselves (React) get the same mode.
  process.env.NODE_ENV = env().NODE_ENV;
  const development = env().NODE_ENV === "development";
  const vite = development ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true }, appType: "custom" })) : undefined;
  const loadBuild = vite
    ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : await (async () => {
        const build = (await import(path.resolve("build/server/index.js"))) as ServerBuild;
        return () => build;
      })();
  const remix = createRequestHandler(loadBuild as () => Promise<ServerBuild>, env().NODE_ENV);
  const remixListener = createRequestListener((request) => remix(request));
  const staticRoot = path.resolve("build/client");

  const app = await startApp();
  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    // Shutting down: each answer closes its connection, so no client sends another request on a
    // connection the server is about to close.
    if (stopping) res.setHeader("Connection", "close");
    if (app.handle(req, res)) return;
    if (vite) {
      vite.middlewares(req, res, () => remixListener(req, res));
      return;
    }
    if (req.method === "GET" && serveStatic(staticRoot, url, res)) return;
    if (refuseOversizedBody(req, res)) return;
    (app.webhookDoor(url) ?? remixListener)(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(env().PORT, env().HOST, () => {
    log.info("server.listening", { url: `http://${env().HOST}:${env().PORT}`, mode: env().NODE_ENV });
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("server.stopping", { signal });
    app.markDraining();
    await new Promise((resolve) => setTimeout(resolve, env().SHUTDOWN_DRAIN_SECONDS * 1000));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await app.stop();
    await vite?.close();
    await db().$disconnect();
    log.info("server.stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

// The largest bodies the app takes are evidence uploads (4 MB files) and big Shopify webhooks (about a
// megabyte). Anything much larger is refused before Remix reads it into memory: Shopify's webhook check
// buffers the whole body before it verifies the HMAC, so without a limit anyone could fill the heap.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Answers 413 when the declared body is larger than MAX_BODY_BYTES. A chunked body declares nothing: once
 * it passes the limit the connection is cut, without an answer, because Remix is already reading it and
 * owns the response (a second answer would crash it).
 */
function refuseOversizedBody(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
    const body = JSON.stringify({ error: `Body is larger than ${MAX_BODY_BYTES} bytes` });
    res.writeHead(413, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), Connection: "close" }).end(body);
    return true;
  }
  let received = 0;
  req.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_BODY_BYTES) req.destroy();
  });
  return false;
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

function serveStatic(root: string, url: string, res: http.ServerResponse): boolean {
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.split("?")[0]);
  } catch {
    return false; // a malformed escape (a throw here would take the whole server down): Remix answers 404
  }
  const file = path.join(root, pathname);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return false;
  res.writeHead(200, {
    "Content-Type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
    "Cache-Control": pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "public, max-age=300",
  });
  fs.createReadStream(file).pipe(res);
  return true;
}

void main();
