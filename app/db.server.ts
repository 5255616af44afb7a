// The one database client. DATABASE_URL's scheme picks the provider: file: is the embedded SQLite
// default (better-sqlite3, WAL), postgresql:// uses node-postgres. Both generated clients share one
// model (prisma/postgresql/schema.prisma is the twin), so the app sees one PrismaClient type.
import { createRequire } from "node:module";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { type Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { env } from "./env.server";
import { preparedSql, registerPreparedHandle, type PreparedSql, type SqliteAdapterConnection } from "./lib/prepared-sql.server";
import { checkpointInBackground } from "./lib/sqlite-checkpoints.server";
import { DRIVER_BUSY_TIMEOUT_MS, sharedSqliteConnection } from "./lib/sqlite-connection.server";

export type Tx = Prisma.TransactionClient;

const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

export interface DbOptions {
  poolSize?: number;
  synchronous?: "NORMAL" | "FULL";
  /** SQLite: how long a write waits for another process's write lock before it fails (without blocking the process). */
  busyTimeoutMs?: number;
  /** SQLite: WAL checkpoints in a thread of their own, off the event loop (lib/sqlite-checkpoints.server.ts). */
  checkpointThread?: boolean;
}

export function createDb(url: string, options: DbOptions = {}): PrismaClient {
  if (isPostgresUrl(url)) {
    const require = createRequire(import.meta.url);
    const { PrismaClient: PgClient } = require(".prisma/client-pg") as { PrismaClient: typeof PrismaClient };
    // Prisma qualifies table names with the schema, which the adapter takes from `?schema=` (default
    // public). Raw SQL (lib/sql.server.ts, the leases, the inbox) names tables unqualified, so the
    // connections also search that schema.
    const schema = new URL(url).searchParams.get("schema") ?? undefined;
    const searchPath = schema ? { options: `-c search_path="${schema.replaceAll('"', '""').replaceAll(" ", "\\ ")}"` } : {};
    // One pool for Prisma and the hot path's prepared statements (lib/prepared-sql.server.ts).
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, ...searchPath });
    const client = new PgClient({ adapter: new PrismaPg(pool, { schema, disposeExternalPool: true }) });
    registerPreparedHandle(client, { provider: "postgresql", pool });
    return client;
  }
  // Another process (a backup, a migration) may hold the write lock for a moment: statements wait for
  // it asynchronously (lib/sqlite-connection.server.ts), never in the driver's blocking busy handler.
  const base = new PrismaBetterSQLite3({ url, timeout: DRIVER_BUSY_TIMEOUT_MS });
  const pragmas = `PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.synchronous ?? "NORMAL"}; PRAGMA foreign_keys = ON;`;
  // The one connection, shared with the hot path's prepared statements (lib/prepared-sql.server.ts).
  let connected: Promise<SqliteAdapterConnection> | undefined;
  const adapter: SqlDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    async connect() {
      const connection = sharedSqliteConnection(await base.connect(), { busyPatienceMs: options.busyTimeoutMs ?? 5000 });
      await connection.executeScript(pragmas);
      const shared = connection as unknown as SqliteAdapterConnection;
      if (options.checkpointThread) checkpointInBackground(shared.client, { synchronous: options.synchronous ?? "NORMAL" });
      connected = Promise.resolve(shared);
      return connection;
    },
  };
  const client = new PrismaClient({ adapter });
  registerPreparedHandle(client, {
    provider: "sqlite",
    connection: async () => {
      if (!connected) await client.$connect();
      if (!connected) throw new Error("Prisma connected without the SQLite adapter");
      return connected;
    },
  });
  return client;
}

declare global {
  // Remix dev reloads modules; keep one client per process.

  var __db: PrismaClient | undefined;
}

/** The process-wide client, created on first use. */
export function db(): PrismaClient {
  global.__db ??= createDb(env().DATABASE_URL, {
    poolSize: env().DATABASE_POOL_SIZE,
    synchronous: env().SQLITE_SYNCHRONOUS,
    checkpointThread: true,
  });
  return global.__db;
}

/**
 * The process-wide client's raw statements outside transactions, each prepared once per connection
 * (lib/prepared-sql.server.ts): for the hot path, where a `db().$queryRaw` costs several times the
 * statement (Prisma plans every call in WebAssembly; its SQLite adapter prepares every statement).
 */
export const rawSql = (): PreparedSql => preparedSql(db());

/** Tests and scripts point the app at their own database. */
export function setDb(client: PrismaClient | undefined) {
  global.__db = client;
}

/** An error's string `code`: Prisma's, or the driver's for statements run on it (lib/prepared-sql.server.ts). */
const errorCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
};
/**
 * Prisma error codes, checked by code rather than `instanceof`: the PostgreSQL client is a second
 * generated client with its own copy of Prisma's error classes.
 */
export const prismaErrorCode = (error: unknown): string | undefined => {
  const code = errorCode(error);
  return code !== undefined && /^P\d{4}$/.test(code) ? code : undefined;
};
/** A unique constraint refused the write (someone else inserted it first). */
export const isUniqueViolation = (error: unknown) =>
  prismaErrorCode(error) === "P2002" || ["SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "23505"].includes(errorCode(error) ?? "");
/** The record to update or delete does not exist (or is not this shop's). */
export const isRecordNotFound = (error: unknown) => prismaErrorCode(error) === "P2025";
/** A row refers to one that does not exist (typed queries: P2003; raw ones report the driver's kind or code). */
export const isForeignKeyViolation = (error: unknown) =>
  prismaErrorCode(error) === "P2003" ||
  ["SQLITE_CONSTRAINT_FOREIGNKEY", "23503"].includes(errorCode(error) ?? "") ||
  (error as { meta?: { driverAdapterError?: { cause?: { kind?: string } } } } | null)?.meta?.driverAdapterError?.cause?.kind ===
    "ForeignKeyConstraintViolation";
