// The sidebar's reads stay fast at 100,000 payments because each one is an index lookup. This records
// the SQL Prisma actually sends for a lookup and a timeline, and asks SQLite how it would run each
// statement on a fresh database (no ANALYZE statistics, as in production): no table scans, and no
// index used for shopId alone (that walks every payment of the shop). Timings live in
// test/bench/zendesk-timeline.ts.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "@prisma/client";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../test/helpers/db";
import { createOrderPayment, createShop } from "../../test/helpers/factories";
import { AGENT, connectZendesk } from "../../test/helpers/zendesk";
import { db, setDb } from "../db.server";
import { lookupPayments, paymentTimeline } from "./payments.server";

let testDb: TestDb;
let recording: PrismaClient;
const statements: SqlQuery[] = [];

/** A client on the same database that records every statement it sends. */
function recordingClient(url: string): PrismaClient {
  const base = new PrismaBetterSQLite3({ url });
  const factory: SqlDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    async connect() {
      const connection = await base.connect();
      const queryRaw = connection.queryRaw.bind(connection);
      connection.queryRaw = (query) => (statements.push(query), queryRaw(query));
      return connection;
    },
  };
  return new PrismaClient({ adapter: factory });
}

const sqliteValue = (v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === "boolean" ? Number(v) : v);

function plan(file: string, query: SqlQuery): string[] {
  const raw = new Database(file, { readonly: true });
  try {
    return (raw.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.args.map(sqliteValue)) as Array<{ detail: string }>).map((r) => r.detail);
  } finally {
    raw.close();
  }
}

beforeAll(async () => {
  testDb = await createTestDb();
  recording = recordingClient(testDb.url);
  setDb(recording);
});
afterAll(async () => {
  setDb(undefined);
  await recording.$disconnect();
  await testDb.dispose();
});

describe("query plans of the Zendesk reads", () => {
  it("looks payments up and builds a timeline with index lookups only", async () => {
    const shop = await createShop();
    const other = await createShop();
    const { payment } = await createOrderPayment(shop.id, {
      orderName: "#1001",
      payment: { customerEmail: "ada@example.com", reference: "#1001", status: "Captured", capturedAmount: 12_345 },
    });
    await createOrderPayment(other.id, { orderName: "#1001", payment: { customerEmail: "ada@example.com" } });
    await db().dispute.create({
      data: {
        shopId: shop.id,
        ckoDisputeId: "dsp_plan1",
        paymentId: payment.id,
        ckoPaymentId: payment.ckoPaymentId,
        amount: 100,
        currency: "USD",
        status: "evidence_required",
      },
    });
    const { connection } = await connectZendesk(shop.id);

    statements.length = 0;
    await lookupPayments(shop.id, { ticketId: 1, paymentId: payment.ckoPaymentId });
    await lookupPayments(shop.id, { ticketId: 1, orderName: "1001" });
    await lookupPayments(shop.id, { ticketId: 1, email: "ada@example.com" });
    const timeline = await paymentTimeline(
      { connection, shopId: shop.id, claims: { connection_id: connection.id, subdomain: "acme", ticket_id: 1, ...AGENT, iat: 0, exp: 0 }, actor: "Jane" },
      payment.ckoPaymentId,
    );
    expect(timeline.dispute?.disputeId).toBe("dsp_plan1");

    const selects = statements.filter((s) => /^\s*SELECT/i.test(s.sql));
    expect(selects.length).toBeGreaterThanOrEqual(8);
    const problems = selects.flatMap((s) =>
      plan(testDb.url.replace(/^file:/, ""), s)
        .filter(
          (detail) =>
            /^SCAN (Payment|PaymentActivity|OrderLink|Dispute|MoneyAction|Hold)\b/.test(detail) || /USING (COVERING )?INDEX \w+ \(shopId=\?\)$/.test(detail),
        )
        .map((detail) => `${detail}  <=  ${s.sql}`),
    );
    expect(problems).toEqual([]);
  });
});
