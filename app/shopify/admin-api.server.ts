// Calls to the Shopify Admin GraphQL API from background work (worker jobs), paced by Shopify's
// cost-based rate limit: each shop has a leaky bucket reported in `extensions.cost.throttleStatus`.
// We track it per shop, wait before a call when the bucket is low, and on THROTTLED wait for it to
// refill and try again, so work slows down but is never dropped.
import { GraphqlQueryError, HttpRetriableError, HttpThrottlingError } from "@shopify/shopify-api";
import { sleep } from "../checkout/retry";
import { unauthenticated } from "../shopify.server";

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface Bucket extends ThrottleStatus {
  at: number;
}

export class ShopifyApiError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly userErrors: Array<{ field?: string[] | null; message: string; code?: string | null }> = [],
  ) {
    super(message);
    this.name = "ShopifyApiError";
  }
}

/** Requests a typical call of ours costs; we wait rather than spend the bucket below it. */
const DEFAULT_RESERVE = 100;
const MAX_THROTTLED_RETRIES = 20;

export interface GraphqlTransport {
  (document: string, variables?: Record<string, unknown>): Promise<{ data?: unknown; extensions?: { cost?: CostExtension } }>;
}

interface CostExtension {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}

/** Per-shop pacing state, shared by every call in this process. */
const buckets = new Map<string, Bucket>();

export function estimateAvailable(bucket: Bucket, now: number) {
  return Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + ((now - bucket.at) / 1000) * bucket.restoreRate);
}

/** How long to wait before spending `cost` from the bucket (0 when it can be spent now). */
export function waitFor(bucket: Bucket | undefined, cost: number, now: number) {
  if (!bucket) return 0;
  const missing = cost - estimateAvailable(bucket, now);
  return missing <= 0 ? 0 : Math.ceil((missing / bucket.restoreRate) * 1000);
}

function record(shop: string, cost: CostExtension | undefined, now: number) {
  const status = cost?.throttleStatus;
  if (status) buckets.set(shop, { ...status, at: now });
}

export interface AdminApiOptions {
  now?: () => number;
  wait?: (ms: number) => Promise<void>;
  reserve?: number;
}

/** A paced GraphQL caller for one shop. `transport` defaults to the shop's offline session. */
export function adminApi(shop: string, transport?: GraphqlTransport, options: AdminApiOptions = {}) {
  const now = options.now ?? Date.now;
  const wait = options.wait ?? sleep;
  const send: GraphqlTransport =
    transport ??
    (async (document, variables) => {
      const { admin } = await unauthenticated.admin(shop);
      const response = await admin.graphql(document, { variables, tries: 3 });
      return (await response.json()) as { data?: unknown; extensions?: { cost?: CostExtension } };
    });

  async function request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    let reserve = options.reserve ?? DEFAULT_RESERVE;
    for (let attempt = 0; ; attempt++) {
      const delay = waitFor(buckets.get(shop), reserve, now());
      if (delay > 0) await wait(delay);
      try {
        const body = await send(document, variables);
        record(shop, body.extensions?.cost, now());
        return body.data as T;
      } catch (error) {
        const throttled = throttledCost(error);
        if (throttled) {
          record(shop, throttled, now());
          reserve = Math.max(reserve, throttled.requestedQueryCost ?? reserve);
          if (attempt < MAX_THROTTLED_RETRIES) continue;
          throw new ShopifyApiError("Shopify kept throttling this shop; the work will be retried", true);
        }
        if (error instanceof HttpRetriableError || error instanceof HttpThrottlingError) {
          throw new ShopifyApiError(`Shopify is unavailable: ${error.message.split("\n")[0]}`, true);
        }
        if (error instanceof GraphqlQueryError) {
          throw new ShopifyApiError(`Shopify refused the request: ${error.message}`, false);
        }
        throw error;
      }
    }
  }

  return { request };
}

/** The cost extension of a THROTTLED answer, or null for any other error. */
function throttledCost(error: unknown): CostExtension | null {
  if (!(error instanceof GraphqlQueryError)) return null;
  const body = error.body as
    | { errors?: { graphQLErrors?: Array<{ extensions?: { code?: string } }> }; extensions?: { cost?: CostExtension } }
    | undefined;
  const throttled = body?.errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED");
  return throttled ? (body?.extensions?.cost ?? {}) : null;
}

/** Throws when a mutation payload carries userErrors. */
export function assertNoUserErrors(
  operation: string,
  payload: { userErrors?: Array<{ field?: string[] | null; message: string; code?: string | null }> } | null | undefined,
) {
  const errors = payload?.userErrors ?? [];
  if (errors.length) {
    throw new ShopifyApiError(`${operation}: ${errors.map((e) => e.message).join("; ")}`, false, errors);
  }
}

export function resetThrottleStateForTests() {
  buckets.clear();
}
