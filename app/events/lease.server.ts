// Leases: how workers share the webhook inbox (WebhookEvent) and the job queue (Job) without two of
// them ever owning one row. A claim is one UPDATE ... RETURNING that moves due rows (or rows whose
// lease expired: a worker crashed) to `processing` under this worker's name. On SQLite the statement
// runs whole under the database's single write lock; on PostgreSQL the candidate rows are locked with
// FOR UPDATE SKIP LOCKED, which re-checks the condition on the row it locks, so concurrent workers take
// different rows and none takes a row another just claimed. A live worker renews the leases it holds
// (claimed rows waiting their turn and rows running), so only a dead or cut-off worker's leases ever
// expire. Every later change is conditional on still holding the lease, so a worker whose lease
// expired and was taken over cannot complete or fail the row behind the new owner's back.
import { Prisma, type Job, type PrismaClient, type WebhookEvent } from "@prisma/client";
import { db, type Tx } from "../db.server";
import { isPostgresClient } from "../lib/row-lock.server";
import { ident } from "../lib/sql.server";

/** A leased table; `Row` is its row type (what a claim returns). */
export interface LeaseQueue<Row extends Lease = Lease> {
  table: "WebhookEvent" | "Job";
  /** When a pending row becomes due. */
  dueColumn: "nextAttemptAt" | "runAt";
  doneStatus: "processed" | "done";
  doneAtColumn: "processedAt" | "completedAt";
  /** Type only. */
  row?: Row;
}

export const INBOX_QUEUE: LeaseQueue<WebhookEvent> = { table: "WebhookEvent", dueColumn: "nextAttemptAt", doneStatus: "processed", doneAtColumn: "processedAt" };
export const JOB_QUEUE: LeaseQueue<Job> = { table: "Job", dueColumn: "runAt", doneStatus: "done", doneAtColumn: "completedAt" };

export interface Lease {
  id: string;
  /** Attempts including this one. */
  attempts: number;
}

type Client = PrismaClient | Tx;

/**
 * Claims up to `limit` due rows for `owner` until `now + leaseMs` and returns them as claimed (their
 * `attempts` count this one). `kinds` limits a job claim to those kinds.
 */
export async function claimLeases<Row extends Lease>(
  queue: LeaseQueue<Row>,
  options: { owner: string; now: Date; leaseMs: number; limit: number; kinds?: readonly string[] },
): Promise<Row[]> {
  if (options.limit <= 0 || options.kinds?.length === 0) return [];
  const { now } = options;
  // Two statements, each a range of the (status, due) index: an OR of both conditions would make
  // the database read the whole table on every claim.
  const expired = await claimWhere(queue, options, Prisma.sql`"status" = 'processing' AND "leaseExpiresAt" < ${now}`, options.limit);
  const due = await claimWhere(queue, options, Prisma.sql`"status" = 'pending' AND ${ident(queue.dueColumn)} <= ${now}`, options.limit - expired.length);
  return [...expired, ...due];
}

async function claimWhere<Row extends Lease>(
  queue: LeaseQueue<Row>,
  options: { owner: string; now: Date; leaseMs: number; kinds?: readonly string[] },
  condition: Prisma.Sql,
  limit: number,
): Promise<Row[]> {
  if (limit <= 0) return [];
  const client = db();
  const table = ident(queue.table);
  const claimable = options.kinds ? Prisma.sql`${condition} AND "kind" IN (${Prisma.join(options.kinds)})` : condition;
  const lock = isPostgresClient(client) ? Prisma.sql` FOR UPDATE SKIP LOCKED` : Prisma.empty;
  const rows = await client.$queryRaw<Row[]>`
    UPDATE ${table}
    SET "status" = 'processing', "leaseOwner" = ${options.owner}, "leaseExpiresAt" = ${new Date(options.now.getTime() + options.leaseMs)}, "attempts" = "attempts" + 1
    WHERE "id" IN (SELECT "id" FROM ${table} WHERE ${claimable} ORDER BY ${ident(queue.dueColumn)} LIMIT ${limit}${lock})
    RETURNING *`;
  // RETURNING gives rows in no particular order (PostgreSQL's is the table's): oldest due first.
  const due = (row: Row) => new Date((row as unknown as Record<string, Date | string>)[queue.dueColumn]).getTime();
  return rows.sort((a, b) => due(a) - due(b));
}

const held = (lease: string, owner: string) => Prisma.sql`"id" = ${lease} AND "leaseOwner" = ${owner} AND "status" = 'processing'`;

/** Marks the row done. False when the lease is no longer ours (then nothing changed). Pass the transaction that did the work. */
export async function completeLease(client: Client, queue: LeaseQueue, id: string, owner: string, now: Date): Promise<boolean> {
  const changed = await client.$executeRaw`
    UPDATE ${ident(queue.table)}
    SET "status" = ${queue.doneStatus}, ${ident(queue.doneAtColumn)} = ${now}, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "lastError" = NULL
    WHERE ${held(id, owner)}`;
  return changed === 1;
}

/** After a failed attempt: back to pending at `retryAt`, or dead-lettered when `retryAt` is null. */
export async function failLease(queue: LeaseQueue, id: string, owner: string, error: string, retryAt: Date | null): Promise<boolean> {
  const next = retryAt
    ? Prisma.sql`"status" = 'pending', ${ident(queue.dueColumn)} = ${retryAt}`
    : Prisma.sql`"status" = 'dead'`;
  const changed = await db().$executeRaw`
    UPDATE ${ident(queue.table)}
    SET ${next}, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "lastError" = ${error}
    WHERE ${held(id, owner)}`;
  return changed === 1;
}

/**
 * Extends the leases `owner` still holds among `ids` to `now + leaseMs` and returns the ids it still
 * holds (a row missing was completed meanwhile, or its lease expired and was taken over).
 */
export async function renewLeases(queue: LeaseQueue, ids: readonly string[], owner: string, now: Date, leaseMs: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const renewed = await db().$queryRaw<Array<{ id: string }>>`
    UPDATE ${ident(queue.table)}
    SET "leaseExpiresAt" = ${new Date(now.getTime() + leaseMs)}
    WHERE "id" IN (${Prisma.join(ids)}) AND "leaseOwner" = ${owner} AND "status" = 'processing' AND "leaseExpiresAt" >= ${now}
    RETURNING "id"`;
  return new Set(renewed.map((r) => r.id));
}

/** Gives leases back unfinished (shutdown): the rows are due again at once. */
export async function releaseLeases(queue: LeaseQueue, ids: readonly string[], owner: string): Promise<number> {
  if (ids.length === 0) return 0;
  return db().$executeRaw`
    UPDATE ${ident(queue.table)}
    SET "status" = 'pending', "leaseOwner" = NULL, "leaseExpiresAt" = NULL
    WHERE "id" IN (${Prisma.join(ids)}) AND "leaseOwner" = ${owner} AND "status" = 'processing'`;
}
