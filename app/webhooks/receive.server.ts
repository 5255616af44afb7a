// Receiving Checkout.com webhooks: POST /webhooks/checkout/<endpointId>.
//   unknown endpoint 404 · the store uninstalled the app, or disconnected this connection, 410 · over a rate limit 429 + Retry-After · missing or wrong Cko-Signature 401 ·
//   wrong Authorization 401 · body over 1 MB 413 · not UTF-8 JSON (nested at most 32 levels) or not an
//   event 400 · stored or duplicate 200 · database down 503.
// The endpoint and the rate limits (intake-limits.server.ts, docs/decisions/0008) are settled before
// the body is read: an unknown id or a request over a limit is answered at once and its body never
// read. The signature is checked on the raw bytes before anything is parsed; the event is acknowledged
// once it is durable in the inbox (never processed inline: the worker does that). A rejected request
// stores nothing, and answers never echo secrets or internals.
//
// Two doors lead here: server.ts answers the path itself through `handleCheckoutWebhook` (node:http,
// before Remix: the Remix request pipeline costs more than everything below), and the Remix route
// webhooks.checkout.$endpointId.tsx calls `receiveWebhookRequest` (remix vite:dev, tests).
import type http from "node:http";
import { webhookEndpointCache, type WebhookEndpoint } from "../checkout/webhook-endpoint-cache.server";
import { db } from "../db.server";
import { log } from "../log.server";
import { endpointState, resolveEndpoint } from "./endpoints.server";
import { eventPaymentId, eventPriority, parseCheckoutEvent } from "./envelope";
import { storeInboxEvent } from "./inbox-writer.server";
import { clientIp, intakeLimits } from "./intake-limits.server";
import { authorizationMatches, signatureMatches } from "./signature.server";

export const CHECKOUT_WEBHOOK_PATH = "/webhooks/checkout/";
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

interface WebhookAnswer {
  status: number;
  /** JSON text. */
  body: string;
}

const answer = (status: number, body: Record<string, unknown>): WebhookAnswer => ({ status, body: JSON.stringify(body) });

const ANSWERS = {
  stored: answer(200, { received: true }),
  duplicate: answer(200, { received: true, duplicate: true }),
  unknownEndpoint: answer(404, { error: "Unknown webhook endpoint" }),
  // Checkout.com retries every answer but a 2xx on its schedule, whatever the status: "gone" says why,
  // nothing is stored, and a reinstall within the retries takes the events after all.
  uninstalled: answer(410, { error: "The store has uninstalled this app; nothing was stored" }),
  disconnected: answer(410, { error: "The store has disconnected this Checkout.com connection; nothing was stored" }),
  missingSignature: answer(401, { error: "Missing Cko-Signature header" }),
  badSignature: answer(401, { error: "Cko-Signature does not match the body" }),
  badAuthorization: answer(401, { error: "The Authorization header does not match the value configured for this webhook" }),
  tooLarge: answer(413, { error: `Body is larger than ${MAX_WEBHOOK_BYTES} bytes` }),
  tooMany: answer(429, { error: "Too many requests; retry later" }),
  methodNotAllowed: answer(405, { error: "Use POST" }),
  unavailable: answer(503, { error: "The event could not be stored right now; retry later" }),
};

interface WebhookDelivery {
  endpointId: string;
  signature: string | null | undefined;
  authorization: string | null | undefined;
  body: Buffer;
  /** The client's address (null when unknown: the Remix door). */
  ip?: string | null;
}

type Admission = { ok: true; endpoint: WebhookEndpoint } | { ok: false; answer: WebhookAnswer; retryAfter?: number };

const tooMany = (kind: string, key: string | null, retryAfter: number): Admission => {
  logLimited(kind, key);
  return { ok: false, answer: ANSWERS.tooMany, retryAfter };
};

/**
 * Before any of the body is read: which endpoint, and whether the rate limits let the request in. An id
 * that is not a known endpoint is looked up in the database only within the client's budget for such
 * ids, so a spray of random ids costs one lookup per budgeted request and fills nothing but the cache
 * of unknown ids. Never throws.
 */
