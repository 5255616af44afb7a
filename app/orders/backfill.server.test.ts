// The order index's backfill against the Shopify stand-in: queued at install (once) and at each
// reinstall, it pages through the last 60 days of orders, one `order_backfill` job per page, and
// records on the shop when it is done.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createAppWorker, JOB_HANDLERS } from "../events/registry.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { markReinstalled, queueFirstOrderBackfill } from "../shops/install.server";
import { installShop, shopifyCalls, startShopifyStandIn, type ShopifyStandIn } from "../../test/helpers/holds";
import { BACKFILL_PAGE_SIZE, backfillOrderIndexPage } from "./backfill.server";
import { indexedOrder } from "./order-index.server";

let world: ReturnType<typeof startShopifyStandIn>;
let standIn: ShopifyStandIn;

beforeAll(() => {
  // A bucket the pages do not run dry: pacing is tested elsewhere (app/shopify/admin-api.server.test.ts).
  world = startShopifyStandIn({ maximumAvailable: 20_000, restoreRate: 10_000 });
  standIn = world.standIn;
});
afterAll(() => world.close());

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** Runs the shop's backfill jobs (and nothing else) until none is left. */
async function runBackfillJobs() {
  const worker = createAppWorker({ jobHandlers: { [JOB_KINDS.orderBackfill]: JOB_HANDLERS[JOB_KINDS.orderBackfill] } });
  await worker.runUntilIdle();
}

const backfillJobs = (shopId: string) =>
  db().job.findMany({ where: { shopId, kind: JOB_KINDS.orderBackfill }, orderBy: { createdAt: "asc" }, select: { key: true, status: true } });

describe("order index backfill", () => {
  it("pages through the last 60 days of orders, a job per page, and records when it is done", async () => {
    const shop = await installShop(standIn);
    const recent = Array.from({ length: BACKFILL_PAGE_SIZE + 12 }, (_, i) =>
      standIn.store.createOrder({
        shop: shop.domain,
        email: `buyer${i}@example.com`,
        createdAt: daysAgo(59 * (i / (BACKFILL_PAGE_SIZE + 12))),
        payment: { paymentId: `pay_backfill${String(i).padStart(16, "0")}` },
      }),
    );
    const old = standIn.store.createOrder({ shop: shop.domain, createdAt: daysAgo(61) });
    const elsewhere = await installShop(standIn);
    const foreign = standIn.store.createOrder({ shop: elsewhere.domain });

    await queueFirstOrderBackfill(shop.shop.id);
    await queueFirstOrderBackfill(shop.shop.id); // afterAuth runs on every token exchange: still one run
    await runBackfillJobs();

    expect(await backfillJobs(shop.shop.id)).toEqual([
      { key: "install", status: "done" },
      { key: "install:page:2", status: "done" },
    ]);
    expect(shopifyCalls(standIn, shop.domain)).toEqual(["OrderIndexBackfill", "OrderIndexBackfill"]);
    expect(await db().indexedOrder.count({ where: { shopId: shop.shop.id } })).toBe(recent.length);
    const sample = recent[7];
    expect(await indexedOrder(shop.shop.id, sample.id)).toMatchObject({
      name: sample.name,
      email: "buyer7@example.com",
      total: 9400,
      currency: "USD",
      checkoutToken: sample.checkoutToken,
      transactionIds: expect.arrayContaining([`pay_backfill${String(7).padStart(16, "0")}`]),
    });
    expect(await indexedOrder(shop.shop.id, old.id)).toBeNull();
    expect(await indexedOrder(shop.shop.id, foreign.id)).toBeNull();
    expect((await db().shop.findUniqueOrThrow({ where: { id: shop.shop.id } })).ordersIndexedAt).toBeInstanceOf(Date);
  });

  it("runs again after a reinstall, for the orders created while the app was away", async () => {
    const shop = await installShop(standIn);
    await queueFirstOrderBackfill(shop.shop.id);
    await runBackfillJobs();
    const uninstalledAt = new Date();
    await db().shop.update({ where: { id: shop.shop.id }, data: { uninstalledAt } });
    const whileAway = standIn.store.createOrder({ shop: shop.domain });

    await markReinstalled(shop.domain);
    await queueFirstOrderBackfill(shop.shop.id);
    await runBackfillJobs();
    expect((await backfillJobs(shop.shop.id)).map((j) => j.key)).toEqual(["install", `reinstall:${uninstalledAt.toISOString()}`]);
    expect(await indexedOrder(shop.shop.id, whileAway.id)).toMatchObject({ name: whileAway.name });
  });

  it("stops for a shop that uninstalled the app, without asking Shopify", async () => {
    const shop = await installShop(standIn);
    standIn.store.createOrder({ shop: shop.domain });
    await db().shop.update({ where: { id: shop.shop.id }, data: { uninstalledAt: new Date() } });
    expect(await backfillOrderIndexPage(shop.shop.id, "install", {})).toEqual({ indexed: 0, done: false });
    expect(shopifyCalls(standIn, shop.domain)).toEqual([]);
  });
});
