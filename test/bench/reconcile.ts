// Payout reconciliation at a large shop's scale (issue 20), in this process on SQLite:
//   1. import: the Checkout.com stand-in captures 50,000 payments and pays them out at once (one report,
//      a CSV of 250,000 breakdown rows); the shop's database holds a Payment for 95% of them and an order
//      link for 90% (bulk-inserted); importPayouts runs end to end: listing, download, parse, insert
//      (target <= 20 s);
//   2. the payout's page: the loader of app/routes/app.payouts.$id.tsx as the embedded admin calls it
//      (session token, staff member): the first page, "problems only", and later pages by cursor
//      (target p95 <= 300 ms);
//   3. sweep: another shop's 100,000 payments linked to orders, each with its capture on its timeline and
//      its order's transactions in the local copy (an AUTHORIZATION and a CAPTURE carrying the payment
//      id); 1% of the payments have a refund at Checkout.com their order does not show. The day's sweep,
//      sweepPage after sweepPage as the worker runs its jobs, is timed end to end (target <= 30 s); it
//      must queue a check (a Shopify read) for exactly the payments with the missing refund.
// Prints the figures and last a JSON line; exits 1 when a target is missed.
// Run: node --import tsx test/bench/reconcile.ts [--lines=50000] [--sweep=100000] [--requests=200]
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

const IMPORT_TARGET_S = 20;
const PAGE_P95_TARGET_MS = 300;
const SWEEP_TARGET_S = 30;
const DAY_MS = 86_400_000;

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const lineCount = arg("lines", 50_000);
const sweepCount = arg("sweep", 100_000);
const requests = arg("requests", 200);
const seconds = (since: number) => Number(((performance.now() - since) / 1000).toFixed(2));

interface SeedPayment {
  ckoPaymentId: string;
  amount: number;
  /** What the shop recorded as captured (less than the payout's line: "amount differs"). */
  captured: number;
  refunded?: number;
  processedOn: number;
  linked: boolean;
}

/** The shop's payments and their order links, one transaction; with `timeline`, each payment's capture event too. */
function insertPayments(file: string, shopId: string, payments: SeedPayment[], options: { timeline?: boolean } = {}) {
  const raw = new Database(file);
  const payment = raw.prepare(
    `INSERT INTO "Payment" ("id","shopId","ckoPaymentId","reference","amount","currency","status","capturedAmount","refundedAmount","processedOn","matchStatus","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const link = raw.prepare(
    `INSERT INTO "OrderLink" ("id","shopId","paymentId","orderGid","orderName","matchedBy","confidence","createdAt") VALUES (?,?,?,?,?,?,?,?)`,
  );
  const activity = raw.prepare(
    `INSERT INTO "PaymentActivity" ("id","shopId","paymentId","sourceKey","kind","type","amount","currency","summary","occurredAt","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  );
  raw.transaction(() => {
    payments.forEach((p, n) => {
      const id = randomUUID();
      const at = sqliteTime(p.processedOn);
      const status = p.refunded ? "Partially Refunded" : "Captured";
      payment.run(
        id,
        shopId,
        p.ckoPaymentId,
        `#${100_000 + n}`,
        p.amount,
        "EUR",
        status,
        p.captured,
        p.refunded ?? 0,
        at,
        p.linked ? "matched" : "unmatched",
        at,
        at,
      );
      if (options.timeline) activity.run(randomUUID(), shopId, id, `evt_${n}`, "event", "payment_captured", p.captured, "EUR", "Captured", at, at);
      if (p.linked) link.run(randomUUID(), shopId, id, `gid://shopify/Order/${5_000_000 + n}`, `#${100_000 + n}`, "reference_name", "strong", at);
    });
  })();
  raw.close();
}

/** The local copy of each payment's order: its AUTHORIZATION, and a CAPTURE of all of it. */
function insertOrderTransactions(file: string, shopId: string, payments: SeedPayment[]) {
  const raw = new Database(file);
  const insert = raw.prepare(
    `INSERT INTO "IndexedOrderTransaction" ("shopId","orderGid","transactionGid","kind","status","gateway","amount","currency","parentGid","references","createdAt","indexedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  raw.transaction(() => {
    payments.forEach((p, n) => {
      const orderGid = `gid://shopify/Order/${5_000_000 + n}`;
      const authorization = `gid://shopify/OrderTransaction/${7_000_000 + 2 * n}`;
      const references = JSON.stringify([`c${n}.1`, p.ckoPaymentId]);
      const at = sqliteTime(p.processedOn);
      insert.run(shopId, orderGid, authorization, "AUTHORIZATION", "SUCCESS", "checkout_com", p.amount, "EUR", null, references, at, at);
      const capture = `gid://shopify/OrderTransaction/${7_000_001 + 2 * n}`;
      insert.run(shopId, orderGid, capture, "CAPTURE", "SUCCESS", "checkout_com", p.captured, "EUR", authorization, JSON.stringify([p.ckoPaymentId]), at, at);
    });
  })();
  raw.close();
}

