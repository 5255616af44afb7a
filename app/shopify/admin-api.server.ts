// Calls to the Shopify Admin GraphQL API from background work (worker jobs), paced by Shopify's
// cost-based rate limit: each shop has a leaky bucket reported in `extensions.cost.throttleStatus`.
// We track it per shop, wait before a call when the bucket is low, and on THROTTLED wait for it to
// refill and try again, so work slows down but is never dropped.
import { GraphqlQueryError, HttpMaxRetriesError, HttpRequestError, HttpRetriableError, HttpThrottlingError } from "@shopify/shopify-api";
import type { AdminOperations } from "@shopify/admin-api-client";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { sleep } from "../lib/retry";
import { log } from "../log.server";
import { unauthenticated } from "../shopify.server";

interface ThrottleStatus {
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

/**
 * The app holds no offline access token for the shop: it was uninstalled, or its token was lost and
 * comes back when someone opens the app in the Shopify admin. Retryable: work waits for it.
 */
export class ShopifyNoSessionError extends ShopifyApiError {
  constructor(readonly shop: string) {
    super(`The app has no access to ${shop} in Shopify right now; opening the app in the Shopify admin restores it`, true);
    this.name = "ShopifyNoSessionError";
  }
}

/** What we reserve for a document before Shopify has told us its cost. */
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

function estimateAvailable(bucket: Bucket, now: number) {
  return Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + ((now - bucket.at) / 1000) * bucket.restoreRate);
}

/** How long to wait before spending `cost` from the bucket (0 when it can be spent now). */
function waitFor(bucket: Bucket | undefined, cost: number, now: number) {
  if (!bucket) return 0;
  const missing = cost - estimateAvailable(bucket, now);
  return missing <= 0 ? 0 : Math.ceil((missing / bucket.restoreRate) * 1000);
}

/** Per shop, the callers waiting for their turn to send (a promise chain, first come first served). */
const turns = new Map<string, Promise<void>>();

/** Per shop, calls sent and not yet answered, in the order they were sent. */
interface Flight {
  seq: number;
  cost: number;
}
const inFlight = new Map<string, Flight[]>();
let nextSeq = 0;

/**
 * Waits for this caller's turn for the shop, then until the bucket as we know it holds `cost`, and
 * takes `cost` from it. Callers send one after another on the freshest estimate instead of all
 * sending the moment the bucket looks full enough. Returns the call's flight, to land when answered.
 */
async function takeTurn(shop: string, cost: number, now: () => number, wait: (ms: number) => Promise<void>): Promise<Flight> {
  const before = turns.get(shop) ?? Promise.resolve();
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const mine = before.then(() => finished);
  turns.set(shop, mine);
  await before;
  try {
    const delay = waitFor(buckets.get(shop), cost, now());
    if (delay > 0) await wait(delay);
    const bucket = buckets.get(shop);
    if (bucket) buckets.set(shop, { ...bucket, currentlyAvailable: estimateAvailable(bucket, now()) - cost, at: now() });
    const flight = { seq: nextSeq++, cost };
    inFlight.set(shop, [...(inFlight.get(shop) ?? []), flight]);
    return flight;
  } finally {
    done();
    if (turns.get(shop) === mine) turns.delete(shop);
  }
}

/** Takes the answered call off the shop's list; calls sent after it are not in its answer's figures. */
function land(shop: string, flight: Flight): number {
  const flights = (inFlight.get(shop) ?? []).filter((f) => f !== flight);
  if (flights.length) inFlight.set(shop, flights);
  else inFlight.delete(shop);
  return flights.filter((f) => f.seq > flight.seq).reduce((sum, f) => sum + f.cost, 0);
}

/** What Shopify said each document costs up front (its requested cost), so we reserve that much. */
const requestedCosts = new Map<string, number>();

