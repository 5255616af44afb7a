// Group commit for webhooks answered before Remix: the writes of one kind that arrive in the same turn
// of the event loop are written per shop in one transaction, and each webhook is answered once its
// write committed. In a sale Shopify's order webhooks arrive as fast as payments do, and each lone
// write was a commit of its own (on SQLite the dearest statements per payment, decision 0009).
import { db } from "../db.server";
import { inPreparedTransaction, type RawSql } from "./prepared-sql.server";

type Waiting<T> = { item: T; resolve: () => void; reject: (error: unknown) => void };

/**
 * A writer of items that commits those of one shop arriving together in one transaction (`write`, at
 * most `maxTogether` items each). The returned function resolves once its item is committed; when a
 * transaction fails, every item of it is refused (Shopify retries each webhook) and no other shop's.
 */
export function groupCommit<T>(
  maxTogether: number,
  write: (shopId: string, items: T[], tx: RawSql) => Promise<void>,
): (shopId: string, item: T) => Promise<void> {
  const waiting = new Map<string, Array<Waiting<T>>>();

  async function writeWaiting(shopId: string) {
    const items = waiting.get(shopId) ?? [];
    waiting.delete(shopId);
    for (let start = 0; start < items.length; start += maxTogether) {
      const batch = items.slice(start, start + maxTogether);
      const batchItems = batch.map((w) => w.item);
      try {
        await inPreparedTransaction(db(), (tx) => write(shopId, batchItems, tx));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
  }

  return (shopId, item) =>
    new Promise((resolve, reject) => {
      const ofShop = waiting.get(shopId);
      if (ofShop) ofShop.push({ item, resolve, reject });
      else {
        waiting.set(shopId, [{ item, resolve, reject }]);
        // Let the webhooks already readable join: a turn of the event loop later.
        setImmediate(() => void writeWaiting(shopId));
      }
    });
}
