// Calculated query cost, the leaky bucket (driven by an injected clock, no sleeping) and fault
// injection behave like Shopify's rate limiting.
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../helpers/env";
import { createShopifyStandIn, type ShopifyStandIn } from "./index";

const SHOP = "north-loop.myshopify.com";

let now: number;
let standIn: ShopifyStandIn;
beforeEach(() => {
  now = Date.parse("2026-06-01T12:00:00Z");
  standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, clock: () => now, bucket: { maximumAvailable: 100, restoreRate: 10 } });
  standIn.store.createShop({ domain: SHOP });
  for (let i = 0; i < 3; i++) standIn.store.createOrder({ shop: SHOP });
});

type Body = {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  extensions: {
    cost: {
      requestedQueryCost: number;
      actualQueryCost: number | null;
      throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
    };
  };
};
const run = async (query: string) => (await standIn.graphql(SHOP, { query })).body as Body;

// orders(first: 20): 2 + 20 × (order 1 + customer 1) = 42 requested; 3 orders exist → 2 + 3 × 2 = 8 actual.
const ORDERS = "{ orders(first: 20) { nodes { id customer { id } } } }";

describe("query cost", () => {
  it("charges objects 1, scalars 0 and connections by page size, and refunds what was not returned", async () => {
    const body = await run(ORDERS);
    expect(body.extensions.cost).toEqual({
      requestedQueryCost: 42,
      actualQueryCost: 8,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 92, restoreRate: 10 },
    });
    expect((await run("{ shop { name currencyCode } }")).extensions.cost.requestedQueryCost).toBe(1);
  });

  it("charges a mutation 10", async () => {
    const body = await run('mutation { tagsAdd(id: "gid://shopify/Order/1", tags: ["x"]) { node { id } userErrors { message } } }');
    expect(body.extensions.cost.requestedQueryCost).toBe(10);
  });

  it("refuses a query that costs more than 1000 on its own", async () => {
    standIn.limits.configure({ maximumAvailable: 5000 });
    const body = await run("{ orders(first: 250) { nodes { id customer { id } lineItems(first: 10) { nodes { id } } } } }");
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0].extensions?.code).toBe("MAX_COST_EXCEEDED");
  });
});

describe("leaky bucket", () => {
  it("answers THROTTLED once the bucket cannot pay, without running the query", async () => {
    standIn.limits.bucket(SHOP).set(41);
    const body = await run(ORDERS);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: "Throttled", extensions: expect.objectContaining({ code: "THROTTLED" }) }]);
    expect(body.extensions.cost).toMatchObject({ requestedQueryCost: 42, actualQueryCost: null, throttleStatus: { currentlyAvailable: 41 } });
  });

  it("empties under load and refills at the restore rate as time passes", async () => {
    let answered = 0;
    while (!(await run(ORDERS)).errors) answered++;
    // Each call pays 8 net, and the next one needs 42 up front: 100 → ... until fewer than 42 remain.
    expect(answered).toBe(8);
    expect(standIn.limits.bucket(SHOP).status().currentlyAvailable).toBe(36);
    now += 500;
    expect((await run(ORDERS)).errors?.[0].message).toBe("Throttled");
    now += 100;
    const body = await run(ORDERS);
    expect(body.errors).toBeUndefined();
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBe(34);
    now += 60_000;
    expect(standIn.limits.bucket(SHOP).status().currentlyAvailable).toBe(100);
  });

  it("keeps a bucket per shop", async () => {
    standIn.store.createShop({ domain: "second.myshopify.com" });
    standIn.limits.bucket(SHOP).set(0);
    const other = (await standIn.graphql("second.myshopify.com", { query: ORDERS })).body as Body;
    expect(other.errors).toBeUndefined();
  });
});

describe("fault injection", () => {
  it("fails the next calls as asked, then recovers", async () => {
    standIn.limits.failNext(1, 503);
    standIn.limits.failNext(1, "THROTTLED");
    const down = await standIn.graphql(SHOP, { query: ORDERS });
    expect(down).toEqual({ status: 503, body: { errors: "Service Unavailable" } });
    expect((await run(ORDERS)).errors?.[0].extensions?.code).toBe("THROTTLED");
    expect((await run(ORDERS)).errors).toBeUndefined();
  });

  it("fails a configured fraction of calls", async () => {
    const draws = [0.05, 0.5, 0.5, 0.5, 0.2];
    const faulty = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, random: () => draws.shift() ?? 0.9 });
    faulty.store.createShop({ domain: SHOP });
    faulty.limits.setFaults({ serverErrorRate: 0.1, serverErrorStatus: 502, throttledRate: 0.3 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await faulty.graphql(SHOP, { query: "{ shop { name } }" });
      statuses.push(response.status === 200 ? ((response.body as Body).errors?.[0].extensions?.code ?? "ok") : response.status);
    }
    // draw 0.05 < 0.1 → 502; draws 0.5 and 0.5 → neither; draws 0.5 then 0.2 < 0.3 → THROTTLED.
    expect(statuses).toEqual([502, "ok", "THROTTLED"]);
  });
});
