// The import from Checkout.com when a shop connects it: without it nothing from before the connection
// appears. First the account's open disputes (GET /disputes), each synced by the dispute_sync job that
// webhooks use, its payment recorded; then the payments of the shop's last 30 days of orders, found by
// the references the orders give (GET /payments/{id} for a payment id on an order's transaction, else
// GET /payments?reference= with its name, number, id or Shopify payment id) and recorded with their
// actions (app/payments/import.server.ts), each reviewed as an imported payment: matched to its
// order and put through the risk rules, but held only while its order has something left to ship.
//
// One page per `checkout_backfill` job, as the order index's backfill (app/orders/backfill.server.ts):
// a page's records, its progress and the next page's job commit together, so a crash or a restart
// repeats at most that page, and repeating it changes nothing (payments are recorded by payment and
// action id, disputes synced by id through jobs keyed by it, progress counted once per page). Pages
// are small and go through the queue one at a time: a 429 from Checkout.com puts the page off
// (JobMustWait) rather than retrying at once, and the reviews the payments queue read Shopify through
// the app's paced Admin API caller. The payments wait for the order index's own backfill, which they
// read. A run stops when the app is uninstalled, when Checkout.com is disconnected, or when the shop's
// active connection is no longer the one, with the keys, it started for.
import { createHash } from "node:crypto";
import type { CheckoutBackfill, CheckoutConnection, IndexedOrder } from "@prisma/client";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { db, type Tx } from "../db.server";
import { OPEN_DISPUTE_STATUSES } from "../disputes/status";
import { log } from "../log.server";
import { importPayment } from "../payments/import.server";
import { enqueueJob, JOB_KINDS, JobMustWait, type JobHandler } from "../queue/jobs.server";
import type { CheckoutClient } from "./client.server";
import { clientFor, connectionSecrets, getConnection, inConnectionChannels, processingChannelsOf } from "./connection.server";
import { CheckoutError, explainCheckoutError } from "./errors";
import { checkoutErrorCandidates } from "./error-words";
import { recognise, type Said } from "../i18n/domain-words";
import type { Words } from "../i18n/locales";
import type { PaymentActionDetails, PaymentDetails } from "./schemas";

/** Open disputes per page: each may cost two more calls (its payment and the payment's actions). */
export const DISPUTE_PAGE_SIZE = 25;
/** Orders per page: each costs one to six calls, and each payment found one more (its actions). */
export const ORDER_PAGE_SIZE = 10;
const PAYMENT_DAYS = 30;
/** At most this many of an order's other transaction ids are tried as references (receipts hold many values). */
const TRANSACTION_REFERENCES = 3;
const RATE_LIMITED_WAIT_MS = 60_000;
const ORDER_INDEX_WAIT_MS = 60_000;
/** A page retries a failed call once itself; after that the queue's backoff (or JobMustWait) spaces the attempts. */
const CLIENT_OPTIONS = { retry: { retries: 1, baseMs: 500, maxMs: 2_000 }, timeoutMs: 15_000 };

const RUNNING_PHASES: readonly string[] = ["disputes", "payments"];
/** A Checkout.com payment id: pay_ and 26 characters (what Shopify's own "pay_..." ids are not). */
const PAYMENT_ID = /^pay_[a-z0-9]{26}$/;

const pageSchema = z.object({
  run: z.string().min(1).max(300),
  phase: z.enum(["disputes", "payments"]),
  page: z.number().int().positive(),
  /** The retry the page belongs to: a retry's jobs get keys of their own. */
  retry: z.number().int().nonnegative(),
  /** Payments: orders created from then on (30 days before the run started), after `after` in (createdAt, orderGid) order. */
  since: z.string().datetime().optional(),
  after: z.object({ createdAt: z.string().datetime(), orderGid: z.string().max(200) }).nullish(),
});
type BackfillPage = z.infer<typeof pageSchema>;

