// The Zendesk sidebar's budgets: the timeline API's latency with 100,000 payments in the shop's
// database (target p95 <= 100 ms) and the sidebar's JavaScript, gzipped (target <= 200 KB).
//   1. migrates a temp SQLite database and bulk-inserts (better-sqlite3, one transaction) one shop's
//      payments with order links, timeline rows (2-4 each), money actions and disputes, plus another
//      shop's payments, so every query has to pick its shop's rows out of the rest (no ANALYZE, like a
//      production database: the query planner has no statistics);
//   2. calls the real route handlers in this process (token verification, shop scoping, queries,
//      JSON) with tokens signed like Zendesk's proxy signs them: GET /api/zendesk/payments/:id for
//      random payments, and POST /api/zendesk/lookup by order name and by email;
//   3. prints p50/p95/p99 per route, the sidebar bundle size, and last a JSON line with the figures.
// Run: node --import tsx test/bench/zendesk-timeline.ts [--payments=100000] [--requests=500]
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { build } from "vite";
import { appEnv } from "../helpers/app-server";
import type { ZendeskSetup } from "../helpers/zendesk";
import { APP_DIR } from "../../zendesk-app/scripts/manifest";
import { BUILT_ASSETS_DIR, gzippedScriptBytes, SIDEBAR_JS_BUDGET_BYTES } from "../../zendesk-app/scripts/size";
import { measureRoute, migratedSqlite, sqliteTime as iso, type LatencyFigures } from "./in-process";

export const TIMELINE_P95_BUDGET_MS = 100;

export interface ZendeskBenchFigures {
  payments: number;
  timeline: LatencyFigures;
  lookupByOrderName: LatencyFigures;
  lookupByEmail: LatencyFigures;
  sidebarJsGzipBytes: number;
  seedSeconds: number;
}

/** A unique Checkout.com-shaped id: prefix + 26 characters. */
const ckoId = (prefix: string, n: number) => `${prefix}_bench${n.toString(32).padStart(21, "0")}`;

/**
 * Inserts `count` payments of one shop with their order links (all but the declined tenth), timeline
 * rows, actions and disputes; reference and order name are "#" and 100,000 + n. Also the MCP bench's seed.
 */
