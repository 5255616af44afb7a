// Fresh databases for tests, built by applying the committed migrations (so tests also prove the
// migrations produce the schema the code expects).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { PrismaClient } from "@prisma/client";
import { createDb } from "../../app/db.server";

// Works under vitest and plain node --import tsx (the benchmarks), which has no __dirname.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function migrationSql(provider: "sqlite" | "postgresql" = "sqlite"): string[] {
  const dir = provider === "sqlite" ? path.join(root, "prisma/migrations") : path.join(root, "prisma/postgresql/migrations");
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
}

export interface TestDb {
  url: string;
  client: PrismaClient;
  dispose(): Promise<void>;
}

/**
 * A fresh migrated database and a client for it: SQLite in a temp folder by default, or, when
 * TEST_DATABASE_URL (or `pgUrl`) is a PostgreSQL URL (npm run test:postgres), a new schema in that database.
 */
export async function createTestDb(pgUrl = process.env.TEST_DATABASE_URL): Promise<TestDb> {
  if (pgUrl && /^postgres(ql)?:/.test(pgUrl)) return createPostgresTestDb(pgUrl);
  return createSqliteTestDb();
}

async function createPostgresTestDb(baseUrl: string): Promise<TestDb> {
  const { default: pg } = await import("pg");
  const schema = `test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.query(`SET search_path TO "${schema}"`);
  for (const sql of migrationSql("postgresql")) await admin.query(sql);
  await admin.end();
  const url = new URL(baseUrl);
  url.searchParams.set("schema", schema);
  const client = createDb(url.toString(), { poolSize: 5 });
  return {
    url: url.toString(),
    client,
    async dispose() {
      await client.$disconnect();
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA "${schema}" CASCADE`);
      await cleanup.end();
    },
  };
}

async function createSqliteTestDb(): Promise<TestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cko-test-db-"));
  const file = path.join(dir, "test.sqlite");
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  for (const sql of migrationSql("sqlite")) raw.exec(sql);
  raw.close();
  const url = `file:${file}`;
  const client = createDb(url);
  return {
    url,
    client,
    async dispose() {
      await client.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