/**
 * A run is one connection with one secret key: a new key may be another account's, which is imported
 * again. The key is named by a fingerprint (the first 48 bits of its SHA-256), which tells keys apart
 * and gives nothing of them away. Also the key of the run's first job.
 */
const runOf = (c: CheckoutConnection) => `connect:${c.id}:${createHash("sha256").update(connectionSecrets(c).secretKey).digest("hex").slice(0, 12)}`;

const jobKeyOf = (p: BackfillPage) =>
  p.phase === "disputes" && p.page === 1 && p.retry === 0 ? p.run : `${p.run}${p.retry ? `:retry:${p.retry}` : ""}:${p.phase}:page:${p.page}`;

/** Where a run goes on: the next page's payload, kept on the row. */
function resumePage(backfill: Pick<CheckoutBackfill, "resumeFrom">): BackfillPage | null {
  if (!backfill.resumeFrom) return null;
  const parsed = pageSchema.safeParse(JSON.parse(backfill.resumeFrom));
  return parsed.success ? parsed.data : null;
}

async function queuePage(tx: Tx, shopId: string, page: BackfillPage) {
  await enqueueJob(shopId, JOB_KINDS.checkoutBackfill, jobKeyOf(page), page, { tx });
}

/**
 * Starts the import for a connection, once per connection and secret key; true when it started one.
 * Call it when a connection becomes the shop's active one (its first save, or a switch of environment)
 * and when the active one's secret key changes. A connection that is not the active one imports
 * nothing (its events are not acted on either). With `tx` it starts with the caller's transaction.
 */
export async function startCheckoutBackfill(shopId: string, connection: CheckoutConnection, tx?: Tx): Promise<boolean> {
  if (connection.shopId !== shopId || !connection.active) return false;
  const run = runOf(connection);
  const first: BackfillPage = { run, phase: "disputes", page: 1, retry: 0 };
  const start = async (t: Tx) => {
    // The first job is the guard: its key is unique, so a second start (a double save) adds nothing.
    if (!(await enqueueJob(shopId, JOB_KINDS.checkoutBackfill, jobKeyOf(first), first, { tx: t }))) return false;
    await t.checkoutBackfill.create({ data: { shopId, connectionId: connection.id, run, resumeFrom: JSON.stringify(first) } });
    return true;
  };
  const started = tx ? await start(tx) : await db().$transaction(start);
  if (started) log.info("checkout.backfill_started", { shopId, connectionId: connection.id });
  return started;
}

interface BackfillOptions {
  client?: CheckoutClient;
  now?: Date;
}

interface FetchedPayment {
  payment: PaymentDetails;
  actions: PaymentActionDetails[];
}

/**
 * The payments (by id, or as listed) with their actions, one call after the other; a payment
 * Checkout.com does not know (another account's, or from before June 2022) is left out.
 */
async function fetchPayments(client: CheckoutClient, payments: Array<PaymentDetails | string>): Promise<FetchedPayment[]> {
  const fetched: FetchedPayment[] = [];
  for (const payment of payments) {
    try {
      const details = typeof payment === "string" ? await client.getPayment(payment) : payment;
      fetched.push({ payment: details, actions: await client.getPaymentActions(details.id) });
    } catch (error) {
      if (!(error instanceof CheckoutError && error.kind === "not_found")) throw error;
    }
  }
  return fetched;
}

