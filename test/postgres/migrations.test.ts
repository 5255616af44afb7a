// The PostgreSQL migration path: applying the committed migrations with scripts/postgres-migrate.mjs
// records them as Prisma does, and applying again is a no-op.
import pg from "pg";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyPostgresMigrations } from "../../scripts/postgres-migrate.mjs";

const baseUrl = process.env.TEST_DATABASE_URL!;

describe("PostgreSQL migrations", () => {
  it("apply once, are recorded in _prisma_migrations, and re-apply as a no-op", async () => {
    const schema = `migrate_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    const url = new URL(baseUrl);
    url.searchParams.set("schema", schema);
    const dir = path.resolve(__dirname, "../../prisma/postgresql/migrations");
    const lines: string[] = [];
    try {
      await applyPostgresMigrations(url.toString(), dir, { log: (l: string) => lines.push(l) });
      await applyPostgresMigrations(url.toString(), dir, { log: (l: string) => lines.push(l) });
      const { rows } = await admin.query(`SELECT migration_name, checksum, finished_at FROM "${schema}"."_prisma_migrations"`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.finished_at && /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
      expect(lines.at(-1)).toBe("PostgreSQL schema is up to date.");
      const tables = await admin.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
      expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(["Shop", "WebhookEvent", "Payment", "Hold"]));
    } finally {
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    }
  });
});
