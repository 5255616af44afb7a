// Every query of a process on the embedded SQLite database goes through one better-sqlite3
// connection (Prisma's adapter). Three things about that connection need help:
//  - The adapter's transactions take a lock, but a query outside a transaction does not wait for it.
//    One that ran while another request's transaction was open (awaiting a fetch, a file, the PDF
//    thread) joined that transaction and vanished with its rollback: a webhook answered 200 could be
//    lost. So statements outside transactions and transactions take turns on one lock.
//    (Waiting only for the transaction open at the time was not enough: one that began between the
//    wait and the statement, while its start was still being awaited, took the statement in.)
//  - better-sqlite3 answers synchronously, so a run of Prisma queries (each compiled and interpreted
//    in JavaScript and WebAssembly, a few milliseconds on a small machine) never gave the event loop a
//    turn: an evidence rebuild's queries held webhook intake for 50–70 ms at a time. After SLICE_MS of
//    back-to-back query work, the next answer waits one turn of the event loop.
//  - For the same reason SQLite's busy timeout (a write waiting for another process's write lock: a
//    backup, a migration, the sqlite3 shell) slept inside the statement and stopped the whole process:
//    five seconds per statement, for intake, the worker and the health checks alike. The driver now
//    gives up after DRIVER_BUSY_TIMEOUT_MS, and the statement is tried again after an asynchronous wait
//    until the connection's patience runs out; the process answers meanwhile. A statement that failed
//    SQLITE_BUSY did nothing, so trying it again is safe, inside a transaction too.
import { AsyncLocalStorage } from "node:async_hooks";
import { isUrgentWork } from "./urgent-work.server";
import type { IsolationLevel, SqlDriverAdapter, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/** The longest stretch of back-to-back queries before the event loop gets a turn. */
export const SLICE_MS = 8;

/** How long one statement may block the process waiting for another process's write lock. */
export const DRIVER_BUSY_TIMEOUT_MS = 20;

const busyCode = (error: unknown): string | undefined => {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { originalCode?: unknown } };
  // The driver's own error (prepared statements), or Prisma's adapter's wrapping of it.
  const found = typeof code === "string" ? code : cause?.originalCode;
  return typeof found === "string" ? found : undefined;
};
/**
 * Another connection holds the write lock. Not SQLITE_BUSY_SNAPSHOT: a transaction whose snapshot
 * another writer has since changed cannot write however long it waits; it must start again.
 */
const isBusy = (error: unknown) => busyCode(error) === "SQLITE_BUSY";

/** The transaction whose work is running (a prepared transaction, lib/prepared-sql.server.ts). */
const transactionWork = new AsyncLocalStorage<object>();

/**
 * Runs a prepared transaction's work (`transaction`: what this connection's startTransaction gave).
 * A query the work makes through the client, outside its transaction handle, joins the transaction
 * instead of waiting for it to end, which would be for ever.
 */
export const asTransactionWork = <T>(transaction: object, work: () => Promise<T>): Promise<T> => transactionWork.run(transaction, work);

/** Forwards everything to `target` (its methods bound to it), except `overrides`. */
function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof T];
      const value = Reflect.get(object, key, object) as unknown;
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

/**
 * One lock for the connection, in two lines: single statements go before waiting transactions (a
 * statement holds it for microseconds; webhook intake must not wait behind a queue of batches), each
 * line first come, first served. `statement()` and `transaction()` resolve with the function that gives
 * the turn back, which hands it straight to the next in line: there is no moment between two holders
 * in which someone else could slip in.
 */
function turns() {
  let held = false;
  const statements: Array<() => void> = [];
  const transactions: Array<() => void> = [];
  const handOn = () => {
    const next = statements.shift() ?? transactions.shift();
    if (next) next();
    else held = false;
  };
  const take = (line: Array<() => void>) =>
    new Promise<() => void>((resolve) => {
      const grant = () => {
        let given = false;
        resolve(() => {
          if (given) return;
          given = true;
          handOn();
        });
      };
      if (held) line.push(grant);
      else {
        held = true;
        grant();
      }
    });
  return { statement: () => take(statements), transaction: () => take(transactions) };
}