async function main() {
  const { dir, file } = migratedSqlite("cko-bench-reconcile-");
  // The stand-in's clock: captures ten seconds apart over the last week, then the payout.
  let standInNow = Date.now() - 7 * DAY_MS;
  const { createCheckoutStandIn } = await import("../standins/checkout/server");
  const { nasAccount } = await import("../standins/checkout/testing");
  const checkout = await createCheckoutStandIn({ accounts: [nasAccount()], clock: () => new Date(standInNow) });
  try {
    Object.assign(process.env, appEnv(`file:${file}`, { LOG_LEVEL: "silent", SCOPES: testEnv.SCOPES, CHECKOUT_API_BASE_URL: checkout.url }));
    // Modules that read the configuration are loaded once it is set.
    const { resetEnvForTests } = await import("../../app/env.server");
    resetEnvForTests();
    const { db } = await import("../../app/db.server");
    const { createConnectedShop, createShop } = await import("../helpers/factories");
    const { extensionRequest, seedOfflineSession, seedStaff, sessionToken } = await import("../helpers/session-token");
    const { importPayouts } = await import("../../app/reconciliation/payouts.server");
    const { sweepPage, SWEEP_PAGE_SIZE } = await import("../../app/reconciliation/sweep.server");
    const { JOB_KINDS } = await import("../../app/queue/jobs.server");
    const { dayOf } = await import("../../app/queue/daily.server");
    // The page's loader as production runs it, from the app's build: the route module imports the page's images.
    buildAppIfNeeded();
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
    const build = (await import(path.join(root, "build/server/index.js"))) as ServerBuild;
    const payoutLoader = build.routes["routes/app.payouts.$id"].module.loader!;

    const { shop } = await createConnectedShop("bench-payouts.myshopify.com");
    const sweepShop = await createShop("bench-sweep.myshopify.com");
    const STAFF = 74_100_001;
    await seedOfflineSession(shop.domain);
    await seedStaff(shop.domain, { userId: STAFF, role: "owner" });
    await db().$disconnect();

    // ---- 1. the payout: captures at the stand-in, the shop's record of most of them ----
    const seeding = performance.now();
    const recorded: SeedPayment[] = [];
    for (let n = 0; n < lineCount; n++) {
      standInNow += 10_000;
      const amount = 1_000 + ((n * 7919) % 50_000);
      const { fixture } = checkout.state.createPayment({ amount, currency: "EUR", reference: `#${100_000 + n}`, capture: true });
      // One in 20 the shop never recorded (taken before the app was installed), one in 20 has no order.
      if (n % 20 !== 19)
        recorded.push({ ckoPaymentId: fixture.id, amount, captured: n % 100 === 17 ? amount - 1 : amount, processedOn: standInNow, linked: n % 20 !== 18 });
    }
    standInNow = Date.now();
    const [payout] = checkout.state.settle(undefined, { currency: "EUR" });
    const csvRows = payout.actions.reduce((rows, action) => rows + action.lines.length, 0);
    insertPayments(file, shop.id, recorded);
    // ---- 3's data too: another shop's payments, every one linked, over the sweep's 60 days ----
    const swept: SeedPayment[] = Array.from({ length: sweepCount }, (_, n) => ({
      ckoPaymentId: `pay_sweep${n.toString(32).padStart(18, "0")}`,
      amount: 2_500,
      captured: 2_500,
      // One in 100 refunded on the Checkout.com dashboard: its order shows no refund.
      refunded: n % 100 === 42 ? 500 : 0,
      processedOn: Date.now() - (n % 59) * DAY_MS - (n % 3_600) * 1_000,
      linked: true,
    }));
    const refundsMissing = swept.filter((p) => p.refunded).length;
    insertPayments(file, sweepShop.id, swept, { timeline: true });
    insertOrderTransactions(file, sweepShop.id, swept);
    console.log(
      `Seeded in ${seconds(seeding)} s: payout ${payout.id} with ${payout.actions.length.toLocaleString("en")} actions (${csvRows.toLocaleString("en")} CSV rows, ${(payout.report.file.data.length / 1e6).toFixed(1)} MB); ${recorded.length.toLocaleString("en")} + ${sweepCount.toLocaleString("en")} payments in the database; ${os.cpus().length} CPUs`,
    );

    const importing = performance.now();
    const thrown = await importPayouts(shop.id).then(
      () => null,
      // A Prisma error's last line says what went wrong.
      (error: unknown) =>
        String(error instanceof Error ? error.message : error)
          .trim()
          .split("\n")
          .pop(),
    );
    const importS = seconds(importing);
    const stored = await db().payout.findFirst({ where: { shopId: shop.id }, select: { id: true, lineCount: true, linesTied: true } });
    const importError =
      stored?.lineCount === lineCount
        ? null
        : (thrown ?? (await db().payoutImport.findUnique({ where: { shopId: shop.id } }))?.lastError ?? `${stored?.lineCount ?? 0} lines stored`);
    console.log(
      importError
        ? `import: FAILED after ${importS} s: ${importError}`
        : `import: ${lineCount.toLocaleString("en")} lines (${stored!.linesTied.toLocaleString("en")} tied to orders) in ${importS} s (target ${IMPORT_TARGET_S} s)`,
    );

    // ---- 2. the payout's page: in fours, the first page, problems only, and the next two pages on ----
    let page: LatencyFigures | null = null;
    if (stored && !importError) {
      let after: string | null = null;
      const later = (i: number) => i % 4 >= 2;
      const pageRequest = async (i: number) => {
        const query = i % 4 === 1 ? "?show=problems" : later(i) && after ? `?after=${encodeURIComponent(after)}` : "";
        const token = sessionToken(shop.domain, { userId: STAFF });
        return {
          handler: payoutLoader,
          request: extensionRequest(`/app/payouts/${stored.id}${query}`, shop.domain, { token }),
          params: { id: stored.id },
        };
      };
      // Each later page goes on from the one before (after the last page, from the first again).
      const nextCursor = (body: string, i: number) => {
        if (later(i)) after = (JSON.parse(body) as { next: string | null }).next;
      };
      // Shopify's library logs a line per admin request (console.log): kept out of the figures' output.
      const log = console.log;
      console.log = () => {};
      try {
        await measureRoute(Math.min(20, requests), pageRequest, nextCursor);
        page = await measureRoute(requests, pageRequest, nextCursor);
      } finally {
        console.log = log;
      }
      console.log(
        `payout page: ${page.requests} requests (first page, problems only, later pages), p50 ${page.p50} ms, p95 ${page.p95} ms, max ${page.max} ms (target p95 ${PAGE_P95_TARGET_MS} ms)`,
      );
    }

    // ---- 3. the sweep: every page, as the worker runs them one after another ----
    const day = dayOf(new Date());
    const sweeping = performance.now();
    let compared = 0;
    let from: Parameters<typeof sweepPage>[3] = null;
    for (let n = 0; ; n++) {
      const count = await sweepPage(sweepShop.id, day, n, from);
      compared += count;
      if (count < SWEEP_PAGE_SIZE) break;
      // The next page's job, queued by this one, carries where it starts.
      const nextPage = await db().job.findUniqueOrThrow({
        where: { shopId_kind_key: { shopId: sweepShop.id, kind: JOB_KINDS.reconciliationSweep, key: `${day}:page:${n + 1}` } },
        select: { payload: true },
      });
      from = (JSON.parse(nextPage.payload) as { after: typeof from }).after;
    }
    const sweepS = seconds(sweeping);
    const suspects = await db().job.count({ where: { shopId: sweepShop.id, kind: JOB_KINDS.reconciliationCheck } });
    const sweepRow = await db().reconciliationSweep.findUniqueOrThrow({ where: { shopId_day: { shopId: sweepShop.id, day } } });
    if (compared !== sweepCount || sweepRow.checked !== sweepCount || !sweepRow.finishedAt || suspects !== refundsMissing)
      throw new Error(
        `the sweep went through ${compared} payments (recorded ${sweepRow.checked}) and queued ${suspects} checks, of ${sweepCount} and ${refundsMissing}`,
      );
    console.log(
      `sweep: ${sweepCount.toLocaleString("en")} payments compared with their orders' local transactions in ${sweepS} s (target ${SWEEP_TARGET_S} s); ${suspects.toLocaleString("en")} checks queued`,
    );
    await db().$disconnect();

    const importMet = !importError && importS <= IMPORT_TARGET_S;
    const pageMet = page !== null && page.p95 <= PAGE_P95_TARGET_MS;
    const sweepMet = sweepS <= SWEEP_TARGET_S;
    console.log(
      JSON.stringify({
        sweep_payments: sweepCount,
        sweep_s: sweepS,
        sweep_suspects: suspects,
        payout_lines: stored?.lineCount ?? 0,
        import_s: importError ? null : importS,
        payout_page_p50_ms: page?.p50 ?? null,
        payout_page_p95_ms: page?.p95 ?? null,
        import_target_met: importMet,
        payout_page_target_met: pageMet,
        sweep_target_met: sweepMet,
        ...(importError ? { import_error: importError } : {}),
      }),
    );
    return importMet && pageMet && sweepMet;
  } finally {
    await checkout.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main()
  .then((met) => process.exit(met ? 0 : 1))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
