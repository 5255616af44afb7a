// Read-modify-write of one row inside a transaction. On PostgreSQL two transactions could read the same
// row and the second write would drop the first one's change, so the row is locked first
// (SELECT ... FOR UPDATE). SQLite has one writer at a time: a transaction that read a row another
// process changed meanwhile fails to commit and is retried, so no lock statement is needed.
import { Prisma } from "@prisma/client";
import type { RawSql } from "./prepared-sql.server";

/** Whether a client (Prisma's, or a prepared-statement transaction) talks to PostgreSQL. */
export function isPostgresClient(client: RawSql): boolean {
  // _activeProvider is how a generated client names its datasource provider ("sqlite" | "postgresql").
  const { _activeProvider, provider } = client as { _activeProvider?: string; provider?: string };
  return (_activeProvider ?? provider) === "postgresql";
}

/** Locks the row until the transaction ends. True when a lock was taken (then re-read the row). */
export async function lockRowForUpdate(tx: RawSql, table: "Payment" | "Dispute", id: string): Promise<boolean> {
  if (!isPostgresClient(tx)) return false;
  await tx.$queryRaw`SELECT 1 FROM ${Prisma.raw(`"${table}"`)} WHERE "id" = ${id} FOR UPDATE`;
  return true;
}
