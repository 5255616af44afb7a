// Read-modify-write of one row inside a transaction. On PostgreSQL two transactions could read the same
// row and the second write would drop the first one's change, so the row is locked first
// (SELECT ... FOR UPDATE). SQLite has one writer at a time: a transaction that read a row another
// process changed meanwhile fails to commit and is retried, so no lock statement is needed.
import { Prisma, type PrismaClient } from "@prisma/client";
import type { Tx } from "../db.server";

/** Whether a client talks to PostgreSQL. */
export function isPostgresClient(client: PrismaClient | Tx): boolean {
  // _activeProvider is how a generated client names its datasource provider ("sqlite" | "postgresql").
  return (client as unknown as { _activeProvider?: string })._activeProvider === "postgresql";
}

/** Locks the row until the transaction ends. True when a lock was taken (then re-read the row). */
export async function lockRowForUpdate(tx: Tx, table: "Payment" | "Dispute", id: string): Promise<boolean> {
  if (!isPostgresClient(tx)) return false;
  await tx.$queryRaw`SELECT 1 FROM ${Prisma.raw(`"${table}"`)} WHERE "id" = ${id} FOR UPDATE`;
  return true;
}
