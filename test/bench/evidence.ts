// `node --import tsx test/bench/evidence.ts`: dispute evidence for an order with 100 line items.
//   1. build: the whole draft as the app makes it (buildDisputeEvidence): the Admin GraphQL query to
//      the Shopify stand-in (msw, in process), the plan, every PDF rendered, files and draft stored in
//      SQLite. All seven evidence types are asked for, the most work a dispute can need. Target ≤ 1 s.
//   2. render: planning and rendering alone, from facts already in memory.
//   3. sizes: each PDF (target < 1 MB each; Checkout.com's limit is 4 MB) and the invoice's page count.
// Options: --samples=N (20). Prints the figures and a last JSON line; `runEvidenceBench` returns them
// (for test/bench/all.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { PDFDocument } from "pdf-lib";
import { evidenceInputFixture, lineItemsFixture, orderFixture } from "../fixtures/evidence";
import { migrationSql } from "../helpers/db";
import { testEnv } from "../helpers/env";
import { PLAN_BUCKETS } from "../standins/shopify/cost";

export interface EvidenceBenchFigures {
  lineItems: number;
  samples: number;
  build: { p50Ms: number; p90Ms: number; maxMs: number; targetMs: number };
  render: { p50Ms: number; maxMs: number };
  pdfs: Array<{ field: string; bytes: number; pages: number }>;
  largestPdfBytes: number;
  totalPdfBytes: number;
}

const EVERY_TYPE = [
  "proof_of_delivery_or_service",
  "invoice_or_receipt",
  "invoice_showing_distinct_transactions",
  "customer_communication",
  "refund_or_cancellation_policy",
  "recurring_transaction_agreement",
  "additional_evidence",
];

const percentile = (sorted: number[], p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]);

