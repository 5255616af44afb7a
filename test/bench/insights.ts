// `npm run bench:insights`: the Insights page at a large merchant's volume (issue 21), in this process
// on SQLite:
//   1. seeds one shop (New York time, USD, four currencies, twelve countries) with 1,000,000 payments over
//      13 months (5% declined, of each class; the approved ones captured with their capture on the
//      timeline), 5,000 disputes and 20,000 holds (two rules, some monitor-only), bulk-inserted, then
//      rebuilds its daily roll-ups from them (`rebuildInsights`, as `npm run insights:rebuild` does);
//   2. times the Insights page's loader as the embedded admin calls it (session token, staff member):
//      90-day ranges ending on different days, all currencies, one currency, one country
//      (target p95 <= 200 ms);
//   3. the roll-up's cost while events are processed: another shop's payment events (approved,
//      captured, some declined) are put in the inbox and the app's worker processes them with the
//      roll-up job registered; `rollup_overhead_pct` is the time spent keeping the roll-ups current
//      (the roll-up jobs, timed as they run, and the stale marks the events wrote, timed on their own
//      in the same run) over the time the worker took (target <= 5%). The other jobs the events queue
//      (matching, Flow) are left out, which makes the share larger than in production, not smaller.
// Prints the figures and last a JSON line; exits 1 when a target is missed.
// Run: node --import tsx test/bench/insights.ts [--payments=1000000] [--requests=200] [--events=4000]
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import Database from "better-sqlite3";
import { appEnv, buildAppIfNeeded } from "../helpers/app-server";
import { testEnv } from "../helpers/env";
import { measureRoute, migratedSqlite, sqliteTime, type LatencyFigures } from "./in-process";

const LOADER_P95_TARGET_MS = 200;
const OVERHEAD_TARGET_PCT = 5;
const DAY_MS = 86_400_000;
const TIME_ZONE = "America/New_York";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const paymentCount = arg("payments", 1_000_000);
const requests = arg("requests", 200);
const eventCount = arg("events", 4_000);
// The mix, scaled with the payments.
const declineCount = Math.round(paymentCount * 0.05);
const disputeCount = Math.round(paymentCount * 0.005);
const holdCount = Math.round(paymentCount * 0.02);
const seconds = (since: number) => Number(((performance.now() - since) / 1000).toFixed(2));

const CURRENCIES = ["USD", "USD", "USD", "EUR", "EUR", "GBP", "JPY", "USD", "EUR", "USD"];
const COUNTRIES = ["US", "US", "US", "CA", "GB", "DE", "FR", "NL", "JP", "AU", "BR", "IN"];
const SCHEMES = ["visa", "mastercard", "amex"];
const DECLINES: Array<{ code: string; reason: string; klass: string }> = [
  { code: "20051", reason: "Insufficient Funds", klass: "soft" },
  { code: "20005", reason: "Declined - Do Not Honour", klass: "soft" },
  { code: "20087", reason: "Bad Track Data", klass: "soft" },
  { code: "20054", reason: "Expired Card", klass: "hard" },
  { code: "20014", reason: "Invalid Card Number", klass: "hard" },
  { code: "20059", reason: "Suspected Fraud", klass: "risk" },
  { code: "30046", reason: "Card Closed", klass: "hard" },
];
const DISPUTE_CATEGORIES = ["fraudulent", "product_service_not_received", "unrecognized", "duplicate", "credit_not_processed", "general"];
const DISPUTE_STATUSES = ["won", "lost", "won", "lost", "accepted", "evidence_required", "evidence_under_review"];
const RULES = ["risk_score", "amount", "card_country", "ip_country"];