/** What the shared connection adds: statements of the app's own run outside transactions, by the same rules. */
export interface SharedSqliteConnection {
  /** Runs `run` (synchronous statements on the connection) in its turn, outside any transaction. */
  outsideTransaction<T>(run: () => T): Promise<T>;
  /**
   * Runs `reads` (reads on the connection, awaited one after another, nothing else awaited) in one turn,
   * outside any transaction. Tried again whole while another process holds the write lock.
   */
  readsTogether<T>(reads: () => Promise<T>): Promise<T>;
  /** Runs `run` (a statement), trying again while another process holds the write lock. */
  whileBusy<T>(run: () => T | Promise<T>, options?: { inTransaction?: boolean }): Promise<T>;
}

/**
 * `busyPatienceMs`: how long a statement keeps trying while another process holds the write lock,
 * waiting without blocking the process (the driver's busy timeout must be DRIVER_BUSY_TIMEOUT_MS).
 */
export function sharedSqliteConnection<C extends SqlDriverAdapter>(connection: C, { busyPatienceMs }: { busyPatienceMs: number }): C & SharedSqliteConnection {
  const lock = turns();
  /** The transaction holding the lock. */
  let holder: object | null = null;

  const database = (connection as unknown as { client: { inTransaction: boolean } }).client;
  const whileBusy = async <T>(run: () => T | Promise<T>, { inTransaction = false } = {}): Promise<T> => {
    const deadline = performance.now() + busyPatienceMs;
    for (let pauseMs = 5; ; pauseMs = Math.min(2 * pauseMs, 250)) {
      try {
        return await run();
      } catch (error) {
        // SQLite may roll a transaction back on SQLITE_BUSY; then there is nothing left to try again in.
        const lost = inTransaction && !database.inTransaction;
        if (!isBusy(error) || lost || performance.now() + pauseMs >= deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };

  // A slice starts with the first query since the event loop last turned.
  let sliceStarted = 0;
  let turned = true;
  const timed = async <T>(run: () => Promise<T>): Promise<T> => {
    if (turned) {
      turned = false;
      sliceStarted = performance.now();
      setImmediate(() => (turned = true));
    }
    const result = await run();
    // Urgent work (a risky payment's review) keeps going: under load a turn of the event loop is every
    // delivery waiting to be read, and a review of a dozen statements waited one turn after each (its
    // hold was decided 170 ms after its event, against 14 ms without; bench:webhooks). It is a few
    // statements per flagged payment, so intake loses nothing measurable.
    if (performance.now() - sliceStarted >= SLICE_MS && !isUrgentWork()) await new Promise<void>((resolve) => setImmediate(resolve));
    return result;
  };
  // Each try takes a turn of its own: waiting for another process's lock must not hold up this one's.
  // `together`: `run` is several statements, awaited one after another, which keep the turn until the last.
  const outsideTransactions = <T>(run: () => Promise<T>, { together = false } = {}): Promise<T> =>
    whileBusy(async () => {
      const work = transactionWork.getStore();
      if (work && work === holder) return timed(run);
      const giveBack = await lock.statement();
      let ran: Promise<T>;
      try {
        ran = run(); // the driver answers synchronously: a single statement is done when this returns
        if (together) await ran;
      } finally {
        giveBack();
      }
      return timed(() => ran);
    });

  return withOverrides<SqlDriverAdapter & SharedSqliteConnection>(connection as C & SharedSqliteConnection, {
    outsideTransaction: <T>(run: () => T) => outsideTransactions(async () => run()),
    readsTogether: <T>(reads: () => Promise<T>) => outsideTransactions(reads, { together: true }),
    whileBusy,
    queryRaw: (query: SqlQuery) => outsideTransactions(() => connection.queryRaw(query)),
    executeRaw: (query: SqlQuery) => outsideTransactions(() => connection.executeRaw(query)),
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      const giveBack = await lock.transaction();
      let transaction: Transaction;
      try {
        transaction = await connection.startTransaction(isolationLevel);
      } catch (error) {
        giveBack();
        throw error;
      }
      const wrapped = withOverrides(transaction, {
        queryRaw: (query: SqlQuery) => whileBusy(() => timed(() => transaction.queryRaw(query)), { inTransaction: true }),
        executeRaw: (query: SqlQuery) => whileBusy(() => timed(() => transaction.executeRaw(query)), { inTransaction: true }),
        commit: () => transaction.commit().finally(finish),
        rollback: () => transaction.rollback().finally(finish),
      });
      holder = wrapped;
      function finish() {
        if (holder === wrapped) holder = null;
        giveBack();
      }
      return wrapped;
    },
  }) as C & SharedSqliteConnection;
}
