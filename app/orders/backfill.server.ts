// Filling the order index with the shop's last 60 days of orders (what Shopify lets the app read
// without read_all_orders), at install and at every reinstall (orders created while the app was away
// sent it no webhooks). One page per `order_backfill` job, each page's orders and the next page's job
// written in one transaction: a crash repeats at most one page, and the pages share the shop's
// Admin API bucket with urgent work (holds) instead of holding it for the whole backfill.
import { z } from "zod";
import { db } from "../db.server";
import { toCandidate } from "../holds/shopify-orders.server";
import { log } from "../log.server";
import { enqueueJob, JOB_KINDS, type JobHandler } from "../queue/jobs.server";
import { adminApi, type ShopifyAdmin } from "../shopify/admin-api.server";
import { indexOrders } from "./order-index.server";
import { ORDER_BACKFILL_QUERY } from "./shopify-documents";

const BACKFILL_DAYS = 60;
export const BACKFILL_PAGE_SIZE = 50;

/** Job payload: the first page's job has none; each next page's carries where to go on. */
const pageSchema = z.object({
  since: z.string().datetime().optional(),
  after: z.string().max(2_000).nullish(),
  page: z.number().int().positive().optional(),
});

type BackfillPage = z.infer<typeof pageSchema>;

export interface BackfillOptions {
  api?: ShopifyAdmin;
  now?: Date;
  pageSize?: number;
}

/** The key of a run's later page: the run's first key ("install", "reinstall:<when>") and the page. */
const pageKey = (key: string, page: number) => `${key.replace(/:page:\d+$/, "")}:page:${page}`;

/**
 * Indexes one page and queues the next, or records the backfill as done on the shop after the last.
 * A shop that uninstalled the app meanwhile stops here.
 */
export async function backfillOrderIndexPage(shopId: string, key: string, payload: BackfillPage, options: BackfillOptions = {}) {
  const shop = await db().shop.findUnique({ where: { id: shopId }, select: { domain: true, uninstalledAt: true } });
  if (!shop || shop.uninstalledAt) return { indexed: 0, done: false };
  const now = options.now ?? new Date();
  const since = payload.since ?? new Date(now.getTime() - BACKFILL_DAYS * 86_400_000).toISOString();
  const page = payload.page ?? 1;
  const api = options.api ?? adminApi(shop.domain);
  const { orders } = await api.request(ORDER_BACKFILL_QUERY, {
    first: options.pageSize ?? BACKFILL_PAGE_SIZE,
    after: payload.after ?? null,
    query: `created_at:>='${since}'`,
  });
  const snapshots = orders.nodes.map(toCandidate);
  const next = orders.pageInfo.hasNextPage && orders.pageInfo.endCursor ? orders.pageInfo.endCursor : null;
  await db().$transaction(async (tx) => {
    await indexOrders(shopId, snapshots, tx);
    if (next) await enqueueJob(shopId, JOB_KINDS.orderBackfill, pageKey(key, page + 1), { since, after: next, page: page + 1 }, { tx });
    else await tx.shop.update({ where: { id: shopId }, data: { ordersIndexedAt: now } });
  });
  if (!next) log.info("orders.backfilled", { shopId, pages: page, since });
  return { indexed: snapshots.length, done: !next };
}

/** `order_backfill`: key "install" or "reinstall:<when>" for a run's first page, then "<run>:page:<n>". */
export const orderBackfillJob: JobHandler = async (job) => {
  const payload = pageSchema.safeParse(job.payload ?? {});
  if (!payload.success) throw new Error(`order_backfill payload is not a page: ${payload.error.issues[0]?.message}`);
  await backfillOrderIndexPage(job.shopId, job.key, payload.data);
};
