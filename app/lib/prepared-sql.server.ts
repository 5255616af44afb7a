// Transactions for the hot path (event processing, docs/decisions/0009) that run their statements on
// the driver with prepared statements kept across transactions, on the connection (SQLite) or pool
// (PostgreSQL) Prisma uses. A typed Prisma query plans itself in WebAssembly on every call and the
// SQLite adapter prepares every statement afresh; together about 0.2-1 ms a statement, most of an
// event's cost. Here a statement is prepared once per connection and costs microseconds.
//
// The statements are the same parameterised `Prisma.sql` templates as everywhere else (lib/sql.server.ts):
// a `PreparedTx` answers `$queryRaw` and `$executeRaw` like a Prisma client, so code written against
// `RawSql` runs in either. Values and rows are converted the way Prisma's adapters convert them (dates,
// booleans), so rows written here read the same through Prisma and the other way round.
import crypto from "node:crypto";
import type BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { Prisma, type PrismaClient } from "@prisma/client";
import { asTransactionWork } from "./sqlite-connection.server";

/** The raw-SQL surface of a Prisma client or transaction, which a PreparedTx also has. */
export interface RawSql {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<number>;
}

export interface PreparedTx extends RawSql {
  readonly provider: "sqlite" | "postgresql";
  /** Runs `work` under a savepoint: when it throws, its writes are undone and the transaction goes on. */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
  /** Replaced whenever a savepoint rolls back: what the transaction remembers writing keys on it (`transactionMemo`). */
  readonly scope: object;
}

/**
 * A value per transaction (`create`d on first use), forgotten when one of its savepoints rolls back.
 * Null outside a prepared transaction.
 */
function perTransaction<T extends object>(create: () => T): (client: RawSql) => T | null {
  const values = new WeakMap<object, T>();
  return (client) => {
    const scope = (client as Partial<PreparedTx>).scope;
    if (!scope) return null;
    let value = values.get(scope);
    if (!value) values.set(scope, (value = create()));
    return value;
  };
}

/**
 * A set per transaction of what it wrote ("queued this job"), so that it writes it once: forgotten
 * when one of its savepoints rolls back (the writes went with it).
 */
export const transactionMemo = () => perTransaction(() => new Set<string>());

/**
 * Reads a transaction makes once (`key`: what is read) and its later statements reuse, such as a
 * shop's settings for each payment of an event batch. Outside a prepared transaction it just reads.
 */
export function transactionReads(): <T>(client: RawSql, key: string, read: () => PromiseLike<T>) => Promise<T> {
  const readsOf = perTransaction(() => new Map<string, Promise<unknown>>());
  return <T>(client: RawSql, key: string, read: () => PromiseLike<T>) => {
    const reads = readsOf(client);
    if (!reads) return Promise.resolve(read());
    let value = reads.get(key) as Promise<T> | undefined;
    if (!value) reads.set(key, (value = Promise.resolve(read())));
    return value;
  };
}

/** How a client's connections are reached (registered by db.server.ts when it creates the client). */
export type PreparedHandle = { provider: "sqlite"; connection: () => Promise<SqliteAdapterConnection> } | { provider: "postgresql"; pool: pg.Pool };

/**
 * What this module needs of Prisma's better-sqlite3 adapter connection: its Database (`client`) and
 * its transaction start, which takes the adapter's lock so Prisma's own transactions wait for ours.
 */
export interface SqliteAdapterConnection {
  client: BetterSqlite3.Database;
  startTransaction(): Promise<{ commit(): Promise<void>; rollback(): Promise<void> }>;
  /** Runs statements once no transaction is open (lib/sqlite-connection.server.ts). */
  outsideTransaction<T>(run: () => T): Promise<T>;
  /** Runs reads, awaited one after another, in one turn once no transaction is open (lib/sqlite-connection.server.ts). */
  readsTogether<T>(reads: () => Promise<T>): Promise<T>;
  /** Runs a statement, trying again while another process holds the write lock (lib/sqlite-connection.server.ts). */
  whileBusy<T>(run: () => T, options: { inTransaction: boolean }): Promise<T>;
}

// Process-wide: server.ts (through tsx) and the Remix build each load a copy of this module, and
// whichever creates the client first registers it for both.
const HANDLES = Symbol.for("checkout-companion.prepared-sql.handles");
const registry = globalThis as { [HANDLES]?: WeakMap<PrismaClient, PreparedHandle> };
const handles = (registry[HANDLES] ??= new WeakMap<PrismaClient, PreparedHandle>());

export function registerPreparedHandle(client: PrismaClient, handle: PreparedHandle) {
  handles.set(client, handle);
}

