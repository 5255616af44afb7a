// Every query of a process on the embedded SQLite database goes through one better-sqlite3
// connection (Prisma's adapter). Two things about that connection need help:
//  - The adapter's transactions take a lock, but a query outside a transaction does not wait for it.
//    One that ran while another request's transaction was open (awaiting a fetch, a file, the PDF
//    thread) joined that transaction and vanished with its rollback: a webhook answered 200 could be
//    lost. Queries outside a transaction now wait until the open one ends.
//  - better-sqlite3 answers synchronously, so a run of Prisma queries (each compiled and interpreted
//    in JavaScript and WebAssembly, a few milliseconds on a small machine) never gave the event loop a
//    turn: an evidence rebuild's queries held webhook intake for 50–70 ms at a time. After SLICE_MS of
//    back-to-back query work, the next answer waits one turn of the event loop.
import { AsyncLocalStorage } from "node:async_hooks";
import type { IsolationLevel, SqlDriverAdapter, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/** The longest stretch of back-to-back queries before the event loop gets a turn. */
export const SLICE_MS = 8;

const transactionWork = new AsyncLocalStorage<true>();

/**
 * Runs a prepared transaction's work (lib/prepared-sql.server.ts). A query it makes outside the
 * transaction, through the client, joins the transaction instead of waiting for it to end, which
 * would be for ever.
 */
export const asTransactionWork = <T>(work: () => Promise<T>): Promise<T> => transactionWork.run(true, work);

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

/** What the shared connection adds: statements of the app's own run outside transactions, by the same rules. */
export interface SharedSqliteConnection {
  /** Runs `run` (synchronous statements on the connection) once no transaction is open. */
  outsideTransaction<T>(run: () => T): Promise<T>;
}

export function sharedSqliteConnection<C extends SqlDriverAdapter>(connection: C): C & SharedSqliteConnection {
  let open: Promise<void> | null = null;

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
    if (performance.now() - sliceStarted >= SLICE_MS) await new Promise<void>((resolve) => setImmediate(resolve));
    return result;
  };
  const outsideTransactions = async <T>(run: () => Promise<T>): Promise<T> => {
    if (!transactionWork.getStore()) while (open) await open;
    return timed(run);
  };

  return withOverrides<SqlDriverAdapter & SharedSqliteConnection>(connection as C & SharedSqliteConnection, {
    outsideTransaction: <T>(run: () => T) => outsideTransactions(async () => run()),
    queryRaw: (query: SqlQuery) => outsideTransactions(() => connection.queryRaw(query)),
    executeRaw: (query: SqlQuery) => outsideTransactions(() => connection.executeRaw(query)),
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      // The adapter's lock orders transactions; `open` holds back the queries outside them.
      const transaction = await connection.startTransaction(isolationLevel);
      let end!: () => void;
      const ended = new Promise<void>((resolve) => (end = resolve));
      open = ended;
      const finish = () => {
        if (open === ended) open = null;
        end();
      };
      return withOverrides(transaction, {
        queryRaw: (query: SqlQuery) => timed(() => transaction.queryRaw(query)),
        executeRaw: (query: SqlQuery) => timed(() => transaction.executeRaw(query)),
        commit: () => transaction.commit().finally(finish),
        rollback: () => transaction.rollback().finally(finish),
      });
    },
  }) as C & SharedSqliteConnection;
}
