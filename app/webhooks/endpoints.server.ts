// Which shop's connection a webhook URL belongs to, with its signing key, cached briefly
// (app/checkout/webhook-endpoint-cache.server.ts).
import { connectionSecrets, previousWebhookSigningKey, webhookSigningKey } from "../checkout/connection.server";
import { webhookEndpointCache, type WebhookEndpoint } from "../checkout/webhook-endpoint-cache.server";
import { db } from "../db.server";

// Endpoint ids are random base64url tokens; anything else cannot be one and is not looked up.
const ENDPOINT_ID = /^[A-Za-z0-9_-]{8,128}$/;

const loading = new Map<string, Promise<WebhookEndpoint | null>>();

async function load(endpointId: string): Promise<WebhookEndpoint | null> {
  const connection = await db().checkoutConnection.findUnique({ where: { endpointId }, include: { shop: { select: { uninstalledAt: true } } } });
  if (!connection) return null;
  const uninstalled = connection.shop.uninstalledAt !== null;
  // Disconnected: its keys are forgotten, and its deliveries are refused before any signature is checked.
  if (connection.disconnectedAt)
    return {
      endpointId,
      connectionId: connection.id,
      shopId: connection.shopId,
      signingKey: Buffer.alloc(0),
      previousSigningKey: null,
      uninstalled,
      disconnected: true,
      authorization: null,
    };
  const previous = previousWebhookSigningKey(connection);
  return {
    endpointId,
    connectionId: connection.id,
    shopId: connection.shopId,
    signingKey: Buffer.from(webhookSigningKey(connection), "utf8"),
    previousSigningKey: previous ? { key: Buffer.from(previous.key, "utf8"), until: previous.until.getTime() } : null,
    uninstalled,
    disconnected: false,
    authorization: connectionSecrets(connection).authorization,
  };
}

/**
 * What is known about an endpoint id without asking the database: "known" (an endpoint, perhaps due for
 * a refresh), "unknown" (cannot be an id, or recently looked up and absent), or "unseen" (a lookup
 * would have to ask the database).
 */
export function endpointState(endpointId: string): "known" | "unknown" | "unseen" {
  if (!ENDPOINT_ID.test(endpointId)) return "unknown";
  const cached = webhookEndpointCache.get(endpointId);
  if (!cached) return "unseen";
  return cached.kind === "missing" ? "unknown" : "known";
}

/** The endpoint, or null when no connection has this id. Throws when the database cannot answer. */
export async function resolveEndpoint(endpointId: string): Promise<WebhookEndpoint | null> {
  if (!ENDPOINT_ID.test(endpointId)) return null;
  const cached = webhookEndpointCache.get(endpointId);
  if (cached?.kind === "found") return cached.endpoint;
  if (cached?.kind === "missing") return null;
  // Concurrent deliveries to a cold endpoint share one lookup.
  let pending = loading.get(endpointId);
  if (!pending) {
    pending = load(endpointId)
      .then((value) => {
        webhookEndpointCache.set(endpointId, value);
        return value;
      })
      .finally(() => loading.delete(endpointId));
    loading.set(endpointId, pending);
  }
  return pending;
}
