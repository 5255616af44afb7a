// One Shopify stand-in for several app processes, living in the test process: the stand-in's own
// preload (test/standins/shopify/preload.ts) keeps its store inside the app process, which dies with
// it when a test kills the app, and gives each of several worker processes a store of its own. Here
// the app processes start with `--import <SHOPIFY_RELAY_PRELOAD>` and SHOPIFY_RELAY_URL: their calls to
// *.myshopify.com are sent to this relay, which answers them from the stand-in (its msw handlers), as
// one Shopify would, with one rate-limit bucket per shop for all of them.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getResponse } from "msw";
import type { ShopifyStandIn } from "../standins/shopify/index";

export const SHOPIFY_RELAY_PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), "shopify-relay.preload.ts");
/** The header carrying the URL the app called. */
export const RELAYED_URL_HEADER = "x-shopify-relay-url";

export interface RelayedCall {
  /** The GraphQL operation name, when the body names one. */
  operation: string | null;
  status: number;
  /** A THROTTLED answer, and whether the bucket was really empty (else it was injected). */
  throttled: "bucket" | "injected" | null;
  /** Points left in the shop's bucket after the call, as the answer reports them. */
  available: number | null;
  /** Points the call took from the bucket. */
  cost: number;
}

export interface ShopifyRelay {
  url: string;
  /** Every call answered, in order. */
  calls: RelayedCall[];
  /**
   * Runs after Shopify acted and before the answer goes back: a test can hold the answer (awaiting
   * here) to kill the caller while Shopify has done the work but the caller does not know it.
   */
  beforeAnswer?: (call: RelayedCall) => Promise<void> | void;
  close(): Promise<void>;
}

function describe(requestBody: string, status: number, responseBody: string): RelayedCall {
  let operation: string | null = null;
  try {
    const query = (JSON.parse(requestBody) as { query?: string }).query ?? "";
    operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? null;
  } catch {
    // not JSON (the token endpoint)
  }
  let cost: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { currentlyAvailable: number } } | undefined;
  try {
    cost = (JSON.parse(responseBody) as { extensions?: { cost?: typeof cost } }).extensions?.cost;
  } catch {
    // a 5xx page
  }
  let throttled: RelayedCall["throttled"] = null;
  // The stand-in answers a real THROTTLED when the bucket holds less than the query's cost; an
  // injected one comes with a bucket that had enough.
  if (responseBody.includes('"THROTTLED"')) throttled = cost && cost.throttleStatus.currentlyAvailable < cost.requestedQueryCost ? "bucket" : "injected";
  return { operation, status, throttled, available: cost?.throttleStatus.currentlyAvailable ?? null, cost: cost?.actualQueryCost ?? 0 };
}

export async function startShopifyRelay(standIn: ShopifyStandIn): Promise<ShopifyRelay> {
  const calls: RelayedCall[] = [];
  const relay: ShopifyRelay = {
    url: "",
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const target = req.headers[RELAYED_URL_HEADER];
    if (typeof target !== "string") return res.writeHead(400).end(`missing ${RELAYED_URL_HEADER}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && !["host", "connection", "content-length", RELAYED_URL_HEADER].includes(name)) headers.set(name, value);
    }
    const request = new Request(target, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body });
    const response = (await getResponse(standIn.handlers, request)) ?? new Response(`no stand-in handler for ${target}`, { status: 502 });
    const text = await response.text();
    const call = describe(body.toString("utf8"), response.status, text);
    calls.push(call);
    await relay.beforeAnswer?.(call);
    if (res.destroyed) return;
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return relay;
}
