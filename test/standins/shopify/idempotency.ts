// The `@idempotent(key:)` directive on mutations that document it (here: refundCreate), as Shopify
// runs it from API version 2026-04: the key is required at run time; a repeat with the same key and
// the same arguments, from the same app on the same shop, returns the first result without acting
// again; the same key with other arguments is refused (IDEMPOTENCY_KEY_PARAMETER_MISMATCH); a
// repeat while the first is still running is refused (IDEMPOTENCY_CONCURRENT_REQUEST); keys are kept
// 24 hours of the stand-in's clock. Refusals are top-level errors: the field answers null.
import { getDirectiveValues, GraphQLError, type GraphQLResolveInfo } from "graphql";
import type { Clock } from "./store";

const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

type Entry = { state: "in_flight"; fingerprint: string } | { state: "done"; fingerprint: string; result: unknown; storedAt: number };

/** JSON with object keys sorted, so equal arguments give equal text whatever their order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The key given with `@idempotent(key:)` on this field, or undefined. */
function idempotencyKey(info: GraphQLResolveInfo): string | undefined {
  const directive = info.schema.getDirective("idempotent");
  if (!directive) return undefined;
  const values = getDirectiveValues(directive, info.fieldNodes[0], info.variableValues) as { key?: string } | undefined;
  return values?.key;
}

const refusal = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

export function createIdempotencyKeys(clock: Clock, ttlMs = IDEMPOTENCY_TTL_MS) {
  const entries = new Map<string, Entry>();

  return {
    /**
     * Runs `act` once per key: `scope` is the shop, the app and the field; `args` the field's
     * arguments. Results of failed runs (thrown errors) are not kept, so the key can be used again.
     */
    async run<T>(info: GraphQLResolveInfo, scope: string, args: unknown, act: () => Promise<T> | T): Promise<T> {
      const key = idempotencyKey(info);
      if (key === undefined) {
        throw refusal(
          `${info.fieldName} requires an idempotency key: add @idempotent(key: "<unique key>") to the field (required since API version 2026-04).`,
          "BAD_REQUEST",
        );
      }
      if (!key.trim()) throw refusal("The idempotency key cannot be an empty string or whitespace only.", "BAD_REQUEST");
      const id = `${scope}\u0000${key}`;
      const fingerprint = canonical(args);
      const now = clock();
      const existing = entries.get(id);
      if (existing?.state === "done" && now - existing.storedAt >= ttlMs) entries.delete(id);
      const current = entries.get(id);
      if (current) {
        if (current.fingerprint !== fingerprint)
          throw refusal("The same idempotency key cannot be used with different operation parameters.", "IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
        if (current.state === "in_flight") throw refusal("This request is currently in progress, please try again.", "IDEMPOTENCY_CONCURRENT_REQUEST");
        return current.result as T;
      }
      entries.set(id, { state: "in_flight", fingerprint });
      try {
        const result = await act();
        entries.set(id, { state: "done", fingerprint, result, storedAt: clock() });
        return result;
      } catch (error) {
        entries.delete(id);
        throw error;
      }
    },
  };
}

export type IdempotencyKeys = ReturnType<typeof createIdempotencyKeys>;
