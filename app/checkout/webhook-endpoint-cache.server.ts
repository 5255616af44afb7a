// Webhook deliveries look up their connection by endpoint id and need its decrypted signing key; doing
// that per request would cost a query and an AES decryption each time. This keeps the answer briefly.
// saveConnection and forgetConnection (a disconnect) forget an endpoint when its keys change, and entries expire after a short TTL so other
// processes (which cannot be told) pick up a change soon. Kept on globalThis because the Remix build
// and server.ts load separate copies of app modules, and settings saved through one must reach the other.
//
// Endpoints that exist and ids that do not are kept apart, each with its own bound: a spray of random
// ids (anyone can send them) fills only the second, and never pushes a real endpoint out of the first.
// An endpoint whose entry expired stays known ("stale") until it is looked up again, so the intake
// limits can tell a real endpoint due for a refresh from an id never seen (app/webhooks/receive.server.ts).
export interface WebhookEndpoint {
  endpointId: string;
  connectionId: string;
  shopId: string;
  signingKey: Buffer;
  /** The key before the last change, accepted until `until` (epoch ms) during a rotation. */
  previousSigningKey: { key: Buffer; until: number } | null;
  /** The shop uninstalled the app: deliveries are refused and stored nowhere. */
  uninstalled: boolean;
  /** The merchant disconnected this connection: deliveries are refused and stored nowhere, and it has no keys. */
  disconnected: boolean;
  /** The fixed Authorization value the webhook must carry, when one is configured. */
  authorization: string | null;
}

const FOUND_TTL_MS = 30_000;
/** Endpoints kept (fresh or stale): far more than one process serves. */
const MAX_FOUND = 10_000;
// Unknown ids are remembered briefly: a real endpoint id is random, so a new connection's id has never
// been asked for before it exists (and saving a connection forgets its id here anyway).
const MISSING_TTL_MS = 10_000;
const MAX_MISSING = 50_000;

export type CachedEndpoint =
  | { kind: "found"; endpoint: WebhookEndpoint }
  /** Known to exist, but its entry expired: look it up again. */
  | { kind: "stale" }
  | { kind: "missing" };

interface Entries {
  found: Map<string, { endpoint: WebhookEndpoint; expiresAt: number }>;
  missing: Map<string, number>;
}

declare global {
  var __ckoWebhookEndpointCache: Entries | undefined;
}

const entries = (): Entries => (globalThis.__ckoWebhookEndpointCache ??= { found: new Map(), missing: new Map() });

/** Sets `key` as the newest entry of `map`, dropping the oldest beyond `max` (a Map iterates in insertion order). */
function setNewest<V>(map: Map<string, V>, key: string, value: V, max: number) {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as string);
}

export const webhookEndpointCache = {
  /** What is known about an endpoint id, or undefined when nothing is. */
  get(endpointId: string, now = Date.now()): CachedEndpoint | undefined {
    const { found, missing } = entries();
    const hit = found.get(endpointId);
    if (hit) return hit.expiresAt > now ? { kind: "found", endpoint: hit.endpoint } : { kind: "stale" };
    const missingUntil = missing.get(endpointId);
    if (missingUntil === undefined) return undefined;
    if (missingUntil > now) return { kind: "missing" };
    missing.delete(endpointId);
    return undefined;
  },
  /** Records a lookup's answer: the endpoint, or null for "no such endpoint". */
  set(endpointId: string, endpoint: WebhookEndpoint | null, now = Date.now()) {
    const { found, missing } = entries();
    if (endpoint) {
      missing.delete(endpointId);
      setNewest(found, endpointId, { endpoint, expiresAt: now + FOUND_TTL_MS }, MAX_FOUND);
    } else {
      found.delete(endpointId);
      setNewest(missing, endpointId, now + MISSING_TTL_MS, MAX_MISSING);
    }
  },
  forget(endpointId: string) {
    entries().found.delete(endpointId);
    entries().missing.delete(endpointId);
  },
  clear() {
    entries().found.clear();
    entries().missing.clear();
  },
  /** How many endpoints and unknown ids are held (tests). */
  sizes() {
    return { found: entries().found.size, missing: entries().missing.size };
  },
};