// A tagged call passes its strings (an array); a built query (Prisma.sql`...`) comes whole.
const templateOf = (query: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql =>
  Array.isArray(query) ? Prisma.sql(query as TemplateStringsArray, ...values) : (query as Prisma.Sql);

// ---------------------------------------------------------------------------------------------
// SQLite: better-sqlite3 statements, cached per database connection.

type Converter = ((row: Record<string, unknown>) => Record<string, unknown>) | null;
interface CachedStatement {
  statement: BetterSqlite3.Statement;
  convert: Converter;
}
const sqliteStatements = new WeakMap<BetterSqlite3.Database, Map<string, CachedStatement>>();
/** Distinct statement texts kept per connection (IN lists of many lengths must not grow it for ever). */
const MAX_CACHED_STATEMENTS = 1000;

/** Dates and booleans as Prisma's adapter stores them (iso8601 timestamps, 0/1). */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value ?? null;
}

/** Columns declared DATETIME come back as Date, BOOLEAN as boolean, as through Prisma. */
function sqliteConverter(statement: BetterSqlite3.Statement): Converter {
  if (!statement.reader) return null;
  const dates: string[] = [];
  const booleans: string[] = [];
  for (const column of statement.columns()) {
    const type = (column.type ?? "").toUpperCase();
    if (type === "DATETIME") dates.push(column.name);
    else if (type === "BOOLEAN") booleans.push(column.name);
  }
  if (!dates.length && !booleans.length) return null;
  return (row) => {
    for (const name of dates) {
      const value = row[name];
      if (typeof value === "string") row[name] = new Date(value);
      else if (typeof value === "number") row[name] = new Date(value);
    }
    for (const name of booleans) if (row[name] !== null && row[name] !== undefined) row[name] = Boolean(row[name]);
    return row;
  };
}

function sqliteStatement(database: BetterSqlite3.Database, sql: string): CachedStatement {
  let cache = sqliteStatements.get(database);
  if (!cache) sqliteStatements.set(database, (cache = new Map()));
  let cached = cache.get(sql);
  if (!cached) {
    if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
    const statement = database.prepare(sql);
    // Prisma's adapter reads every integer as a BigInt; these columns hold numbers, as Prisma's rows do.
    if (statement.reader) statement.safeIntegers(false);
    cached = { statement, convert: sqliteConverter(statement) };
    cache.set(sql, cached);
  }
  return cached;
}

function sqliteQuery<T>(database: BetterSqlite3.Database, template: Prisma.Sql): T {
  const { statement, convert } = sqliteStatement(database, template.sql);
  const values = template.values.map(sqliteValue);
  if (!statement.reader) {
    statement.run(values);
    return [] as T;
  }
  const rows = statement.all(values) as Array<Record<string, unknown>>;
  return (convert ? rows.map(convert) : rows) as T;
}

function sqliteExecute(database: BetterSqlite3.Database, template: Prisma.Sql): number {
  const { statement } = sqliteStatement(database, template.sql);
  return statement.reader ? (statement.all(template.values.map(sqliteValue)) as unknown[]).length : statement.run(template.values.map(sqliteValue)).changes;
}

