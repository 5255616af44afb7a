// Receiving Checkout.com webhooks: POST /webhooks/checkout/<endpointId>.
//   unknown endpoint 404 · missing or wrong Cko-Signature 401 · wrong Authorization 401 ·
//   body over 1 MB 413 · not UTF-8 JSON (nested at most 32 levels) or not an event 400 · stored or duplicate 200 · database down 503.
// The signature is checked on the raw bytes before anything is parsed; the event is acknowledged once
// it is durable in the inbox (never processed inline: the worker does that). A rejected request stores
// nothing, and answers never echo secrets or internals.
//
// Two doors lead here: server.ts answers the path itself through `handleCheckoutWebhook` (node:http,
// before Remix: the Remix request pipeline costs more than everything below), and the Remix route
// webhooks.checkout.$endpointId.tsx calls `receiveWebhookRequest` (remix vite:dev, tests).
import type http from "node:http";
import { webhookEndpointCache } from "../checkout/webhook-endpoint-cache.server";
import { db } from "../db.server";
import { log } from "../log.server";
import { resolveEndpoint } from "./endpoints.server";
import { eventPaymentId, parseCheckoutEvent } from "./envelope";
import { storeInboxEvent } from "./inbox-writer.server";
import { authorizationMatches, signatureMatches } from "./signature.server";

export const CHECKOUT_WEBHOOK_PATH = "/webhooks/checkout/";
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export interface WebhookAnswer {
  status: number;
  /** JSON text. */
  body: string;
}

const answer = (status: number, body: Record<string, unknown>): WebhookAnswer => ({ status, body: JSON.stringify(body) });

const ANSWERS = {
  stored: answer(200, { received: true }),
  duplicate: answer(200, { received: true, duplicate: true }),
  unknownEndpoint: answer(404, { error: "Unknown webhook endpoint" }),
  missingSignature: answer(401, { error: "Missing Cko-Signature header" }),
  badSignature: answer(401, { error: "Cko-Signature does not match the body" }),
  badAuthorization: answer(401, { error: "The Authorization header does not match the value configured for this webhook" }),
  tooLarge: answer(413, { error: `Body is larger than ${MAX_WEBHOOK_BYTES} bytes` }),
  methodNotAllowed: answer(405, { error: "Use POST" }),
  unavailable: answer(503, { error: "The event could not be stored right now; retry later" }),
};

export interface WebhookDelivery {
  endpointId: string;
  signature: string | null | undefined;
  authorization: string | null | undefined;
  body: Buffer;
}

/** Verifies and stores one delivery. Never throws. */
export async function receiveCheckoutWebhook(delivery: WebhookDelivery): Promise<WebhookAnswer> {
  let endpoint;
  try {
    endpoint = await resolveEndpoint(delivery.endpointId);
  } catch (error) {
    log.error("checkout_webhook.lookup_failed", { error });
    return ANSWERS.unavailable;
  }
  if (!endpoint) return ANSWERS.unknownEndpoint;
  if (!delivery.signature) return reject(ANSWERS.missingSignature, endpoint.shopId);
  if (!signatureMatches(delivery.body, delivery.signature, endpoint.signingKey)) return reject(ANSWERS.badSignature, endpoint.shopId);
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
  // A body that is too large is refused without reading it, and the connection is closed so the
  // rest of it is never read either.
  if (declaredTooLarge(req.headers["content-length"])) return send(res, ANSWERS.tooLarge, { Connection: "close" });
  const body = new LimitedBody();
  let finished = false;
  req.on("data", (chunk: Buffer) => {
    if (finished || body.add(chunk)) return;
    finished = true;
    req.pause();
    send(res, ANSWERS.tooLarge, { Connection: "close" });
  });
  req.on("error", () => {
    finished = true;
  });
  req.on("end", () => {
    if (finished) return;
    finished = true;
    void receiveCheckoutWebhook({
      endpointId: endpointIdFromUrl(req.url ?? ""),
      signature: req.headers["cko-signature"] as string | undefined,
      authorization: req.headers.authorization,
      body: body.bytes(),
    }).then((result) => send(res, result));
  });
}

function send(res: http.ServerResponse, result: WebhookAnswer, headers: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(result.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(result.body), ...headers });
  res.end(result.body);
}

/** The Remix door (routes/webhooks.checkout.$endpointId.tsx). */
export async function receiveWebhookRequest(request: Request, endpointId: string): Promise<Response> {
  if (request.method !== "POST") return toResponse(ANSWERS.methodNotAllowed, { Allow: "POST" });
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
  const result = await receiveCheckoutWebhook({
    endpointId,
    signature: request.headers.get("cko-signature"),
    authorization: request.headers.get("authorization"),
    body: body.bytes(),
  });
  return toResponse(result);
}

const toResponse = (result: WebhookAnswer, headers: Record<string, string> = {}) =>
  new Response(result.body, { status: result.status, headers: { "Content-Type": "application/json", ...headers } });