async function admitDelivery(endpointId: string, ip: string | null): Promise<Admission> {
  const limits = intakeLimits();
  const state = endpointState(endpointId);
  let endpoint: WebhookEndpoint | null = null;
  // An id never seen yet costs a lookup: it counts against the client's budget for unknown ids, and is
  // given back if the id turns out to be an endpoint.
  if (state === "unseen") {
    const wait = limits.takeUnknown(ip);
    if (wait) return tooMany("unknown_endpoint", ip, wait);
  }
  if (state !== "unknown") {
    try {
      endpoint = await resolveEndpoint(endpointId);
    } catch (error) {
      // The database's failure, not the client's: its budget is not spent.
      if (state === "unseen") limits.refundUnknown(ip);
      log.error("checkout_webhook.lookup_failed", { error });
      return { ok: false, answer: ANSWERS.unavailable };
    }
  }
  if (!endpoint) {
    if (state !== "unseen") {
      const wait = limits.takeUnknown(ip);
      if (wait) return tooMany("unknown_endpoint", ip, wait);
    }
    return { ok: false, answer: ANSWERS.unknownEndpoint };
  }
  if (state === "unseen") limits.refundUnknown(ip);
  if (endpoint.uninstalled) return { ok: false, answer: ANSWERS.uninstalled };
  if (endpoint.disconnected) return { ok: false, answer: ANSWERS.disconnected };
  const wait = limits.takeKnown(endpoint.endpointId, ip);
  if (wait) return tooMany("endpoint", `${endpoint.shopId} ${ip}`, wait);
  return { ok: true, endpoint };
}

const limitLogged = new Map<string, number>();
/** One warning a minute per kind and client, however many requests a flood makes. */
function logLimited(kind: string, key: string | null) {
  const id = `${kind} ${key}`;
  const now = Date.now();
  if ((limitLogged.get(id) ?? 0) > now - 60_000) return;
  if (limitLogged.size > 10_000) limitLogged.clear();
  limitLogged.set(id, now);
  log.warn("checkout_webhook.rate_limited", { kind, client: key });
}

/** Verifies and stores a delivery to an endpoint admitted by admitDelivery. Never throws. */
async function receiveAdmitted(endpoint: WebhookEndpoint, delivery: WebhookDelivery): Promise<WebhookAnswer> {
  if (!delivery.signature) return reject(ANSWERS.missingSignature, endpoint.shopId);
  if (!signedByEndpoint(endpoint, delivery.body, delivery.signature)) return reject(ANSWERS.badSignature, endpoint.shopId);
  // Whoever holds the key is Checkout.com (or the merchant): its address may reach removed endpoints.
  intakeLimits().markVerified(delivery.ip ?? null);
  if (endpoint.authorization !== null && !authorizationMatches(delivery.authorization, endpoint.authorization))
    return reject(ANSWERS.badAuthorization, endpoint.shopId);

  const parsed = parseCheckoutEvent(delivery.body);
  if (!parsed.ok) return answer(400, { error: parsed.error });
  const { event, text } = parsed;

  try {
    const outcome = await storeInboxEvent({
      shopId: endpoint.shopId,
      connectionId: endpoint.connectionId,
      eventId: event.id,
      type: event.type,
      ckoPaymentId: eventPaymentId(event),
      priority: eventPriority(event),
      payload: text,
    });
    return outcome === "stored" ? ANSWERS.stored : ANSWERS.duplicate;
  } catch (error) {
    // The connection may have been deleted (shop redacted) since it was cached.
    if (await connectionGone(endpoint.connectionId)) {
      webhookEndpointCache.forget(delivery.endpointId);
      return ANSWERS.unknownEndpoint;
    }
    log.error("checkout_webhook.store_failed", { shopId: endpoint.shopId, eventId: event.id, error });
    return ANSWERS.unavailable;
  }
}

/** Signed with the endpoint's key, or with the previous one while a rotation's grace period runs. */
function signedByEndpoint(endpoint: WebhookEndpoint, body: Buffer, signature: string): boolean {
  if (signatureMatches(body, signature, endpoint.signingKey)) return true;
  const previous = endpoint.previousSigningKey;
  return previous !== null && previous.until > Date.now() && signatureMatches(body, signature, previous.key);
}

function reject(result: WebhookAnswer, shopId: string) {
  log.warn("checkout_webhook.rejected", { shopId, status: result.status, reason: JSON.parse(result.body).error });
  return result;
}

async function connectionGone(connectionId: string): Promise<boolean> {
  try {
    return (await db().checkoutConnection.count({ where: { id: connectionId } })) === 0;
  } catch {
    return false;
  }
}

