// The real app as production runs it, for end-to-end tests and benchmarks: the Remix build (made when
// missing or older than the sources), a migrated SQLite database, and `node --import tsx server.ts`
// with NODE_ENV=production in a child process; and worker processes (`npm run worker`).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_ENCRYPTION_KEY, testEnv } from "./env";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Runs `npx remix vite:build` unless build/ is newer than everything under app/. */
export function buildAppIfNeeded() {
  const built = path.join(ROOT, "build/server/index.js");
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs > newestSource(path.join(ROOT, "app"))) return;
  execFileSync("npx", ["remix", "vite:build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

/** Applies the committed migrations to a new SQLite file the way an operator does (scripts/prisma.mjs migrate). */
export function migrateSqlite(file: string): string {
  const url = `file:${file}`;
  execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return url;
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** The configuration a production start needs, with the test app's keys. */
export function appEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: "production",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: TEST_APP_URL,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    // As in every test process (test/helpers/env.ts): test shops are on the development plan.
    BILLING_DEVELOPMENT_SHOPS: testEnv.BILLING_DEVELOPMENT_SHOPS,
    ...extra,
  };
}

export interface AppServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface AppServerOptions {
  /** More modules to preload (`--import`), e.g. a stand-in. */
  imports?: string[];
  /** Flags for node itself (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** Receives the server's stderr instead of this process's stderr (tests that break things on purpose). */
  onStderr?: (text: string) => void;
}

function spawnApp(entry: string, env: Record<string, string>, options: AppServerOptions): ChildProcess {
  const imports = ["tsx", ...(options.imports ?? [])].flatMap((module) => ["--import", module]);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...imports, entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", options.onStderr ? "pipe" : "inherit"],
  });
  child.stdout?.resume();
  if (options.onStderr) child.stderr?.on("data", (chunk: Buffer) => options.onStderr!(chunk.toString()));
  return child;
}

/** Starts a worker process (`npm run worker`: app/server/worker.process.ts) and waits until it has started. */
export async function startWorkerProcess(env: Record<string, string>, options: AppServerOptions = {}): Promise<ChildProcess> {
  // It says "worker.started" at the info level, on stdout.
  const child = spawnApp("app/server/worker.process.ts", { ...env, LOG_LEVEL: "info" }, options);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("worker.started") && resolve());
    child.once("exit", (code) => reject(new Error(`the worker exited (${code}) before it started`)));
  });
  return child;
}

/** Starts server.ts on `port` and waits for /healthz. */
export async function startAppServer(port: number, env: Record<string, string>, options: AppServerOptions = {}): Promise<AppServer> {
  const child = spawnApp("server.ts", { ...env, PORT: String(port) }, options);
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the app server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error("the app server did not become healthy in 30 s");
}
