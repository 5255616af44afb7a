// Fresh databases for tests, built by applying the committed migrations (so tests also prove the
// migrations produce the schema the code expects).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { PrismaClient } from "@prisma/client";
import { createDb } from "../../app/db.server";

const root = path.resolve(__dirname, "../..");

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

/** A migrated SQLite database in a temp folder, and a client for it. */
export async function createTestDb(): Promise<TestDb> {
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
