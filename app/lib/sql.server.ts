// Portable SQL (SQLite and PostgreSQL) through Prisma's raw queries, for the hot paths: webhook intake
// and event processing. Each typed Prisma query compiles its plan in WebAssembly on every call
// (about 0.5-1 ms on our machines); a raw statement costs about 0.07 ms. Identifiers come from code,
// never from input; every value is a bound parameter. Rows come back typed by their columns (dates as
// Date, booleans as boolean), like the typed client's.
import { randomUUID } from "node:crypto";
import {
  Prisma,
  type Dispute,
  type Hold,
  type InsightRollupState,
  type InsightStaleHour,
  type Job,
  type MoneyAction,
  type OrderLink,
  type Payment,
  type PaymentActivity,
  type RiskRules,
  type Shop,
} from "@prisma/client";
import type { RawSql } from "./prepared-sql.server";
import { isPostgresClient } from "./row-lock.server";

interface Tables {
  Payment: Payment;
  PaymentActivity: PaymentActivity;
  Dispute: Dispute;
  Job: Job;
  MoneyAction: MoneyAction;
  OrderLink: OrderLink;
  Hold: Hold;
  RiskRules: RiskRules;
  Shop: Shop;
  InsightStaleHour: InsightStaleHour;
  InsightRollupState: InsightRollupState;
}
type Table = keyof Tables;
/** A Prisma client or transaction, or a prepared-statement transaction (prepared-sql.server.ts). */
type Client = RawSql;
type Values<T extends Table> = { [K in keyof Tables[T]]?: Tables[T][K] };

export const ident = (name: string) => Prisma.raw(`"${name.replaceAll('"', "")}"`);

const defined = <T extends object>(values: T) => Object.entries(values).filter(([, v]) => v !== undefined) as Array<[string, unknown]>;

// The typed client fills these in JavaScript (the database has no defaults for them in its format).
const HAS_UPDATED_AT: Record<Table, boolean> = {
  Payment: true,
  Dispute: true,
  MoneyAction: true,
  PaymentActivity: false,
  Job: false,
  OrderLink: false,
  Hold: true,
  RiskRules: true,
  Shop: true,
  InsightStaleHour: false,
  InsightRollupState: false,
};

/** Inserts a row unless one with the same `conflict` columns exists; true when it inserted. */
export async function insertIfAbsent<T extends Table>(client: Client, table: T, values: Values<T>, conflict: Array<keyof Tables[T] & string>) {
  const now = new Date();
  const row = { id: randomUUID(), createdAt: now, ...(HAS_UPDATED_AT[table] ? { updatedAt: now } : {}), ...values };
  const entries = defined(row);
  const inserted = await client.$executeRaw`
    INSERT INTO ${ident(table)} (${Prisma.join(entries.map(([k]) => ident(k)))})
    VALUES (${Prisma.join(entries.map(([, v]) => v))})
    ON CONFLICT (${Prisma.join(conflict.map(ident))}) DO NOTHING`;
  return inserted === 1;
}

const conditions = (where: Record<string, unknown>) =>
  Prisma.join(
    defined(where).map(([k, v]) => (v === null ? Prisma.sql`${ident(k)} IS NULL` : Prisma.sql`${ident(k)} = ${v}`)),
    " AND ",
  );

/**
 * The first row matching every `where` column, or null. With `lock`, the row stays locked until the
 * transaction ends (see row-lock.server.ts: PostgreSQL only).
 */
export async function selectOne<T extends Table>(client: Client, table: T, where: Values<T>, options: { lock?: boolean } = {}): Promise<Tables[T] | null> {
  const lock = options.lock && isPostgresClient(client) ? Prisma.sql` FOR UPDATE` : Prisma.empty;
  const rows = await client.$queryRaw<Array<Tables[T]>>`SELECT * FROM ${ident(table)} WHERE ${conditions(where)} LIMIT 1${lock}`;
  return rows[0] ?? null;
}

/** Sets the given columns on the rows matching `where`; returns how many changed. */
export async function updateWhere<T extends Table>(client: Client, table: T, where: Values<T>, values: Values<T>): Promise<number> {
  const set = defined({ ...(HAS_UPDATED_AT[table] ? { updatedAt: new Date() } : {}), ...values });
  return client.$executeRaw`
    UPDATE ${ident(table)} SET ${Prisma.join(set.map(([k, v]) => Prisma.sql`${ident(k)} = ${v}`))}
    WHERE ${conditions(where)}`;
}
