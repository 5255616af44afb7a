// Webhook deliveries look up their connection by endpoint id and need its decrypted signing key; doing
// that per request would cost a query and an AES decryption each time. This keeps the answer briefly.
// saveConnection forgets an endpoint when its keys change, and entries expire after a short TTL so other
// processes (which cannot be told) pick up a change soon. Kept on globalThis because the Remix build
// and server.ts load separate copies of app modules, and settings saved through one must reach the other.
export interface WebhookEndpoint {
  endpointId: string;
  connectionId: string;
  shopId: string;
  signingKey: Buffer;
  /** The fixed Authorization value the webhook must carry, when one is configured. */
  authorization: string | null;
}

const FOUND_TTL_MS = 30_000;
// Unknown endpoints are remembered only briefly: a new connection must start receiving quickly.
const MISSING_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  value: WebhookEndpoint | null;
  expiresAt: number;
}

declare global {
  // eslint-disable-next-line no-var
  var __ckoWebhookEndpoints: Map<string, Entry> | undefined;
}

const entries = () => (globalThis.__ckoWebhookEndpoints ??= new Map());

export const webhookEndpointCache = {
  /** The cached answer (an endpoint, or null for "no such endpoint"), or undefined when not cached. */
  get(endpointId: string, now = Date.now()): { value: WebhookEndpoint | null } | undefined {
    const entry = entries().get(endpointId);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      entries().delete(endpointId);
      return undefined;
    }
    return entry;
  },
  set(endpointId: string, value: WebhookEndpoint | null, now = Date.now()) {
    const map = entries();
    // Oldest first: a Map iterates in insertion order.
    if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as string);
    map.set(endpointId, { value, expiresAt: now + (value ? FOUND_TTL_MS : MISSING_TTL_MS) });
  },
  forget(endpointId: string) {
    entries().delete(endpointId);
  },
  clear() {
    entries().clear();
  },
};
