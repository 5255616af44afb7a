// `Cko-Idempotency-Key`, as Checkout.com documents it: a repeat of a request that succeeded gets the
// same status and body without acting again; a request that failed (validation, business rule) saves
// nothing, so it can be retried; a duplicate that arrives while the first is still being processed
// gets 409; keys expire after 24 hours. Keys are per account.
export interface StoredResponse {
  status: number;
  body?: unknown;
}

type Entry = { state: "in_flight"; fingerprint: string } | { state: "done"; fingerprint: string; response: StoredResponse; storedAt: number };

export type Claim =
  | { kind: "new"; finish(response: StoredResponse): void }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "in_flight" }
  /** The key was used for a different request (another path or body). */
  | { kind: "mismatch" };

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

export function createIdempotencyStore(clock: () => Date, ttlMs = IDEMPOTENCY_TTL_MS) {
  const entries = new Map<string, Entry>();

  return {
    /** Claims a key for a request identified by `fingerprint` (method, path and body). */
    claim(accountId: string, key: string, fingerprint: string): Claim {
      const id = `${accountId}\u0000${key}`;
      const now = clock().getTime();
      const entry = entries.get(id);
      if (entry?.state === "done" && now - entry.storedAt >= ttlMs) entries.delete(id);
      const current = entries.get(id);
      if (current) {
        if (current.fingerprint !== fingerprint) return { kind: "mismatch" };
        return current.state === "in_flight" ? { kind: "in_flight" } : { kind: "replay", response: current.response };
      }
      entries.set(id, { state: "in_flight", fingerprint });
      return {
        kind: "new",
        finish(response) {
          if (response.status >= 200 && response.status < 300) {
            entries.set(id, { state: "done", fingerprint, response, storedAt: clock().getTime() });
          } else entries.delete(id);
        },
      };
    },
  };
}