/** Shopify's figures from an answer, less what we sent after that call (not in its figures yet). */
function record(shop: string, cost: CostExtension | undefined, now: number, sentSince = 0) {
  const status = cost?.throttleStatus;
  if (status) buckets.set(shop, { ...status, currentlyAvailable: status.currentlyAvailable - sentSince, at: now });
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
      const { admin } = await unauthenticated.admin(shop).catch((error: unknown) => {
        if (error instanceof SessionNotFoundError) throw new ShopifyNoSessionError(shop);
        throw error;
      });
      const response = await admin.graphql(document, { variables, tries: 3 });
      return (await response.json()) as { data?: unknown; extensions?: { cost?: CostExtension } };
    });

  /** Sends one of the app's Admin documents; its variables and answer are typed by Shopify's codegen (app/types/). */
  async function request<Document extends keyof AdminOperations & string>(
    document: Document,
    ...[variables]: AdminOperations[Document]["variables"] extends Record<string, never> ? [] : [AdminOperations[Document]["variables"]]
  ): Promise<AdminOperations[Document]["return"]> {
    let reserve = options.reserve ?? requestedCosts.get(document) ?? DEFAULT_RESERVE;
    for (let attempt = 0; ; attempt++) {
      const flight = await takeTurn(shop, reserve, now, wait);
      try {
        const body = await send(document, variables);
        record(shop, body.extensions?.cost, now(), land(shop, flight));
        const requested = body.extensions?.cost?.requestedQueryCost;
        if (requested) requestedCosts.set(document, requested);
        return body.data as AdminOperations[Document]["return"];
      } catch (error) {
        const sentSince = land(shop, flight);
        const throttled = throttledCost(error);
        if (throttled) {
          log.warn("shopify.throttled", { shop, attempt, requestedQueryCost: throttled.requestedQueryCost ?? null });
          record(shop, throttled, now(), sentSince);
          reserve = Math.max(reserve, throttled.requestedQueryCost ?? reserve);
          if (attempt < MAX_THROTTLED_RETRIES) continue;
          throw new ShopifyApiError("Shopify kept throttling this shop; the work will be retried", true);
        }
        if (error instanceof HttpRequestError) {
          log.warn("shopify.unreachable", { shop, error: error.message.split("\n")[0] });
          throw new ShopifyApiError("Shopify could not be reached", true);
        }
        if (error instanceof HttpMaxRetriesError) {
          log.warn("shopify.unavailable", { shop, error: "retries exhausted" });
          throw new ShopifyApiError("Shopify is unavailable: it kept answering with server errors", true);
        }
        if (error instanceof HttpRetriableError || error instanceof HttpThrottlingError) {
          log.warn("shopify.unavailable", { shop, error: error.message.split("\n")[0] });
          throw new ShopifyApiError(`Shopify is unavailable: ${error.message.split("\n")[0]}`, true);
        }
        if (error instanceof GraphqlQueryError) {
          // The same idempotency key is still being worked on by Shopify: asking again later is right.
          const concurrent = errorCodes(error).includes("IDEMPOTENCY_CONCURRENT_REQUEST");
          throw new ShopifyApiError(`Shopify refused the request: ${error.message}`, concurrent);
        }
        throw error;
      }
    }
  }

  return { request };
}

/** A paced Admin API caller for one shop (tests pass one backed by the stand-in). */
export type ShopifyAdmin = ReturnType<typeof adminApi>;

type ErrorBody = { errors?: { graphQLErrors?: Array<{ extensions?: { code?: string } }> }; extensions?: { cost?: CostExtension } } | undefined;

/** The `extensions.code` of each top-level GraphQL error Shopify answered. */
function errorCodes(error: GraphqlQueryError): string[] {
  return ((error.body as ErrorBody)?.errors?.graphQLErrors ?? []).map((e) => e.extensions?.code ?? "");
}

/** The cost extension of a THROTTLED answer, or null for any other error. */
function throttledCost(error: unknown): CostExtension | null {
  if (!(error instanceof GraphqlQueryError) || !errorCodes(error).includes("THROTTLED")) return null;
  return (error.body as ErrorBody)?.extensions?.cost ?? {};
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
  turns.clear();
  inFlight.clear();
}