/** The references an order's payment may carry, as matching compares them (app/holds/matching.ts). */
function referencesOf(order: IndexedOrder, transactionIds: string[]): string[] {
  const others = transactionIds.filter((v) => !/^(pay|act)_/.test(v)).slice(0, TRANSACTION_REFERENCES);
  return [...new Set([order.name, order.name.replace(/^#/, ""), order.legacyId, ...others])].filter(Boolean);
}

/**
 * The order's Checkout.com payments: by id when a transaction of the order carries one, else by the
 * first of its references that Checkout.com knows payments for.
 */
async function paymentsOfOrder(client: CheckoutClient, order: IndexedOrder, transactionIds: string[]): Promise<FetchedPayment[]> {
  const byId = await fetchPayments(
    client,
    transactionIds.filter((v) => PAYMENT_ID.test(v)),
  );
  if (byId.length) return byId;
  for (const reference of referencesOf(order, transactionIds)) {
    const { data } = await client.listPayments({ reference, limit: 100 });
    if (data.length) return fetchPayments(client, data);
  }
  return [];
}

/**
 * Records a page as done, with what it found, and queues the next page (or finishes the run), in the
 * page's transaction. Only once: a page counted already (its job ran twice) rolls the transaction back.
 */
async function finishPage(
  tx: Tx,
  backfill: CheckoutBackfill,
  page: BackfillPage,
  next: BackfillPage | null,
  found: { disputes?: number; payments: number; pagesTotal?: number },
  now: Date,
) {
  const { count } = await tx.checkoutBackfill.updateMany({
    where: { id: backfill.id, phase: page.phase, pagesDone: page.page - 1, retries: page.retry },
    data: {
      disputesFound: { increment: found.disputes ?? 0 },
      paymentsFound: { increment: found.payments },
      lastError: null,
      resumeFrom: next ? JSON.stringify(next) : null,
      ...(next?.phase === page.phase
        ? { pagesDone: page.page, ...(found.pagesTotal !== undefined ? { pagesTotal: found.pagesTotal } : {}) }
        : next
          ? { phase: next.phase, pagesDone: 0, pagesTotal: null }
          : { phase: "done", pagesDone: page.page, pagesTotal: page.page, finishedAt: now }),
    },
  });
  if (count === 0) throw new Error(`Checkout.com import page ${page.phase} ${page.page} was recorded already`);
  if (next) await queuePage(tx, backfill.shopId, next);
}

/** What a page works with. */
interface PageContext {
  client: CheckoutClient;
  backfill: CheckoutBackfill;
  page: BackfillPage;
  /** The connection's processing channels (none: all of the account's). */
  channels: string[];
  now: Date;
}

/** Whether a payment is this shop's (its processing channel), as its events are (app/events/handlers.server.ts). */
const ofThisShop = ({ payment }: FetchedPayment, channels: string[]) =>
  inConnectionChannels((payment as { processing_channel_id?: unknown }).processing_channel_id, channels);

/** Open disputes: each synced by its own dispute_sync job, its payment recorded first so the sync links it. */
async function disputesPage({ client, backfill, page, channels, now }: PageContext) {
  const skip = (page.page - 1) * DISPUTE_PAGE_SIZE;
  const list = await client.listDisputes({ statuses: OPEN_DISPUTE_STATUSES, limit: DISPUTE_PAGE_SIZE, skip });
  const paymentIds = [...new Set(list.data.flatMap((d) => (d.payment_id && PAYMENT_ID.test(d.payment_id) ? [d.payment_id] : [])))];
  const fetched = await fetchPayments(client, paymentIds);
  const payments = fetched.filter((p) => ofThisShop(p, channels));
  // A dispute on another shop's payment is that shop's.
  const elsewhere = new Set(fetched.filter((p) => !ofThisShop(p, channels)).map((p) => p.payment.id));
  const disputes = list.data.filter((d) => !d.payment_id || !elsewhere.has(d.payment_id));
  const total = list.total_count ?? skip + list.data.length;
  // Listed latest update first: a dispute updated meanwhile may come twice (synced once), and its webhook tells the rest.
  const more = list.data.length === DISPUTE_PAGE_SIZE && skip + list.data.length < total;
  const next: BackfillPage = more
    ? { ...page, page: page.page + 1 }
    : { run: page.run, phase: "payments", page: 1, retry: page.retry, since: new Date(backfill.startedAt.getTime() - PAYMENT_DAYS * 86_400_000).toISOString() };
  await db().$transaction(async (tx) => {
    let recorded = 0;
    for (const { payment, actions } of payments) if ((await importPayment(tx, backfill.shopId, payment, actions))?.created) recorded++;
    for (const d of disputes) await enqueueJob(backfill.shopId, JOB_KINDS.disputeSync, `${d.id}:backfill`, { ckoDisputeId: d.id }, { tx });
    await finishPage(
      tx,
      backfill,
      page,
      next,
      { disputes: disputes.length, payments: recorded, pagesTotal: Math.max(1, Math.ceil(total / DISPUTE_PAGE_SIZE)) },
      now,
    );
  });
}

/** The payments of a page of the order index's orders of the last 30 days, oldest first; orders already matched to a payment are skipped. */
async function paymentsPage({ client, backfill, page, channels, now }: PageContext) {
  const { shopId } = backfill;
  const since = new Date(page.since ?? backfill.startedAt.getTime() - PAYMENT_DAYS * 86_400_000);
  const after = page.after ? { createdAt: new Date(page.after.createdAt), orderGid: page.after.orderGid } : null;
  const window = { shopId, createdAt: { gte: since } };
  const orders = await db().indexedOrder.findMany({
    where: { ...window, ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, orderGid: { gt: after.orderGid } }] } : {}) },
    orderBy: [{ createdAt: "asc" }, { orderGid: "asc" }],
    take: ORDER_PAGE_SIZE,
  });
  const gids = orders.map((o) => o.orderGid);
  const [linked, references, pagesTotal] = await Promise.all([
    db().orderLink.findMany({ where: { shopId, orderGid: { in: gids } }, select: { orderGid: true } }),
    db().indexedOrderReference.findMany({ where: { shopId, orderGid: { in: gids } }, select: { orderGid: true, value: true } }),
    page.page === 1
      ? db()
          .indexedOrder.count({ where: window })
          .then((n) => Math.max(1, Math.ceil(n / ORDER_PAGE_SIZE)))
      : undefined,
  ]);
  const matched = new Set(linked.map((l) => l.orderGid));
  const found = new Map<string, FetchedPayment>();
  for (const order of orders) {
    // Its payment is known already (a webhook, or an earlier page): nothing to ask.
    if (matched.has(order.orderGid)) continue;
    const ids = references.filter((r) => r.orderGid === order.orderGid).map((r) => r.value);
    for (const fetched of await paymentsOfOrder(client, order, ids)) if (ofThisShop(fetched, channels)) found.set(fetched.payment.id, fetched);
  }
  const last = orders.at(-1);
  const next: BackfillPage | null =
    last && orders.length === ORDER_PAGE_SIZE
      ? { ...page, page: page.page + 1, after: { createdAt: last.createdAt.toISOString(), orderGid: last.orderGid } }
      : null;
  const recorded = await db().$transaction(async (tx) => {
    let count = 0;
    for (const { payment, actions } of found.values()) if ((await importPayment(tx, shopId, payment, actions))?.created) count++;
    await finishPage(tx, backfill, page, next, { payments: count, pagesTotal }, now);
    return count;
  });
  if (!next) log.info("checkout.backfill_done", { shopId, run: backfill.run, disputes: backfill.disputesFound, payments: backfill.paymentsFound + recorded });
}

