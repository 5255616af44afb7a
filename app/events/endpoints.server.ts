// Which shop's connection a webhook URL belongs to, with its signing key, cached briefly
// (app/checkout/webhook-endpoint-cache.server.ts).
import { connectionSecrets, webhookSigningKey } from "../checkout/connection.server";
import { webhookEndpointCache, type WebhookEndpoint } from "../checkout/webhook-endpoint-cache.server";
import { db } from "../db.server";

// Endpoint ids are random base64url tokens; anything else cannot be one and is not looked up.
const ENDPOINT_ID = /^[A-Za-z0-9_-]{8,128}$/;

const loading = new Map<string, Promise<WebhookEndpoint | null>>();

async function load(endpointId: string): Promise<WebhookEndpoint | null> {
  const connection = await db().checkoutConnection.findUnique({ where: { endpointId } });
  if (!connection) return null;
  return {
    endpointId,
    connectionId: connection.id,
    shopId: connection.shopId,
    signingKey: Buffer.from(webhookSigningKey(connection), "utf8"),
    authorization: connectionSecrets(connection).authorization,
  };
}

/** The endpoint, or null when no connection has this id. Throws when the database cannot answer. */
export async function resolveEndpoint(endpointId: string): Promise<WebhookEndpoint | null> {
  if (!ENDPOINT_ID.test(endpointId)) return null;
  const cached = webhookEndpointCache.get(endpointId);
  if (cached) return cached.value;
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