/** The big shop's raw rows, in one transaction per table. */
function seedRawRows(file: string, shopId: string, now: number) {
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  const span = 395 * DAY_MS;
  const payment = raw.prepare(
    `INSERT INTO "Payment" ("id","shopId","ckoPaymentId","reference","amount","currency","status","capturedAmount","refundedAmount","customerEmail","cardScheme","cardBin","cardCountry","billingCountry","responseCode","responseSummary","declineClass","processedOn","matchStatus","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const activity = raw.prepare(
    `INSERT INTO "PaymentActivity" ("id","shopId","paymentId","sourceKey","kind","type","amount","currency","summary","occurredAt","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const ids: string[] = [];
  const times: number[] = [];
  const approved: number[] = [];
  raw.transaction(() => {
    for (let n = 0; n < paymentCount; n++) {
      const id = randomUUID();
      // Spread over 13 months, busier in the afternoon than at night.
      const at = now - span + Math.floor((n / paymentCount) * span) + ((n * 7_919) % 3_600) * 1_000;
      const currency = CURRENCIES[n % CURRENCIES.length];
      const amount = (currency === "JPY" ? 100 : 1) * (1_000 + ((n * 7_919) % 40_000));
      const country = COUNTRIES[(n * 31) % COUNTRIES.length];
      const declined = n % 20 === 7;
      const decline = DECLINES[(n * 13) % DECLINES.length];
      const refunded = !declined && n % 50 === 3 ? Math.floor(amount / 2) : 0;
      const time = sqliteTime(at);
      payment.run(
        id,
        shopId,
        `pay_b${n.toString(32).padStart(24, "0")}`,
        `#${1_000_000 + n}`,
        amount,
        currency,
        declined ? "Declined" : refunded ? "Partially Refunded" : "Captured",
        declined ? 0 : amount,
        refunded,
        `customer${n % 200_000}@example.com`,
        SCHEMES[n % SCHEMES.length],
        String(400_000 + ((n * 17) % 300)),
        COUNTRIES[(n * 7) % COUNTRIES.length],
        country,
        declined ? decline.code : "10000",
        declined ? decline.reason : "Approved",
        declined ? decline.klass : null,
        time,
        "matched",
        time,
        time,
      );
      ids.push(id);
      times.push(at);
      if (!declined) {
        approved.push(n);
        const capturedAt = at + (5 + (n % 600)) * 60_000;
        activity.run(
          randomUUID(),
          shopId,
          id,
          `evt_c${n}`,
          "event",
          "payment_captured",
          amount,
          currency,
          "Captured",
          sqliteTime(capturedAt),
          sqliteTime(capturedAt),
        );
      }
    }
  })();

  const dispute = raw.prepare(
    `INSERT INTO "Dispute" ("id","shopId","ckoDisputeId","paymentId","ckoPaymentId","category","reasonCode","amount","currency","status","receivedOn","submittedAt","acceptedAt","closedAt","responseState","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const hold = raw.prepare(
    `INSERT INTO "Hold" ("id","shopId","paymentId","orderGid","orderName","status","monitorOnly","ruleHits","externalId","decidedAt","heldAt","resolvedAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  raw.transaction(() => {
    for (let k = 0; k < disputeCount; k++) {
      const n = approved[(k * 193) % approved.length];
      const receivedAt = times[n] + 20 * DAY_MS;
      if (receivedAt > now) continue;
      const status = DISPUTE_STATUSES[k % DISPUTE_STATUSES.length];
      const submitted = status === "won" || status === "lost" || status === "evidence_under_review" ? sqliteTime(receivedAt + 3 * DAY_MS) : null;
      const closed = status === "won" || status === "lost" || status === "accepted" ? sqliteTime(receivedAt + 40 * DAY_MS) : null;
      dispute.run(
        randomUUID(),
        shopId,
        `dsp_b${k}`,
        ids[n],
        `pay_b${n.toString(32).padStart(24, "0")}`,
        DISPUTE_CATEGORIES[k % DISPUTE_CATEGORIES.length],
        "10.4",
        1_000 + (k % 9_000),
        CURRENCIES[n % CURRENCIES.length],
        status,
        sqliteTime(receivedAt),
        submitted,
        status === "accepted" ? sqliteTime(receivedAt + DAY_MS) : null,
        closed,
        submitted ? "submitted" : status === "accepted" ? "accepted" : "none",
        sqliteTime(receivedAt),
        sqliteTime(receivedAt),
      );
    }
    for (let k = 0; k < holdCount; k++) {
      const n = approved[(k * 47) % approved.length];
      const decided = times[n] + 2_000;
      const monitorOnly = k % 5 === 4;
      const status = monitorOnly ? "monitored" : ["released", "released", "canceled", "held"][k % 4];
      const hits = [
        { rule: RULES[k % RULES.length], value: 1, threshold: 1 },
        ...(k % 3 === 0 ? [{ rule: RULES[(k + 1) % RULES.length], value: 1, threshold: 1 }] : []),
      ];
      const resolved = status === "released" || status === "canceled" ? sqliteTime(decided + (1 + (k % 48)) * 3_600_000) : null;
      hold.run(
        randomUUID(),
        shopId,
        ids[n],
        `gid://shopify/Order/${9_000_000 + k}`,
        `#${1_000_000 + n}`,
        status,
        monitorOnly ? 1 : 0,
        JSON.stringify(hits),
        `hold-b${k}`,
        sqliteTime(decided),
        monitorOnly ? null : sqliteTime(decided + 1_000),
        resolved,
        sqliteTime(decided),
      );
    }
  })();
  raw.close();
}

/** A Checkout.com payment event as the inbox stores it. */
function paymentEvent(type: string, n: number, at: number) {
  const declined = type === "payment_declined";
  return {
    id: `evt_i${type.slice(8, 11)}${n}`,
    type,
    created_on: new Date(at).toISOString(),
    data: {
      id: `pay_i${n.toString(32).padStart(24, "0")}`,
      action_id: `act_i${type.slice(8, 11)}${n}`,
      amount: 2_500 + (n % 1_000),
      currency: n % 3 === 0 ? "EUR" : "USD",
      reference: `#${2_000_000 + n}`,
      processed_on: new Date(at).toISOString(),
      response_code: declined ? "20051" : "10000",
      response_summary: declined ? "Insufficient Funds" : "Approved",
      customer: { email: `buyer${n}@example.com` },
      source: { scheme: "visa", bin: "424242", issuer_country: "US", billing_address: { country: "US" } },
    },
  };
}

async function main() {
  const { dir, file } = migratedSqlite("cko-bench-insights-");
  try {
    Object.assign(process.env, appEnv(`file:${file}`, { LOG_LEVEL: "silent", SCOPES: testEnv.SCOPES }));
    const { resetEnvForTests } = await import("../../app/env.server");
    resetEnvForTests();
    const { db } = await import("../../app/db.server");
    const { createConnectedShop } = await import("../helpers/factories");
    const { extensionRequest, seedOfflineSession, seedStaff, sessionToken } = await import("../helpers/session-token");
    const { rebuildInsights, insightsRollupJob, refreshInsights } = await import("../../app/insights/rollup.server");
    const { createAppWorker } = await import("../../app/events/registry.server");
    const { JOB_KINDS } = await import("../../app/queue/jobs.server");
    const { localDay, addDays } = await import("../../app/lib/dates");
    buildAppIfNeeded();
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
    const build = (await import(path.join(root, "build/server/index.js"))) as ServerBuild;
    const insightsLoader = build.routes["routes/app.insights"].module.loader!;

    const now = Date.now();
    // Connected: part 3's events are this shop's too, so each roll-up recomputes days as full as a large merchant's.
    const { shop, connection } = await createConnectedShop("bench-insights.myshopify.com");
    await db().shop.update({ where: { id: shop.id }, data: { ianaTimezone: TIME_ZONE, currency: "USD" } });
    await db().currencyRate.createMany({
      data: [
        { shopId: shop.id, currency: "EUR", rate: 1.08, validFrom: addDays(localDay(new Date(now), TIME_ZONE), -400), source: "bench" },
        { shopId: shop.id, currency: "GBP", rate: 1.27, validFrom: addDays(localDay(new Date(now), TIME_ZONE), -400), source: "bench" },
        { shopId: shop.id, currency: "JPY", rate: 0.0067, validFrom: addDays(localDay(new Date(now), TIME_ZONE), -400), source: "bench" },
      ],
    });
    const STAFF = 74_200_001;
    await seedOfflineSession(shop.domain);
    await seedStaff(shop.domain, { userId: STAFF, role: "owner" });

    // ---- 1. the raw rows, and the roll-ups built from them ----
    const seeding = performance.now();
    seedRawRows(file, shop.id, now);
    const seedS = seconds(seeding);
    const rebuilding = performance.now();
    await rebuildInsights(shop.id);
    const rebuildS = seconds(rebuilding);
    const rollupRows = await db().insightPaymentDay.count({ where: { shopId: shop.id } });
    const declined = await db().insightDeclineDay.aggregate({ where: { shopId: shop.id }, _sum: { declines: true } });
    if ((declined._sum.declines ?? 0) !== declineCount) throw new Error(`the roll-ups count ${declined._sum.declines} declines of ${declineCount}`);
    console.log(
      `Seeded ${paymentCount.toLocaleString("en")} payments (${declineCount.toLocaleString("en")} declined), ${disputeCount.toLocaleString("en")} disputes, ${holdCount.toLocaleString("en")} holds in ${seedS} s; rebuilt the roll-ups in ${rebuildS} s (${rollupRows.toLocaleString("en")} payment-day rows); ${os.cpus().length} CPUs`,
    );

    // ---- 2. the page: 90-day ranges, all currencies, one currency, one country ----
    const today = localDay(new Date(now), TIME_ZONE);
    const filters = ["", "&currency=EUR", "&country=GB", "&currency=USD&country=US"];
    const pageRequest = async (i: number) => {
      const to = addDays(today, -(i % 30));
      const query = `?from=${addDays(to, -89)}&to=${to}${filters[i % filters.length]}`;
      return {
        handler: insightsLoader,
        request: extensionRequest(`/app/insights${query}`, shop.domain, { token: sessionToken(shop.domain, { userId: STAFF }) }),
        params: {},
      };
    };
    // Shopify's library logs a line per admin request (console.log): kept out of the figures' output.
    const log = console.log;
    let page: LatencyFigures;
    console.log = () => {};
    try {
      await measureRoute(Math.min(20, requests), pageRequest);
      page = await measureRoute(requests, pageRequest, (body, i) => {
        // A load that answers without figures (a refused range, an empty view) would time nothing.
        const { view } = JSON.parse(body) as { view: { payments: { totals: Array<{ current: { payments: number } }> } } | null };
        if (!view?.payments.totals.some((total) => total.current.payments > 0)) throw new Error(`load ${i} has no payments: ${body.slice(0, 200)}`);
      });
    } finally {
      console.log = log;
    }
    console.log(
      `Insights page: ${page.requests} loads of 90 days (all, one currency, one country), p50 ${page.p50} ms, p95 ${page.p95} ms, max ${page.max} ms (target p95 ${LOADER_P95_TARGET_MS} ms)`,
    );

    // ---- 3. the roll-up's cost while the worker processes events ----
    const busy = shop;
    const before = await db().insightPaymentDay.aggregate({ where: { shopId: busy.id }, _sum: { payments: true } });
    const raw = new Database(file);
    const inbox = raw.prepare(
      `INSERT INTO "WebhookEvent" ("id","shopId","connectionId","eventId","type","ckoPaymentId","payload","status","receivedAt","nextAttemptAt") VALUES (?,?,?,?,?,?,?,?,?,?)`,
    );
    const payments = Math.floor(eventCount / 2);
    raw.transaction(() => {
      for (let n = 0; n < payments; n++) {
        const at = now - (n % 3_600) * 1_000;
        const types = n % 10 === 9 ? ["payment_declined"] : ["payment_approved", "payment_captured"];
        for (const type of types) {
          const event = paymentEvent(type, n, at);
          inbox.run(randomUUID(), busy.id, connection.id, event.id, type, event.data.id, JSON.stringify(event), "pending", sqliteTime(now), sqliteTime(now));
        }
      }
    })();
    const queued = (raw.prepare(`SELECT COUNT(*) AS n FROM "WebhookEvent" WHERE "shopId" = ?`).get(busy.id) as { n: number }).n;
    raw.close();

    // The roll-up job is registered but its runs are due a minute on (the events' minute + 30 s): the
    // worker processes the events, and the roll-up is timed apart right after, over all their marks.
    const worker = createAppWorker({ jobHandlers: { [JOB_KINDS.insightsRollup]: insightsRollupJob } });
    const processing = performance.now();
    worker.start();
    while ((await db().webhookEvent.count({ where: { shopId: busy.id, status: { in: ["pending", "processing"] } } })) > 0) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const processingMs = performance.now() - processing;
    await worker.stop();
    // The marks the events wrote (a batch marks an hour once), before the refresh takes them.
    const marks = await db().insightStaleHour.count({ where: { shopId: busy.id } });
    const refreshing = performance.now();
    await refreshInsights(busy.id);
    const refreshMs = performance.now() - refreshing;
    const rolled = await db().insightPaymentDay.aggregate({ where: { shopId: busy.id }, _sum: { payments: true } });
    const added = (rolled._sum.payments ?? 0) - (before._sum.payments ?? 0);
    if (added !== payments) throw new Error(`the roll-ups count ${added} new payments of ${payments}`);
    const markMs = (await timeMarks(busy.id, marks)) / marks;
    // A shop's roll-up runs at most once a minute (its job is keyed by the minute), whatever the rate:
    // while the worker is busy, each minute gives up one refresh of the day (as timed above, a day as
    // full as this shop's) and the marks of the minute's batches.
    const marksPerMinute = (marks / processingMs) * 60_000;
    const overheadPct = Number((((refreshMs + marksPerMinute * markMs) / 60_000) * 100).toFixed(2));
    // The same over this run alone, as if the refresh ran as often as the run is long (an upper bound).
    const runPct = Number((((refreshMs + marks * markMs) / processingMs) * 100).toFixed(2));
    console.log(
      `Roll-up while processing: ${queued.toLocaleString("en")} events in ${(processingMs / 1000).toFixed(2)} s (${Math.round(queued / (processingMs / 1000))} events/s, their other jobs left out); ${marks} marks at ${markMs.toFixed(3)} ms; a refresh of the day ${refreshMs.toFixed(0)} ms: ${overheadPct}% of a busy minute (target ${OVERHEAD_TARGET_PCT}%); ${runPct}% if it refreshed once per ${(processingMs / 1000).toFixed(1)} s run`,
    );
    await db().$disconnect();

    const pageMet = page.p95 <= LOADER_P95_TARGET_MS;
    const overheadMet = overheadPct <= OVERHEAD_TARGET_PCT;
    console.log(
      JSON.stringify({
        payments: paymentCount,
        declines: declineCount,
        disputes: disputeCount,
        holds: holdCount,
        rebuild_s: rebuildS,
        insights_p50_ms: page.p50,
        insights_p95_ms: page.p95,
        rollup_overhead_pct: overheadPct,
        rollup_refresh_ms: Number(refreshMs.toFixed(1)),
        rollup_run_pct: runPct,
        insights_target_met: pageMet,
        rollup_target_met: overheadMet,
      }),
    );
    return pageMet && overheadMet;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What `count` stale marks cost: each a mark and its roll-up job, written outside a transaction (the
 * worker's batches write them inside theirs, which costs less), at hours no other mark has.
 */
async function timeMarks(shopId: string, count: number): Promise<number> {
  const { rawSql } = await import("../../app/db.server");
  const { markInsightsStale } = await import("../../app/insights/stale.server");
  const started = performance.now();
  for (let n = 0; n < count; n++) await markInsightsStale(rawSql(), shopId, new Date(Date.UTC(2020, 0, 1) + n * 3_600_000));
  return performance.now() - started;
}

main()
  .then((met) => process.exit(met ? 0 : 1))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