/** Why a run stopped or retries, recorded in English (lastError), each with its words (errors.checkout.backfill.*). */
const RECORDED = {
  missingScope: "The secret key may not read disputes or payments: give it the disputes and payments scopes in the Checkout.com Dashboard, then retry.",
  keyChanged: "The secret key changed before the import finished: the new key's account is imported instead.",
  connectionChanged: "The Checkout.com connection changed before the import finished.",
  disconnected: "Checkout.com was disconnected before the import finished. Connect it again in Settings, then retry.",
  notConnected: "Connect Checkout.com in Settings first.",
  stopped: "The import stopped.",
  stoppedEarly: "The import stopped before it finished.",
} satisfies Record<string, string>;

/**
 * The words of an import's recorded error (BackfillProgress's error and lastError), recognised from
 * its English so Home can say it in the reader's language; null for one it does not know (a job's raw error).
 */
export function backfillErrorWords(recorded: string | null | undefined): Said | null {
  if (!recorded) return null;
  return recognise(recorded, [...Object.keys(RECORDED).map((name) => ({ key: `checkout.backfill.${name}` })), ...checkoutErrorCandidates(recorded)]);
}

/** Stops the run for good (the connection it was for is gone), with the reason shown. */
async function stop(backfill: CheckoutBackfill, reason: string) {
  await db().checkoutBackfill.updateMany({ where: { id: backfill.id, phase: { in: [...RUNNING_PHASES] } }, data: { phase: "stopped", lastError: reason } });
}

