// The paced caller against a simulated Shopify bucket (fake clock): concurrent calls for one shop
// take turns, so none is answered THROTTLED, and a THROTTLED answer is waited out and retried.
import { GraphqlQueryError } from "@shopify/shopify-api";
import { beforeEach, describe, expect, it } from "vitest";
import { adminApi, resetThrottleStateForTests, type GraphqlTransport } from "./admin-api.server";

/** Shopify's leaky bucket for one shop: the requested cost must be available when a call arrives. */
function simulatedShop(maximumAvailable: number, restoreRate: number, cost: number) {
  let clock = 0;
  let available = maximumAvailable;
  let at = 0;
  const sentAt: number[] = [];
  let throttled = 0;
  const status = () => ({ maximumAvailable, currentlyAvailable: available, restoreRate });
  const transport: GraphqlTransport = async () => {
    await Promise.resolve(); // the network: other callers run meanwhile
    available = Math.min(maximumAvailable, available + ((clock - at) / 1000) * restoreRate);
    at = clock;
    if (available < cost) {
      throttled++;
      const body = {
        errors: { graphQLErrors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] },
        extensions: { cost: { requestedQueryCost: cost, throttleStatus: status() } },
      };
      throw new GraphqlQueryError({ message: "Throttled", response: {}, body });
    }
    available -= cost;
    sentAt.push(clock);
    return { data: { ok: true }, extensions: { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: status() } } };
  };
  return {
    transport,
    options: { now: () => clock, wait: async (ms: number) => void (clock += ms) },
    get throttled() {
      return throttled;
    },
    sentAt,
  };
}

beforeEach(() => resetThrottleStateForTests());

describe("adminApi pacing", () => {
  it("lets concurrent callers for one shop take turns instead of all spending the bucket at once", async () => {
    const shop = simulatedShop(100, 50, 40);
    const api = adminApi("paced.myshopify.com", shop.transport, shop.options);
    await api.request("query { shop { id } }"); // learns the bucket and the document's cost
    await Promise.all(Array.from({ length: 10 }, () => api.request("query { shop { id } }")));
    expect(shop.throttled).toBe(0);
    expect(shop.sentAt).toHaveLength(11);
    // 11 calls of 40 points from a 100-point bucket refilling at 50/s need at least (440 - 100) / 50 s.
    expect(shop.sentAt.at(-1)).toBeGreaterThanOrEqual(6_800);
  });

  it("waits out a THROTTLED answer and retries until the call goes through", async () => {
    const shop = simulatedShop(100, 10, 90);
    const api = adminApi("throttled.myshopify.com", shop.transport, shop.options);
    // Not knowing the bucket yet, both go at once; the second is THROTTLED, waits and succeeds.
    const results = await Promise.all([api.request("query { a: shop { id } }"), api.request("query { a: shop { id } }")]);
    expect(results).toEqual([{ ok: true }, { ok: true }]);
    expect(shop.throttled).toBeGreaterThan(0);
    expect(shop.sentAt).toHaveLength(2);
  });
});