export function seedShop(raw: Database.Database, shopId: string, count: number, offset: number) {
  const start = Date.UTC(2025, 10, 1);
  const payment = raw.prepare(
    `INSERT INTO "Payment" ("id","shopId","ckoPaymentId","reference","amount","currency","status","capturedAmount","refundedAmount","riskFlagged","customerEmail","customerName","cardScheme","cardLast4","processedOn","matchStatus","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const link = raw.prepare(
    `INSERT INTO "OrderLink" ("id","shopId","paymentId","orderGid","orderName","matchedBy","confidence","createdAt") VALUES (?,?,?,?,?,?,?,?)`,
  );
  const activity = raw.prepare(
    `INSERT INTO "PaymentActivity" ("id","shopId","paymentId","sourceKey","kind","type","amount","currency","summary","occurredAt","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const action = raw.prepare(
    `INSERT INTO "MoneyAction" ("id","shopId","paymentId","kind","amount","currency","idempotencyKey","status","requestedBy","source","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const dispute = raw.prepare(
    `INSERT INTO "Dispute" ("id","shopId","ckoDisputeId","paymentId","ckoPaymentId","category","amount","currency","status","evidenceRequiredBy","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const ids: string[] = [];
  raw.transaction(() => {
    for (let k = 0; k < count; k++) {
      const n = offset + k;
      const id = randomUUID();
      const at = start + k * 300_000;
      const amount = 1_000 + (n % 50_000);
      const kind = n % 10; // 0-6 captured, 7 authorized, 8 partially refunded, 9 declined
      const status = kind <= 6 ? "Captured" : kind === 7 ? "Authorized" : kind === 8 ? "Partially Refunded" : "Declined";
      const captured = kind <= 6 || kind === 8 ? amount : 0;
      const refunded = kind === 8 ? Math.floor(amount / 2) : 0;
      const cko = ckoId("pay", n);
      payment.run(
        id,
        shopId,
        cko,
        `#${100_000 + n}`,
        amount,
        "EUR",
        status,
        captured,
        refunded,
        n % 97 === 0 ? 1 : 0,
        `customer${n % 40_000}@example.com`,
        `Customer ${n}`,
        "Visa",
        String(1000 + (n % 9000)),
        iso(at),
        "matched",
        iso(at),
        iso(at),
      );
      if (n % 10 !== 9)
        link.run(randomUUID(), shopId, id, `gid://shopify/Order/${5_000_000 + n}`, `#${100_000 + n}`, "reference_name", "strong", iso(at + 60_000));
      activity.run(
        randomUUID(),
        shopId,
        id,
        `evt_a${n}`,
        "event",
        kind === 9 ? "payment_declined" : "payment_approved",
        amount,
        "EUR",
        "Authorized",
        iso(at),
        iso(at),
      );
      if (captured)
        activity.run(randomUUID(), shopId, id, `evt_c${n}`, "event", "payment_captured", captured, "EUR", "Captured", iso(at + 120_000), iso(at + 120_000));
      if (refunded) {
        activity.run(
          randomUUID(),
          shopId,
          id,
          `evt_r${n}`,
          "event",
          "payment_refunded",
          refunded,
          "EUR",
          "Refunded",
          iso(at + 86_400_000),
          iso(at + 86_400_000),
        );
        action.run(
          randomUUID(),
          shopId,
          id,
          "refund",
          refunded,
          "EUR",
          `bench-${n}`,
          "succeeded",
          "agent@example.com",
          "zendesk",
          iso(at + 86_000_000),
          iso(at + 86_400_000),
        );
      }
      if (n % 100 === 0 && captured)
        dispute.run(
          randomUUID(),
          shopId,
          ckoId("dsp", n),
          id,
          cko,
          "fraudulent",
          amount,
          "EUR",
          "evidence_required",
          iso(at + 20 * 86_400_000),
          iso(at + 86_400_000),
          iso(at + 86_400_000),
        );
      if (kind <= 6) ids.push(cko);
    }
  })();
  return ids;
}

/** The sidebar's gzipped JavaScript, building it first when zendesk-app/dist/assets is missing. */
export async function sidebarBundleBytes(): Promise<number> {
  if (!fs.existsSync(BUILT_ASSETS_DIR) || !fs.readdirSync(BUILT_ASSETS_DIR).some((f) => f.endsWith(".js"))) {
    await build({ configFile: path.join(APP_DIR, "vite.config.ts"), logLevel: "silent" });
  }
  return gzippedScriptBytes();
}

export async function benchZendeskTimeline(options: { payments?: number; requests?: number } = {}): Promise<ZendeskBenchFigures> {
  const paymentCount = options.payments ?? 100_000;
  const requests = options.requests ?? 500;
  const { dir, file } = migratedSqlite("cko-bench-zendesk-");
  try {
    Object.assign(process.env, appEnv(`file:${file}`, { LOG_LEVEL: "silent" }));
    // Modules that read the configuration are loaded once it is set.
    const { resetEnvForTests } = await import("../../app/env.server");
    resetEnvForTests();
    const { db } = await import("../../app/db.server");
    const { ensureShop } = await import("../../app/shops/shop.server");
    const { connectZendesk, zendeskRequest, zendeskToken } = await import("../helpers/zendesk");
    const timelineRoute = await import("../../app/routes/api.zendesk.payments.$paymentId");
    const lookupRoute = await import("../../app/routes/api.zendesk.lookup");
    const { zendeskRoutes } = await import("../../app/zendesk/contract");

    const shop = await ensureShop("bench-zendesk.myshopify.com");
    const other = await ensureShop("bench-zendesk-other.myshopify.com");
    const zendesk: ZendeskSetup = await connectZendesk(shop.id);
    await db().$disconnect();

    const seeding = performance.now();
    const writer = new Database(file);
    const captured = seedShop(writer, shop.id, paymentCount, 0);
    seedShop(writer, other.id, Math.round(paymentCount / 5), paymentCount);
    writer.close();
    const seedSeconds = Number(((performance.now() - seeding) / 1000).toFixed(1));

    const pick = (i: number) => captured[(i * 7919) % captured.length];
    const token = () => zendeskToken(zendesk);
    const warm = Math.min(50, requests);
    const timelineRequest = async (i: number) => {
      const paymentId = pick(i);
      return { handler: timelineRoute.loader, request: zendeskRequest(zendeskRoutes.payment(paymentId), await token()), params: { paymentId } };
    };
    const lookupRequest = (query: (i: number) => Record<string, string>) => async (i: number) => ({
      handler: lookupRoute.action,
      request: zendeskRequest(zendeskRoutes.lookup, await token(), { body: { ticketId: 7, ...query(i) } }),
      params: {},
    });
    const byOrderName = lookupRequest((i) => ({ orderName: String(100_000 + ((i * 7919) % paymentCount)) }));
    const byEmail = lookupRequest((i) => ({ email: `Customer${(i * 7919) % 40_000}@Example.com` }));

    await measureRoute(warm, timelineRequest);
    const timeline = await measureRoute(requests, (i) => timelineRequest(i + warm));
    await measureRoute(warm, byOrderName);
    const lookupByOrderName = await measureRoute(Math.ceil(requests / 2), byOrderName);
    const lookupByEmail = await measureRoute(Math.ceil(requests / 2), byEmail);
    await db().$disconnect();
    return { payments: paymentCount, timeline, lookupByOrderName, lookupByEmail, sidebarJsGzipBytes: await sidebarBundleBytes(), seedSeconds };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function printFigures(f: ZendeskBenchFigures) {
  const line = (name: string, l: LatencyFigures) => `${name}: ${l.requests} requests, p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, max ${l.max} ms`;
  console.log(
    `Zendesk API with ${f.payments.toLocaleString("en")} payments in the shop (seeded in ${f.seedSeconds} s); ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`,
  );
  console.log(
    `${line("  timeline  GET /api/zendesk/payments/:id", f.timeline)}  (budget p95 ${TIMELINE_P95_BUDGET_MS} ms: ${f.timeline.p95 <= TIMELINE_P95_BUDGET_MS ? "ok" : "OVER"})`,
  );
  console.log(line("  lookup by order name", f.lookupByOrderName));
  console.log(line("  lookup by email     ", f.lookupByEmail));
  console.log(
    `Zendesk sidebar JS: ${(f.sidebarJsGzipBytes / 1024).toFixed(1)} KB gzipped (budget ${SIDEBAR_JS_BUDGET_BYTES / 1024} KB: ${f.sidebarJsGzipBytes <= SIDEBAR_JS_BUDGET_BYTES ? "ok" : "OVER"})`,
  );
  console.log(
    JSON.stringify({
      zendesk_payments: f.payments,
      zendesk_timeline_p50_ms: f.timeline.p50,
      zendesk_timeline_p95_ms: f.timeline.p95,
      zendesk_lookup_order_p95_ms: f.lookupByOrderName.p95,
      zendesk_lookup_email_p95_ms: f.lookupByEmail.p95,
      zendesk_sidebar_js_gzip_bytes: f.sidebarJsGzipBytes,
    }),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
  benchZendeskTimeline({ payments: arg("payments", 100_000), requests: arg("requests", 500) })
    .then((figures) => {
      printFigures(figures);
      const over = figures.timeline.p95 > TIMELINE_P95_BUDGET_MS || figures.sidebarJsGzipBytes > SIDEBAR_JS_BUDGET_BYTES;
      process.exit(over ? 1 : 0);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
