// Shared by the benchmarks that run the app's code in their own process on a seeded SQLite database
// (zendesk-timeline.ts, reconcile.ts): the migrated database file, timestamps for rows bulk-inserted
// beside Prisma, and the latency of route handlers called as Remix calls them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { migrationSql } from "../helpers/db";
import { callAction } from "../helpers/shopify";

/** A temp SQLite file migrated as production's is (WAL); remove `dir` when done. */
export function migratedSqlite(prefix: string): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, "bench.sqlite");
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  for (const sql of migrationSql("sqlite")) raw.exec(sql);
  raw.close();
  return { dir, file };
}

/** A DateTime as Prisma's SQLite adapter stores it, so bulk-inserted rows compare and sort like the app's. */
export const sqliteTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

export interface LatencyFigures {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(samples: number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)].toFixed(2));
  return { requests: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

type Handler = Parameters<typeof callAction>[0];

/**
 * Calls `count` requests one after another, each timed from the call to its body read (a loader's data
 * serialized as JSON); anything but 200 stops the benchmark. `onBody` sees each answer (the next page's cursor).
 */
export async function measureRoute(
  count: number,
  next: (i: number) => Promise<{ handler: Handler; request: Request; params: Record<string, string> }>,
  onBody?: (body: string, i: number) => void,
): Promise<LatencyFigures> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const { handler, request, params } = await next(i);
    const started = performance.now();
    const response = await callAction(handler, request, params);
    const body = await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`${request.method} ${request.url} answered ${response.status}: ${body.slice(0, 200)}`);
    samples.push(ms);
    onBody?.(body, i);
  }
  return percentiles(samples);
}