/** Collects a body up to the limit. */
class LimitedBody {
  private chunks: Uint8Array[] = [];
  private size = 0;
  /** False once the body is over the limit; then nothing more is kept. */
  add(chunk: Uint8Array): boolean {
    this.size += chunk.byteLength;
    if (this.size > MAX_WEBHOOK_BYTES) return false;
    this.chunks.push(chunk);
    return true;
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

const declaredTooLarge = (contentLength: string | null | undefined) => Number(contentLength ?? 0) > MAX_WEBHOOK_BYTES;

function endpointIdFromUrl(url: string): string {
  const path = url.slice(CHECKOUT_WEBHOOK_PATH.length).split("?")[0];
  try {
    return decodeURIComponent(path);
  } catch {
    return "";
  }
}

/** The node:http door (server.ts, via app/server/lifecycle.server.ts). */
export function handleCheckoutWebhook(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method !== "POST") return send(res, ANSWERS.methodNotAllowed, { Allow: "POST" });
  const endpointId = endpointIdFromUrl(req.url ?? "");
  const ip = clientIp(req);
  // Nothing reads the body until the endpoint is admitted: the request stays paused meanwhile.
  void admitDelivery(endpointId, ip).then((admitted) => {
    if (!admitted.ok) {
      const headers: Record<string, string> = admitted.retryAfter ? { "Retry-After": String(admitted.retryAfter) } : {};
      return refuseUnread(req, res, admitted.answer, headers);
    }
    readAdmitted(req, res, admitted.endpoint, endpointId, ip);
  });
}

function readAdmitted(req: http.IncomingMessage, res: http.ServerResponse, endpoint: WebhookEndpoint, endpointId: string, ip: string | null) {
  if (declaredTooLarge(req.headers["content-length"])) return refuseUnread(req, res, ANSWERS.tooLarge);
  const body = new LimitedBody();
  let finished = false;
  req.on("data", (chunk: Buffer) => {
    if (finished || body.add(chunk)) return;
    finished = true;
    refuseUnread(req, res, ANSWERS.tooLarge);
  });
  req.on("error", () => {
    finished = true;
  });
  req.on("end", () => {
    if (finished) return;
    finished = true;
    void receiveAdmitted(endpoint, {
      endpointId,
      signature: req.headers["cko-signature"] as string | undefined,
      authorization: req.headers.authorization,
      body: body.bytes(),
      ip,
    }).then((result) => send(res, result));
  });
}

// How much of a refused body is read and dropped, at most, before the connection closes.
const LINGER_BYTES = 1024 * 1024;
const LINGER_MS = 2_000;

/**
 * Answers without reading the (rest of the) body, then closes the connection. Closing at once would
 * reset a sender that is still writing, and a reset throws away the answer it has not yet read: the
 * sender sees a broken connection instead of the 404, 410 or 413 and retries as for an outage. So the
 * answer goes out whole first, and the connection closes once the sender stops writing, or after at
 * most LINGER_BYTES or LINGER_MS of dropped input (a "lingering close", as web servers do).
 */
function refuseUnread(req: http.IncomingMessage, res: http.ServerResponse, result: WebhookAnswer, headers: Record<string, string> = {}) {
  if (req.complete) return send(res, result, headers);
  if (res.headersSent || res.destroyed) return;
  res.writeHead(result.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(result.body), Connection: "close", ...headers });
  res.write(result.body);
  let dropped = 0;
  const close = () => {
    clearTimeout(timer);
    req.removeListener("data", drop);
    if (!res.writableEnded) res.end();
  };
  const drop = (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) close();
  };
  const timer = setTimeout(close, LINGER_MS);
  req.on("data", drop);
  req.once("end", close);
  req.once("close", close);
  req.resume();
}

function send(res: http.ServerResponse, result: WebhookAnswer, headers: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(result.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(result.body), ...headers });
  res.end(result.body);
}

/**
 * The Remix door (routes/webhooks.checkout.$endpointId.tsx: `remix vite:dev`, tests). A Request carries
 * no client address, so only the per-endpoint limit applies here; production answers through the
 * node:http door above.
 */
export async function receiveWebhookRequest(request: Request, endpointId: string): Promise<Response> {
  if (request.method !== "POST") return toResponse(ANSWERS.methodNotAllowed, { Allow: "POST" });
  const admitted = await admitDelivery(endpointId, null);
  if (!admitted.ok) {
    await request.body?.cancel().catch(() => {});
    return toResponse(admitted.answer, admitted.retryAfter ? { "Retry-After": String(admitted.retryAfter) } : {});
  }
  if (declaredTooLarge(request.headers.get("content-length"))) return toResponse(ANSWERS.tooLarge);
  const body = new LimitedBody();
  if (request.body) {
    const reader = request.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      if (!body.add(chunk.value)) {
        await reader.cancel();
        return toResponse(ANSWERS.tooLarge);
      }
    }
  }
  const result = await receiveAdmitted(admitted.endpoint, {
    endpointId,
    signature: request.headers.get("cko-signature"),
    authorization: request.headers.get("authorization"),
    body: body.bytes(),
    ip: null,
  });
  return toResponse(result);
}

const toResponse = (result: WebhookAnswer, headers: Record<string, string> = {}) =>
  new Response(result.body, { status: result.status, headers: { "Content-Type": "application/json", ...headers } });
