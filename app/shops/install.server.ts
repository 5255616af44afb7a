// Uninstall and reinstall. Uninstalling stops everything the app does for the shop at once: its
// sessions go, its pending and running jobs are canceled (and the worker claims none of its jobs
// while it is uninstalled, app/queue/lease.server.ts), Checkout.com deliveries are refused unstored
// (app/webhooks/receive.server.ts, and the webhook workflow the app registered is deleted at
// Checkout.com), the Zendesk sidebar is refused, agent tokens are revoked and the Zendesk account is disconnected (its OAuth
// token revoked at Zendesk). Its data stays until shop/redact (48 hours later) so a quick reinstall loses nothing, and a reinstall starts with no stale work.
// Install and reinstall each queue a backfill of the order index (app/orders/backfill.server.ts).
import { webhookEndpointCache } from "../checkout/webhook-endpoint-cache.server";
import { removeWebhookWorkflows } from "../checkout/workflow.server";
import { db } from "../db.server";
import { log } from "../log.server";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";
import { disconnectZendeskAccount } from "../zendesk/account.server";

const CANCELED = "canceled";

/** app/uninstalled: stop everything for the shop. */
export async function markUninstalled(domain: string, now = new Date()) {
  const shop = await db().shop.findUnique({ where: { domain }, select: { id: true, checkoutConnections: { select: { endpointId: true } } } });
  const [, , , jobs] = await db().$transaction([
    db().session.deleteMany({ where: { shop: domain } }),
    // Agent tokens are revoked for good: a reinstall must not bring an old token back to life.
    db().agentToken.updateMany({ where: { shopId: shop?.id ?? "", revokedAt: null }, data: { revokedAt: now, revokedBy: "uninstall" } }),
    db().shop.updateMany({ where: { domain }, data: { uninstalledAt: now } }),
    db().job.updateMany({
      where: { shopId: shop?.id ?? "", status: { in: ["pending", "processing"] } },
      data: { status: CANCELED, lastError: "Canceled: the app was uninstalled", leaseOwner: null, leaseExpiresAt: null },
    }),
  ]);
  // This process refuses its deliveries at once; others when their cached endpoint expires (30 s).
  for (const { endpointId } of shop?.checkoutConnections ?? []) webhookEndpointCache.forget(endpointId);
  if (shop) await removeWebhookWorkflows(shop.id);
  // The app no longer acts in the merchant's Zendesk: its token is revoked there and forgotten here.
  if (shop) await disconnectZendeskAccount(shop.id, "system", "system");
  log.info("shop.uninstalled", { shop: domain, jobsCanceled: jobs.count });
}

/**
 * The order index's first backfill, queued after every authentication but run once per shop (its key
 * is fixed). The index then stays current through the order webhooks.
 */
export async function queueFirstOrderBackfill(shopId: string) {
  await enqueueJob(shopId, JOB_KINDS.orderBackfill, "install", {});
}

/** After a (re)install's authentication: active again, without work left over from before. */
export async function markReinstalled(domain: string) {
  const shop = await db().shop.findUnique({ where: { domain }, select: { id: true, uninstalledAt: true } });
  if (!shop?.uninstalledAt) return;
  const [jobs] = await db().$transaction([
    db().job.updateMany({
      where: { shopId: shop.id, status: { in: ["pending", "processing"] } },
      data: { status: CANCELED, lastError: "Canceled: created before the app was reinstalled", leaseOwner: null, leaseExpiresAt: null },
    }),
    db().shop.updateMany({ where: { id: shop.id, uninstalledAt: { not: null } }, data: { uninstalledAt: null } }),
  ]);
  // Orders created while the app was away sent it no webhooks: the order index reads them again.
  await enqueueJob(shop.id, JOB_KINDS.orderBackfill, `reinstall:${shop.uninstalledAt.toISOString()}`, {});
  const connections = await db().checkoutConnection.findMany({ where: { shopId: shop.id }, select: { endpointId: true, workflowStatus: true } });
  for (const { endpointId } of connections) webhookEndpointCache.forget(endpointId);
  // The uninstall deleted the webhook workflows: the worker registers them again.
  if (connections.some((c) => c.workflowStatus === "removed"))
    await enqueueJob(shop.id, JOB_KINDS.webhookWorkflow, `reinstall:${shop.uninstalledAt.toISOString()}`, {});
  log.info("shop.reinstalled", { shop: domain, staleJobsCanceled: jobs.count });
}
