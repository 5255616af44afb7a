// Query-plan tests: a Prisma client on a fresh SQLite test database (no ANALYZE statistics, as in
// production) that records every statement it sends, and SQLite's plan for each recorded SELECT.
// Call `recordQueryPlans()` at the top of a test file; it installs the client as `db()` for the file.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "@prisma/client";
import Database from "better-sqlite3";
import { afterAll, beforeAll } from "vitest";
import { setDb } from "../../app/db.server";
import { createTestDb, type TestDb } from "./db";

/** A client on the same database that records every statement it sends. */
function recordingClient(url: string, statements: SqlQuery[]): PrismaClient {
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

export function recordQueryPlans() {
  const statements: SqlQuery[] = [];
  let testDb: TestDb;
  let recording: PrismaClient;
  beforeAll(async () => {
    testDb = await createTestDb();
    recording = recordingClient(testDb.url, statements);
    setDb(recording);
  });
  afterAll(async () => {
    setDb(undefined);
    await recording.$disconnect();
    await testDb.dispose();
  });
  return {
    /** Forget what was recorded so far (the test's setup). */
    clear: () => void (statements.length = 0),
    /** The SELECTs recorded since `clear()`. */
    selects: () => statements.filter((s) => /^\s*SELECT/i.test(s.sql)),
    /** Each plan line of these statements that `isProblem` flags, with its statement. */
    problems: (selects: SqlQuery[], isProblem: (detail: string) => boolean) =>
      selects.flatMap((s) =>
        plan(testDb.url.replace(/^file:/, ""), s)
          .filter(isProblem)
          .map((detail) => `${detail}  <=  ${s.sql}`),
      ),
  };
}
