// What the database holds, table by table: a row count and a digest of every row, so a test can say
// "nothing was stored" (no insert, no update, no delete) and name the table when something was.
import crypto from "node:crypto";
import { db } from "../../app/db.server";

export type DbSnapshot = Record<string, { rows: number; digest: string }>;

const jsonSafe = (_key: string, value: unknown) =>
  typeof value === "bigint" ? value.toString() : value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;

/** Every application table of the SQLite database db() points at. */
export async function snapshotDb(): Promise<DbSnapshot> {
  const tables = await db().$queryRawUnsafe<Array<{ name: string }>>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name",
  );
  const snapshot: DbSnapshot = {};
  for (const { name } of tables) {
    const rows = await db().$queryRawUnsafe<unknown[]>(`SELECT * FROM "${name}" ORDER BY rowid`);
    snapshot[name] = { rows: rows.length, digest: crypto.createHash("sha256").update(JSON.stringify(rows, jsonSafe)).digest("hex") };
  }
  return snapshot;
}

/** The tables whose rows differ between two snapshots, with their counts before and after. */
export function changedTables(before: DbSnapshot, after: DbSnapshot): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names]
    .filter((name) => before[name]?.digest !== after[name]?.digest)
    .map((name) => `${name}: ${before[name]?.rows ?? "-"} → ${after[name]?.rows ?? "-"} rows`);
}
