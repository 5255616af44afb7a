// Follow-up work that must survive a crash (order matching, holds, dispute sync). Enqueueing is
// idempotent: the same (shop, kind, key) is one job, however often it is enqueued.
import { db, type Tx } from "../db.server";

export async function enqueueJob(
  shopId: string,
  kind: string,
  key: string,
  payload: unknown = {},
  options: { runAt?: Date; tx?: Tx } = {},
) {
  const client = options.tx ?? db();
  return client.job.upsert({
    where: { shopId_kind_key: { shopId, kind, key } },
    update: {},
    create: { shopId, kind, key, payload: JSON.stringify(payload), runAt: options.runAt ?? new Date() },
  });
}