export async function runEvidenceBench(options: { samples?: number; lineItems?: number } = {}): Promise<EvidenceBenchFigures> {
  const samples = options.samples ?? 20;
  const lineItems = options.lineItems ?? 100;

  // Configuration before any app module reads it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cko-bench-evidence-"));
  const file = path.join(dir, "bench.sqlite");
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  for (const sql of migrationSql("sqlite")) raw.exec(sql);
  raw.close();
  Object.assign(process.env, testEnv, { NODE_ENV: "production", DATABASE_URL: `file:${file}`, LOG_LEVEL: "error", WORKER_IN_PROCESS: "false" });

  const { resetEnvForTests } = await import("../../app/env.server");
  resetEnvForTests();
  const { db } = await import("../../app/db.server");
  const { buildDisputeEvidence } = await import("../../app/disputes/evidence.server");
  const { planEvidence } = await import("../../app/disputes/plan");
  const { renderEvidencePdf } = await import("../../app/disputes/pdf.server");
  const { startShopifyStandIn, installShop, createPayment } = await import("../helpers/holds");
  const { deliveredOrderInput } = await import("../helpers/disputes");

  // A large plan's bucket: this measures building, not waiting for Shopify's rate limit.
  const world = startShopifyStandIn(PLAN_BUCKETS.plus);
  try {
    const shop = await installShop(world.standIn, "bench-evidence.myshopify.com");
    const customer = world.standIn.store.createCustomer({ shop: shop.domain, firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
    const items = Array.from({ length: lineItems }, (_, i) => ({ title: `Merino wool beanie no. ${i + 1}`, price: "25.00", quantity: 1 + (i % 2), sku: `BEANIE-${i + 1}`, variantTitle: i % 3 ? null : "Charcoal" }));

    async function newDispute(i: number) {
      const order = world.standIn.store.createOrder({ shop: shop.domain, ...deliveredOrderInput({ lineItems: items, note: "Customer asked for gift wrapping." }), customer: customer.id });
      const payment = await createPayment(shop.shop.id, { amount: 9400, riskFlagged: false, threeDs: JSON.stringify({ authentication_response: "Y", version: "2.2.0", eci: "05" }), avsCheck: "Y", cvvCheck: "Y" });
      await db().orderLink.create({ data: { shopId: shop.shop.id, paymentId: payment.id, orderGid: order.id, orderName: order.name, matchedBy: "reference_name", confidence: "strong" } });
      return db().dispute.create({
        data: {
          shopId: shop.shop.id,
          ckoDisputeId: `dsp_bench${String(i).padStart(16, "0")}`,
          paymentId: payment.id,
          ckoPaymentId: payment.ckoPaymentId,
          orderGid: order.id,
          category: "general",
          amount: 9400,
          currency: "USD",
          status: "evidence_required",
          evidenceRequiredBy: new Date(Date.now() + 7 * 86_400_000),
          relevantEvidence: JSON.stringify(EVERY_TYPE),
        },
      });
    }

    // 1. The whole build, after one warm-up (module loading, the schema, the first PDF fonts).
    await buildDisputeEvidence(shop.shop.id, (await newDispute(-1)).id);
    const builds: number[] = [];
    let lastDisputeId = "";
    for (let i = 0; i < samples; i++) {
      const dispute = await newDispute(i);
      const started = performance.now();
      await buildDisputeEvidence(shop.shop.id, dispute.id);
      builds.push(performance.now() - started);
      lastDisputeId = dispute.id;
    }
    builds.sort((a, b) => a - b);

    // 2. Planning and rendering alone.
    const input = evidenceInputFixture({ order: orderFixture({ lineItems: lineItemsFixture(lineItems) }) });
    input.dispute.relevantEvidence = EVERY_TYPE;
    const renders: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await Promise.all(planEvidence(input).documents.map(renderEvidencePdf));
      renders.push(performance.now() - started);
    }
    renders.sort((a, b) => a - b);

    // 3. The stored PDFs of the last build.
    const files = await db().evidenceFile.findMany({ where: { disputeId: lastDisputeId }, orderBy: { field: "asc" } });
    const pdfs = await Promise.all(
      files.map(async (f) => ({ field: f.field, bytes: f.size, pages: (await PDFDocument.load(f.data, { updateMetadata: false })).getPageCount() })),
    );
    return {
      lineItems,
      samples,
      build: { p50Ms: percentile(builds, 50), p90Ms: percentile(builds, 90), maxMs: Math.round(builds[builds.length - 1]), targetMs: 1000 },
      render: { p50Ms: percentile(renders, 50), maxMs: Math.round(renders[renders.length - 1]) },
      pdfs,
      largestPdfBytes: Math.max(...pdfs.map((p) => p.bytes)),
      totalPdfBytes: pdfs.reduce((sum, p) => sum + p.bytes, 0),
    };
  } finally {
    world.close();
    await db().$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(f: EvidenceBenchFigures) {
  console.log(`dispute evidence for an order with ${f.lineItems} line items, all 7 evidence types, ${f.samples} samples, ${os.cpus().length} CPUs`);
  console.log(`build (Shopify query + plan + PDFs + store): p50 ${f.build.p50Ms} ms, p90 ${f.build.p90Ms} ms, max ${f.build.maxMs} ms (target ≤ ${f.build.targetMs} ms)`);
  console.log(`plan + render only: p50 ${f.render.p50Ms} ms, max ${f.render.maxMs} ms`);
  for (const p of f.pdfs) console.log(`  ${p.field}: ${(p.bytes / 1024).toFixed(1)} KB, ${p.pages} page${p.pages === 1 ? "" : "s"}`);
  console.log(`largest PDF ${(f.largestPdfBytes / 1024).toFixed(1)} KB (target < 1024 KB; Checkout.com's limit 4096 KB), all PDFs ${(f.totalPdfBytes / 1024).toFixed(1)} KB`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const samples = Number(process.argv.find((a) => a.startsWith("--samples="))?.split("=")[1] ?? 20);
  const figures = await runEvidenceBench({ samples });
  report(figures);
  console.log(JSON.stringify({ bench: "evidence", ...figures }));
  process.exit(figures.build.p50Ms <= figures.build.targetMs && figures.largestPdfBytes < 1024 * 1024 ? 0 : 1);
}
