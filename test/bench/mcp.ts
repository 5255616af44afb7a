// `npm run bench:mcp`: the MCP server's read latency as an agent sees it (issue 22), with 100,000
// payments in the shop's database (target: get_payment p95 <= 50 ms).
//   1. starts the production server (no worker) on a fresh SQLite database (bench-app.ts) and bulk-inserts
//      the shop's payments, most with order links, and another shop's, as the Zendesk bench does (its seedShop);
//   2. makes an agent token with the read scope, as Settings does;
//   3. connects the SDK's own client (Streamable HTTP) to the server's /mcp over HTTP and calls
//      get_payment for random payments, one after another, looked up by payment id, by order name and
//      by reference (payments without an order, so the lookup falls through to the reference); each
//      answer must be a success naming the payment asked for;
//   4. prints p50/p95/p99 and last a JSON line; exits 1 when the target is missed.
// Run: node --import tsx test/bench/mcp.ts [--payments=100000] [--requests=500]
import os from "node:os";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import Database from "better-sqlite3";
import { startBenchApp } from "./bench-app";
import { percentiles } from "./in-process";
import { seedShop } from "./zendesk-timeline";

const GET_PAYMENT_P95_TARGET_MS = 50;
const WARM_UP_CALLS = 30;

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const paymentCount = arg("payments", 100_000);
const requests = arg("requests", 500);
const LOOKUPS = ["payment id", "order name", "reference"] as const;
type LookupKind = (typeof LOOKUPS)[number];

async function main() {
  // No worker: nothing here queues work, and the seed's long write would keep it from claiming jobs.
  const app = await startBenchApp({ env: { WORKER_IN_PROCESS: "false" } });
  try {
    const { db } = await import("../../app/db.server");
    const { ensureShop } = await import("../../app/shops/shop.server");
    const { createAgentToken } = await import("../../app/mcp/tokens.server");
    const other = await ensureShop("bench-mcp-other.myshopify.com");

    // ---- 1. the payments: this shop's, and a fifth as many of another shop's, which no lookup may reach ----
    const seeding = performance.now();
    const writer = new Database(app.database.url.replace(/^file:/, ""));
    writer.pragma("busy_timeout = 10000");
    seedShop(writer, app.shop.id, paymentCount, 0);
    seedShop(writer, other.id, Math.round(paymentCount / 5), paymentCount);
    // What to ask for: random payments of the shop, with and without an order.
    const sample = (linked: boolean) =>
      writer
        .prepare(
          `SELECT p."ckoPaymentId" AS paymentId, p."reference" AS reference, l."orderName" AS orderName
           FROM "Payment" p LEFT JOIN "OrderLink" l ON l."paymentId" = p."id"
           WHERE p."shopId" = ? AND l."id" IS ${linked ? "NOT NULL" : "NULL"} ORDER BY random() LIMIT ?`,
        )
        .all(app.shop.id, requests + WARM_UP_CALLS) as Array<{ paymentId: string; reference: string; orderName: string | null }>;
    const withOrder = sample(true);
    const withoutOrder = sample(false);
    writer.close();
    const seedSeconds = Number(((performance.now() - seeding) / 1000).toFixed(1));
    const lookup = (i: number): { kind: LookupKind; value: string; paymentId: string } => {
      const kind = LOOKUPS[i % LOOKUPS.length];
      if (kind === "reference") {
        const payment = withoutOrder[i % withoutOrder.length];
        return { kind, value: payment.reference, paymentId: payment.paymentId };
      }
      const payment = withOrder[i % withOrder.length];
      return { kind, value: kind === "payment id" ? payment.paymentId : payment.orderName!, paymentId: payment.paymentId };
    };

    // ---- 2. the token, as an admin makes it in Settings ----
    const { token } = await createAgentToken(
      app.shop.id,
      { name: "Bench agent", scopes: ["read"], limits: {}, expiresAt: null },
      { actor: "bench", userId: null },
    );
    await db().$disconnect();

    // ---- 3. the SDK's client over HTTP ----
    const client = new Client({ name: "bench-agent", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${app.server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    );
    const { tools } = await client.listTools();
    const call = async (i: number) => {
      const asked = lookup(i);
      const started = performance.now();
      const result = (await client.callTool({ name: "get_payment", arguments: { payment: asked.value } })) as CallToolResult;
      const ms = performance.now() - started;
      const found = (result.structuredContent as { paymentId?: string } | undefined)?.paymentId;
      if (result.isError || found !== asked.paymentId) {
        const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join(" ");
        throw new Error(`get_payment by ${asked.kind} "${asked.value}" answered ${result.isError ? "an error" : found}: ${text.slice(0, 300)}`);
      }
      return { kind: asked.kind, ms };
    };
    for (let i = 0; i < WARM_UP_CALLS; i++) await call(requests + i);
    const samples: Array<{ kind: LookupKind; ms: number }> = [];
    for (let i = 0; i < requests; i++) samples.push(await call(i));
    await client.close();

    // ---- 4. the figures ----
    const all = percentiles(samples.map((s) => s.ms));
    console.log(
      `MCP with ${paymentCount.toLocaleString("en")} payments in the shop (seeded in ${seedSeconds} s), ${tools.length} tools; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`,
    );
    console.log(
      `  get_payment over HTTP (SDK client): ${all.requests} calls, p50 ${all.p50} ms, p95 ${all.p95} ms, p99 ${all.p99} ms, max ${all.max} ms (target p95 ${GET_PAYMENT_P95_TARGET_MS} ms: ${all.p95 <= GET_PAYMENT_P95_TARGET_MS ? "ok" : "OVER"})`,
    );
    for (const kind of LOOKUPS) {
      const by = percentiles(samples.filter((s) => s.kind === kind).map((s) => s.ms));
      console.log(`    by ${kind.padEnd(10)}: ${by.requests} calls, p50 ${by.p50} ms, p95 ${by.p95} ms`);
    }
    const met = all.p95 <= GET_PAYMENT_P95_TARGET_MS;
    console.log(
      JSON.stringify({
        payments: paymentCount,
        requests,
        get_payment_p50_ms: all.p50,
        get_payment_p95_ms: all.p95,
        tools: tools.length,
        target_met: met,
      }),
    );
    return met;
  } finally {
    await app.stop();
  }
}

main()
  .then((met) => process.exit(met ? 0 : 1))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
