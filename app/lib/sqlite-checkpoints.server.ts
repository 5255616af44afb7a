// WAL checkpoints of the embedded SQLite database, run in a worker thread of their own. By default
// SQLite checkpoints inside the commit that takes the write-ahead log past 1,000 pages: that commit
// copies the log into the database file and syncs both, 5–25 ms on the event loop that also takes
// webhooks. In bench:webhooks one commit in fifteen did, and those commits were 60% of the time spent
// committing (docs/decisions/0009). Here the app's connection never checkpoints; a second connection,
// in a thread, checkpoints every CHECKPOINT_INTERVAL_MS without waiting for readers or writers
// (PASSIVE), and the app's next write starts the log over once it has all been copied. Commits keep
// their durability: what a commit writes and syncs is unchanged. Should the thread stop, the app's
// connection checkpoints on its own again, so the log never grows without bound.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type BetterSqlite3 from "better-sqlite3";
import { log } from "../log.server";

const CHECKPOINT_INTERVAL_MS = 100;
/** SQLite's own default: checkpoint in the commit that takes the log past this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;

// The thread's code: the driver only, no TypeScript (a thread of its own costs no loader). A checkpoint
// that finds another one running (another process's) skips its turn; any other failure ends the thread.
const THREAD_CODE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const database = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
database.pragma("synchronous = " + workerData.synchronous);
const checkpoint = () => {
  try {
    database.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    if (error.code !== "SQLITE_BUSY" && error.code !== "SQLITE_LOCKED") throw error;
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  database.close();
  parentPort.close();
});
`;

export interface CheckpointThread {
  /** Stops checkpointing in the thread; the app's connection checkpoints on its own again. */
  stop(): Promise<void>;
  /** The thread (tests end it to see the connection take checkpoints back). */
  readonly worker: Worker;
}

/**
 * Moves `database`'s checkpoints to a thread with a connection of its own. Null for a database with no
 * write-ahead log (in memory, or another journal mode): it has nothing to checkpoint.
 */
export function checkpointInBackground(
  database: BetterSqlite3.Database,
  options: { synchronous: "NORMAL" | "FULL"; intervalMs?: number },
): CheckpointThread | null {
  if (database.memory || database.pragma("journal_mode", { simple: true }) !== "wal") return null;
  const worker = new Worker(THREAD_CODE, {
    eval: true,
    execArgv: [],
    workerData: {
      driver: createRequire(import.meta.url).resolve("better-sqlite3"),
      file: database.name,
      synchronous: options.synchronous,
      intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
    },
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const checkpointInline = () => {
    if (database.open) database.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  worker.on("error", (error) => log.error("sqlite.checkpoint_thread_failed", { error: error.message }));
  worker.on("exit", (code) => {
    checkpointInline();
    if (!stopping) log.warn("sqlite.checkpoint_thread_stopped", { code });
  });
  worker.unref();
  database.pragma("wal_autocheckpoint = 0");
  return {
    worker,
    async stop() {
      if (!stopping) {
        stopping = true;
        worker.postMessage("stop");
      }
      await exited;
    },
  };
}