function sqliteTx(connection: SqliteAdapterConnection): PreparedTx {
  const database = connection.client;
  const statement = <T>(run: () => T) => connection.whileBusy(run, { inTransaction: true });
  let savepoints = 0;
  let scope = {};
  return {
    provider: "sqlite",
    get scope() {
      return scope;
    },
    $queryRaw: <T>(q: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => statement(() => sqliteQuery<T>(database, templateOf(q, values))),
    $executeRaw: (q: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => statement(() => sqliteExecute(database, templateOf(q, values))),
    async savepoint(work) {
      const name = `sp${++savepoints}`;
      sqliteStatement(database, `SAVEPOINT ${name}`).statement.run();
      try {
        const result = await work();
        sqliteStatement(database, `RELEASE ${name}`).statement.run();
        return result;
      } catch (error) {
        sqliteStatement(database, `ROLLBACK TO ${name}`).statement.run();
        sqliteStatement(database, `RELEASE ${name}`).statement.run();
        scope = {};
        throw error;
      }
    },
  };
}

async function inSqliteTransaction<T>(connection: SqliteAdapterConnection, work: (tx: PreparedTx) => Promise<T>): Promise<T> {
  // The adapter's own start: its lock makes Prisma's transactions on this connection wait for this one.
  const transaction = await connection.startTransaction();
  const database = connection.client;
  try {
    const result = await asTransactionWork(transaction, () => work(sqliteTx(connection)));
    sqliteStatement(database, "COMMIT").statement.run();
    await transaction.commit();
    return result;
  } catch (error) {
    if (database.inTransaction) sqliteStatement(database, "ROLLBACK").statement.run();
    await transaction.rollback();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: named statements, which node-postgres prepares once per pooled connection.

const TIMESTAMP_OID = 1114;
const pgTypes = {
  // Prisma writes timestamps without time zone in UTC; node-postgres would read them as local time.
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_OID
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/** Dates as UTC text (the column has no time zone: the offset is ignored, the value is UTC already). */
const pgValue = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null));

/** Names by statement text, so the hot path hashes each text once rather than on every run. */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `p_${crypto.createHash("sha1").update(text).digest("base64url")}`;
    // IN lists of many lengths make many texts: the names are kept for the first MAX_CACHED_STATEMENTS only.
    if (statementNames.size < MAX_CACHED_STATEMENTS) statementNames.set(text, name);
  }
  return name;
}

const pgRun = (client: pg.Pool | pg.PoolClient, template: Prisma.Sql) =>
  client.query({ name: statementName(template.text), text: template.text, values: template.values.map(pgValue), types: pgTypes });

function pgTx(client: pg.PoolClient): PreparedTx {
  let savepoints = 0;
  let scope = {};
  const run = (template: Prisma.Sql) => pgRun(client, template);
  return {
    provider: "postgresql",
    get scope() {
      return scope;
    },
    $queryRaw: async <T>(q: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => (await run(templateOf(q, values))).rows as T,
    $executeRaw: async (q: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => (await run(templateOf(q, values))).rowCount ?? 0,
    async savepoint(work) {
      const name = `sp${++savepoints}`;
      await client.query(`SAVEPOINT ${name}`);
      try {
        const result = await work();
        await client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        scope = {};
        throw error;
      }
    },
  };
}

async function inPgTransaction<T>(pool: pg.Pool, work: (tx: PreparedTx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(pgTx(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    // A connection that could not even roll back is dropped rather than reused.
    client.release(broken);
  }
}

/** Runs `work` in one transaction of `client`'s database, with statements prepared once and reused. */
export async function inPreparedTransaction<T>(client: PrismaClient, work: (tx: PreparedTx) => Promise<T>): Promise<T> {
  const handle = handles.get(client);
  if (!handle) throw new Error("This database client was not created by createDb: no prepared-statement access");
  return handle.provider === "sqlite" ? inSqliteTransaction(await handle.connection(), work) : inPgTransaction(handle.pool, work);
}

/** Statements outside a transaction, on `client`'s database. */
export type PreparedSql = RawSql & {
  readonly provider: "sqlite" | "postgresql";
  /**
   * Runs `reads` (reads on the RawSql it is given, nothing else awaited) one after another. On SQLite
   * they take one turn of the connection, where each alone would wait for its own behind the
   * transactions in line; on PostgreSQL each is a statement of the pool, as outside it.
   */
  readsTogether<T>(reads: (sql: RawSql) => Promise<T>): Promise<T>;
};

const readsOnly = async (): Promise<number> => {
  throw new Error("readsTogether runs reads only: a write belongs in a transaction");
};

const outside = new WeakMap<PrismaClient, PreparedSql>();

/**
 * Single statements outside any transaction, prepared once like inPreparedTransaction's: the hot
 * path's reads and writes that need no transaction. On SQLite they wait for an open transaction.
 */
export function preparedSql(client: PrismaClient): PreparedSql {
  let runner = outside.get(client);
  if (runner) return runner;
  const handle = handles.get(client);
  if (!handle) throw new Error("This database client was not created by createDb: no prepared-statement access");
  if (handle.provider === "sqlite") {
    const run = async <T>(statement: (database: BetterSqlite3.Database) => T) => {
      const connection = await handle.connection();
      return connection.outsideTransaction(() => statement(connection.client));
    };
    runner = {
      provider: "sqlite",
      $queryRaw: <T>(q: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => run((database) => sqliteQuery<T>(database, templateOf(q, values))),
      $executeRaw: (q: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => run((database) => sqliteExecute(database, templateOf(q, values))),
      async readsTogether(reads) {
        const connection = await handle.connection();
        // In the turn, statements run straight on the connection.
        const inTurn: RawSql = {
          $queryRaw: async <T>(q: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => sqliteQuery<T>(connection.client, templateOf(q, values)),
          $executeRaw: readsOnly,
        };
        return connection.readsTogether(() => reads(inTurn));
      },
    };
  } else {
    const { pool } = handle;
    const $queryRaw = async <T>(q: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => (await pgRun(pool, templateOf(q, values))).rows as T;
    runner = {
      provider: "postgresql",
      $queryRaw,
      $executeRaw: async (q: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => (await pgRun(pool, templateOf(q, values))).rowCount ?? 0,
      readsTogether: (reads) => reads({ $queryRaw, $executeRaw: readsOnly }),
    };
  }
  outside.set(client, runner);
  return runner;
}

/** The PostgreSQL pool behind `client`, or null on SQLite (LISTEN/NOTIFY wake-ups, app/queue/wakeups.server.ts). */
export function postgresPool(client: PrismaClient): pg.Pool | null {
  const handle = handles.get(client);
  return handle?.provider === "postgresql" ? handle.pool : null;
}
