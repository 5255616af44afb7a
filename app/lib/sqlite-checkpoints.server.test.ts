import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkpointInBackground, type CheckpointThread } from "./sqlite-checkpoints.server";

let dir: string;
let file: string;
let database: Database.Database;
let thread: CheckpointThread | null;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cko-checkpoints-"));
  file = path.join(dir, "db.sqlite");
  database = new Database(file);
  database.pragma("journal_mode = WAL");
  database.exec(`CREATE TABLE "Row" ("id" INTEGER PRIMARY KEY, "body" BLOB NOT NULL)`);
  thread = null;
});

afterEach(async () => {
  await thread?.stop();
  database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const autocheckpoint = () => database.pragma("wal_autocheckpoint", { simple: true });
/** Writes about `kib` KiB, in transactions of 64 KiB. */
function write(kib: number) {
  const insert = database.prepare(`INSERT INTO "Row" ("body") VALUES (?)`);
  const batch = database.transaction(() => {
    for (let i = 0; i < 64; i++) insert.run(Buffer.alloc(1024, i));
  });
  for (let written = 0; written < kib; written += 64) batch();
}

async function until(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the condition");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("checkpoints in a thread", () => {
  it("the connection stops checkpointing in its commits, and the thread copies the log into the database file", async () => {
    thread = checkpointInBackground(database, { synchronous: "NORMAL", intervalMs: 20 });
    expect(autocheckpoint()).toBe(0);
    // 6 MiB is 1,500 pages: past SQLite's 1,000, where a commit would have checkpointed itself.
    write(6 * 1024);
    await until(() => fs.statSync(file).size >= 6 * 1024 * 1024);
    expect(database.prepare(`SELECT count(*) AS n FROM "Row"`).get()).toEqual({ n: 6 * 1024 });
  });

  it("once the thread stops, or fails, the connection checkpoints on its own again", async () => {
    thread = checkpointInBackground(database, { synchronous: "NORMAL" });
    await thread!.stop();
    expect(autocheckpoint()).toBe(1000);

    thread = checkpointInBackground(database, { synchronous: "NORMAL" });
    expect(autocheckpoint()).toBe(0);
    const exited = new Promise((resolve) => thread!.worker.once("exit", resolve));
    await thread!.worker.terminate();
    await exited;
    expect(autocheckpoint()).toBe(1000);
  });

  it("a database without a write-ahead log gets no thread", () => {
    const memory = new Database(":memory:");
    expect(checkpointInBackground(memory, { synchronous: "NORMAL" })).toBeNull();
    memory.close();
  });
});