/**
 * What a failed Checkout.com call does to the page: a rate limit puts it off, an outage retries it
 * with the queue's backoff, and a refusal (the key, its scopes, an answer the app cannot read) fails
 * the run until someone retries it: repeating the same call would get the same answer.
 */
async function onCheckoutError(backfill: CheckoutBackfill, page: BackfillPage, error: CheckoutError): Promise<void> {
  const message = error.kind === "authentication" && error.status === 403 ? RECORDED.missingScope : explainCheckoutError(error);
  if (error.kind === "rate_limited" || error.kind === "unavailable" || error.kind === "conflict") {
    await db().checkoutBackfill.updateMany({ where: { id: backfill.id, retries: page.retry }, data: { lastError: message } });
    if (error.kind === "rate_limited") throw new JobMustWait(message, RATE_LIMITED_WAIT_MS);
    throw error;
  }
  log.warn("checkout.backfill_failed", { shopId: backfill.shopId, phase: page.phase, page: page.page, kind: error.kind, status: error.status });
  await db().checkoutBackfill.updateMany({
    where: { id: backfill.id, retries: page.retry, phase: page.phase },
    data: { phase: "failed", lastError: message, resumeFrom: JSON.stringify(page) },
  });
}

/** Runs one page of a run; does nothing for a page done already, or a run that finished, failed or stopped. */
export async function runBackfillPage(shopId: string, page: BackfillPage, options: BackfillOptions = {}): Promise<void> {
  const backfill = await db().checkoutBackfill.findUnique({ where: { shopId_run: { shopId, run: page.run } } });
  if (!backfill || backfill.phase !== page.phase || backfill.retries !== page.retry || backfill.pagesDone !== page.page - 1) return;
  const shop = await db().shop.findUnique({ where: { id: shopId }, select: { uninstalledAt: true, ordersIndexedAt: true } });
  if (!shop || shop.uninstalledAt) return;
  const connection = await getConnection(shopId);
  if (!connection) return stop(backfill, RECORDED.disconnected);
  if (runOf(connection) !== backfill.run) return stop(backfill, connection.id === backfill.connectionId ? RECORDED.keyChanged : RECORDED.connectionChanged);
  // The payments are found through the order index: its own backfill must have finished.
  if (page.phase === "payments" && !shop.ordersIndexedAt)
    throw new JobMustWait("Waiting for the shop's recent orders to be read from Shopify", ORDER_INDEX_WAIT_MS);
  const context: PageContext = {
    client: options.client ?? clientFor(connection, CLIENT_OPTIONS),
    backfill,
    page,
    channels: processingChannelsOf(connection),
    now: options.now ?? new Date(),
  };
  try {
    await (page.phase === "disputes" ? disputesPage(context) : paymentsPage(context));
  } catch (error) {
    if (!(error instanceof CheckoutError)) throw error;
    await onCheckoutError(backfill, page, error);
  }
}

/** `checkout_backfill`: one page; key "connect:<connection>:<keys>" for the first, then "<run>[:retry:<n>]:<phase>:page:<n>". */
export const checkoutBackfillJob: JobHandler = async (job) => {
  const page = pageSchema.safeParse(job.payload);
  if (!page.success) throw new Error(`checkout_backfill payload is not a page: ${page.error.issues[0]?.message}`);
  await runBackfillPage(job.shopId, page.data);
};

