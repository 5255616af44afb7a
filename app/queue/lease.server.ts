// Leases: how workers share the webhook inbox (WebhookEvent) and the job queue (Job) without two of
// them ever owning one row. A claim is one UPDATE ... RETURNING that moves due rows (or rows whose
// lease expired: a worker crashed) to `processing` under this worker's name. On SQLite the statement
// runs whole under the database's single write lock; on PostgreSQL the candidate rows are locked with
// FOR UPDATE SKIP LOCKED, which re-checks the condition on the row it locks, so concurrent workers take
// different rows and none takes a row another just claimed. A live worker renews the leases it holds
// (claimed rows waiting their turn and rows running), so only a dead or cut-off worker's leases ever
// expire. Every later change is conditional on still holding the lease, so a worker whose lease
// expired and was taken over cannot complete or fail the row behind the new owner's back.
import { Prisma, type Job, type WebhookEvent } from "@prisma/client";
import { db, rawSql } from "../db.server";
import type { RawSql } from "../lib/prepared-sql.server";
import { isPostgresClient } from "../lib/row-lock.server";
import { ident } from "../lib/sql.server";

/** A leased table; `Row` is its row type (what a claim returns). */
export interface LeaseQueue<Row extends Lease = Lease> {
  table: "WebhookEvent" | "Job";
  /** When a pending row becomes due. */
  dueColumn: "nextAttemptAt" | "runAt";
  doneStatus: "processed" | "done";
  doneAtColumn: "processedAt" | "completedAt";
  /** Rows only claimed when this also holds. */
  claimable?: Prisma.Sql;
  /** Type only. */
  row?: Row;
}

export const INBOX_QUEUE: LeaseQueue<WebhookEvent> = {
  table: "WebhookEvent",
  dueColumn: "nextAttemptAt",
  doneStatus: "processed",
  doneAtColumn: "processedAt",
};
// An uninstalled shop's jobs never run (its Shopify access is gone and it asked the app to stop);
// those left are canceled at uninstall and at reinstall (app/shops/install.server.ts).
export const JOB_QUEUE: LeaseQueue<Job> = {
  table: "Job",
  dueColumn: "runAt",
  doneStatus: "done",
  doneAtColumn: "completedAt",
  claimable: Prisma.sql`"shopId" NOT IN (SELECT "id" FROM "Shop" WHERE "uninstalledAt" IS NOT NULL)`,
};

export interface Lease {
  id: string;
  /** Attempts including this one. */
  attempts: number;
}

type Client = RawSql;

/**
 * Which rows a claim takes by priority (docs/decisions/0009): "first" takes priority rows before the
 * others, "only" and "none" keep the two apart (a lane of their own for priority work).
 */
export type PriorityClaim = "first" | "only" | "none";

/**
 * Claims up to `limit` due rows for `owner` until `now + leaseMs` and returns them as claimed (their
 * `attempts` count this one). `kinds` limits a job claim to those kinds.
 */
export async function claimLeases<Row extends Lease>(
  queue: LeaseQueue<Row>,
  options: { owner: string; now: Date; leaseMs: number; limit: number; kinds?: readonly string[]; priority?: PriorityClaim },
): Promise<Row[]> {
  if (options.limit <= 0 || options.kinds?.length === 0) return [];
  const { now } = options;
  const priority = options.priority ?? "first";
  const ofPriority = priority === "only" ? Prisma.sql` AND "priority" > 0` : priority === "none" ? Prisma.sql` AND "priority" = 0` : Prisma.empty;
  // Separate statements, each a range of a (status, [priority,] due) index: an OR of the conditions
  // would make the database read the whole table on every claim.
  const claimed = await claimWhere(queue, options, Prisma.sql`"status" = 'processing' AND "leaseExpiresAt" < ${now}${ofPriority}`, options.limit);
  const due = Prisma.sql`"status" = 'pending' AND ${ident(queue.dueColumn)} <= ${now}`;
  if (priority === "first")
    claimed.push(
      ...(await claimWhere(
        queue,
        options,
        Prisma.sql`"status" = 'pending' AND "priority" > 0 AND ${ident(queue.dueColumn)} <= ${now}`,
        options.limit - claimed.length,
      )),
    );
  claimed.push(...(await claimWhere(queue, options, Prisma.sql`${due}${ofPriority}`, options.limit - claimed.length)));
  return claimed;
}