/** The current connection's run, as Home shows it. */
export type BackfillProgress =
  | {
      state: "running";
      phase: "disputes" | "payments";
      /** The payments wait for the order index's backfill. */
      waitingForOrders: boolean;
      page: number;
      pages: number | null;
      disputesFound: number;
      paymentsFound: number;
      /** The last failure the run is retrying through (a rate limit, an outage). */
      lastError: string | null;
    }
  | { state: "done"; disputesFound: number; paymentsFound: number; finishedAt: string }
  | { state: "failed"; phase: string; disputesFound: number; paymentsFound: number; error: string };

async function currentRun(shopId: string) {
  const connection = await getConnection(shopId);
  return connection ? db().checkoutBackfill.findUnique({ where: { shopId_run: { shopId, run: runOf(connection) } } }) : null;
}

/** The import of the shop's active connection, or null when it has none (no connection, or connected before imports existed). */
export async function backfillProgress(shopId: string): Promise<BackfillProgress | null> {
  const backfill = await currentRun(shopId);
  if (!backfill) return null;
  const found = { disputesFound: backfill.disputesFound, paymentsFound: backfill.paymentsFound };
  if (backfill.phase === "done") return { state: "done", ...found, finishedAt: (backfill.finishedAt ?? backfill.updatedAt).toISOString() };
  const next = resumePage(backfill);
  if (backfill.phase !== "disputes" && backfill.phase !== "payments") {
    return { state: "failed", phase: next?.phase ?? backfill.phase, ...found, error: backfill.lastError ?? RECORDED.stopped };
  }
  // Running means its next page's job is waiting or running; without one it was interrupted (its
  // attempts ran out, or an uninstall canceled it).
  const [job, shop] = await Promise.all([
    next ? db().job.findUnique({ where: { shopId_kind_key: { shopId, kind: JOB_KINDS.checkoutBackfill, key: jobKeyOf(next) } } }) : null,
    db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { ordersIndexedAt: true } }),
  ]);
  if (!job || (job.status !== "pending" && job.status !== "processing")) {
    return { state: "failed", phase: backfill.phase, ...found, error: backfill.lastError ?? job?.lastError ?? RECORDED.stoppedEarly };
  }
  return {
    state: "running",
    phase: backfill.phase,
    waitingForOrders: backfill.phase === "payments" && !shop.ordersIndexedAt,
    page: backfill.pagesDone + 1,
    pages: backfill.pagesTotal,
    ...found,
    lastError: backfill.lastError,
  };
}

/** Goes on with a failed or interrupted import where it stopped, audited. */
export async function retryCheckoutBackfill(shopId: string, actor: string): Promise<{ ok: boolean; message: string; words: Words }> {
  if (!(await getConnection(shopId))) return { ok: false, message: RECORDED.notConnected, words: { key: "checkout.backfill.notConnected" } };
  const [backfill, progress] = await Promise.all([currentRun(shopId), backfillProgress(shopId)]);
  const from = backfill && resumePage(backfill);
  if (!backfill || !from || progress?.state !== "failed")
    return { ok: false, message: "There is no stopped import from Checkout.com to retry.", words: { key: "checkout.backfill.nothingToRetry" } };
  const retry = backfill.retries + 1;
  const page: BackfillPage = { ...from, retry };
  const retried = await db().$transaction(async (tx) => {
    // Conditional on the retry count: a double click retries once.
    const { count } = await tx.checkoutBackfill.updateMany({
      where: { id: backfill.id, retries: backfill.retries },
      data: { retries: retry, phase: page.phase, lastError: null, resumeFrom: JSON.stringify(page) },
    });
    if (count) await queuePage(tx, shopId, page);
    return count > 0;
  });
  if (retried)
    await audit({ shopId, actor, source: "admin", action: "checkout.backfill.retry", details: { phase: page.phase, page: page.page }, result: "ok" });
  return { ok: true, message: "The import from Checkout.com goes on where it stopped.", words: { key: "checkout.backfill.resumed" } };
}