async function claimWhere<Row extends Lease>(
  queue: LeaseQueue<Row>,
  options: { owner: string; now: Date; leaseMs: number; kinds?: readonly string[] },
  condition: Prisma.Sql,
  limit: number,
): Promise<Row[]> {
  if (limit <= 0) return [];
  const table = ident(queue.table);
  const ofKinds = options.kinds ? Prisma.sql`${condition} AND "kind" IN (${Prisma.join(options.kinds)})` : condition;
  const claimable = queue.claimable ? Prisma.sql`${ofKinds} AND ${queue.claimable}` : ofKinds;
  const lock = isPostgresClient(db()) ? Prisma.sql` FOR UPDATE SKIP LOCKED` : Prisma.empty;
  // A prepared statement (rawSql): claims run many times a second, and Prisma's $queryRaw plans each anew.
  const rows = await rawSql().$queryRaw<Row[]>`
    UPDATE ${table}
    SET "status" = 'processing', "leaseOwner" = ${options.owner}, "leaseExpiresAt" = ${new Date(options.now.getTime() + options.leaseMs)}, "attempts" = "attempts" + 1
    WHERE "id" IN (SELECT "id" FROM ${table} WHERE ${claimable} ORDER BY ${ident(queue.dueColumn)} LIMIT ${limit}${lock})
    RETURNING *`;
  // RETURNING gives rows in no particular order (PostgreSQL's is the table's): oldest due first.
  const due = (row: Row) => new Date((row as unknown as Record<string, Date | string>)[queue.dueColumn]).getTime();
  return rows.sort((a, b) => due(a) - due(b));
}

/** The rows among `leases` that `owner` still holds. */
const held = (leases: readonly string[], owner: string) => Prisma.sql`"id" IN (${Prisma.join(leases)}) AND "leaseOwner" = ${owner} AND "status" = 'processing'`;

/** Marks the row done. False when the lease is no longer ours (then nothing changed). Pass the transaction that did the work. */
export async function completeLease(client: Client, queue: LeaseQueue, id: string, owner: string, now: Date): Promise<boolean> {
  return (await completeLeases(client, queue, [id], owner, now)).has(id);
}

/** Marks the rows done in one statement; returns those that were (a row whose lease is no longer ours is left as it is). */
export async function completeLeases(client: Client, queue: LeaseQueue, ids: readonly string[], owner: string, now: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const done = await client.$queryRaw<Array<{ id: string }>>`
    UPDATE ${ident(queue.table)}
    SET "status" = ${queue.doneStatus}, ${ident(queue.doneAtColumn)} = ${now}, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "lastError" = NULL
    WHERE ${held(ids, owner)}
    RETURNING "id"`;
  return new Set(done.map((row) => row.id));
}

/** After a failed attempt: back to pending at `retryAt`, or dead-lettered when `retryAt` is null. */
export async function failLease(queue: LeaseQueue, id: string, owner: string, error: string, retryAt: Date | null): Promise<boolean> {
  const next = retryAt ? Prisma.sql`"status" = 'pending', ${ident(queue.dueColumn)} = ${retryAt}` : Prisma.sql`"status" = 'dead'`;
  const changed = await rawSql().$executeRaw`
    UPDATE ${ident(queue.table)}
    SET ${next}, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "lastError" = ${error}
    WHERE ${held([id], owner)}`;
  return changed === 1;
}

/** A row that must wait: back to pending at `retryAt`, giving back the attempt it was claimed with. */
export async function deferLease(queue: LeaseQueue, id: string, owner: string, reason: string, retryAt: Date): Promise<boolean> {
  const changed = await rawSql().$executeRaw`
    UPDATE ${ident(queue.table)}
    SET "status" = 'pending', ${ident(queue.dueColumn)} = ${retryAt}, "attempts" = "attempts" - 1, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "lastError" = ${reason}
    WHERE ${held([id], owner)}`;
  return changed === 1;
}

/**
 * Extends the leases `owner` still holds among `ids` to `now + leaseMs` and returns the ids it still
 * holds (a row missing was completed meanwhile, or its lease expired and was taken over).
 */
export async function renewLeases(queue: LeaseQueue, ids: readonly string[], owner: string, now: Date, leaseMs: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const table = ident(queue.table);
  const stillHeld = Prisma.sql`${held(ids, owner)} AND "leaseExpiresAt" >= ${now}`;
  // On PostgreSQL, rows this worker's own batch is completing right now are locked by it: waiting
  // for them (in another order than the batch takes them) could deadlock. They are skipped; a row
  // whose batch rolls back is renewed next time round, well within its lease.
  const lockable = isPostgresClient(db()) ? Prisma.sql`"id" IN (SELECT "id" FROM ${table} WHERE ${stillHeld} FOR UPDATE SKIP LOCKED)` : stillHeld;
  const renewed = await rawSql().$queryRaw<Array<{ id: string }>>`
    UPDATE ${table} SET "leaseExpiresAt" = ${new Date(now.getTime() + leaseMs)}
    WHERE ${lockable}
    RETURNING "id"`;
  const kept = new Set(renewed.map((r) => r.id));
  if (isPostgresClient(db()) && kept.size < ids.length) {
    // Skipped as locked is not lost: those still held (read without waiting) count as kept.
    const still = await rawSql().$queryRaw<Array<{ id: string }>>`SELECT "id" FROM ${table} WHERE ${stillHeld}`;
    for (const row of still) kept.add(row.id);
  }
  return kept;
}

/** Gives leases back unfinished (shutdown): the rows are due again at once. */
export async function releaseLeases(queue: LeaseQueue, ids: readonly string[], owner: string): Promise<number> {
  if (ids.length === 0) return 0;
  return rawSql().$executeRaw`
    UPDATE ${ident(queue.table)}
    SET "status" = 'pending', "leaseOwner" = NULL, "leaseExpiresAt" = NULL
    WHERE ${held(ids, owner)}`;
}
