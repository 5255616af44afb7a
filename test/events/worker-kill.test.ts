// A real crash: a worker process is killed with SIGKILL in the middle of an event. Its transaction
// never commits, its lease expires, and another worker processes the event exactly once. And the
// worker process itself (npm run worker): its health checks, its readiness while the database is
// locked, and a clean stop on SIGTERM.
import { spawn } from "node:child_process";
import Database from "better-sqlite3";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db, setDb } from "../../app/db.server";
import { createAppWorker } from "../../app/events/registry.server";
import { checkoutEvent, paymentEventData, paymentFixture } from "../fixtures/checkout-events";
import { putInInbox } from "../helpers/checkout-webhooks";
import { freePort } from "../helpers/app-server";
import { createTestDb, type TestDb } from "../helpers/db";
import { testEnv } from "../helpers/env";
import { createConnectedShop } from "../helpers/factories";

// The child needs the database's path, so this file makes its own.
let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
  setDb(testDb.client);
});
afterAll(() => testDb.dispose());

it("processes an event once after the worker that held it was killed mid-event", async () => {
  const { shop, connection } = await createConnectedShop();
  const p = paymentFixture();
  const row = await putInInbox(connection, checkoutEvent("payment_captured", paymentEventData("payment_captured", p)));

  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "worker-kill.child.ts")], {
    env: { ...process.env, ...testEnv, DATABASE_URL: testDb.url },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("HANGING") && resolve());
    child.on("exit", () => reject(new Error("the worker exited before reaching the event")));
  });
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");

  // Claimed by the dead worker; its half-done effects (the payment row) were never committed.
  const orphaned = await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } });
  expect(orphaned).toMatchObject({ status: "processing", leaseOwner: "doomed-worker", attempts: 1 });
  expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(0);

  const now = new Date();
  const restarted = (at: Date) => createAppWorker({ jobHandlers: {}, now: () => at });
  expect(await restarted(now).runUntilIdle()).toBe(0); // the lease still holds
  expect(await restarted(new Date(orphaned.leaseExpiresAt!.getTime() + 1)).runUntilIdle()).toBe(1);

  expect(await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "processed", attempts: 2, leaseOwner: null });
  const payment = await db().payment.findFirstOrThrow({ where: { shopId: shop.id } });
  expect(payment).toMatchObject({ ckoPaymentId: p.id, status: "Captured", capturedAmount: p.amount });
  expect(await db().paymentActivity.count({ where: { paymentId: payment.id } })).toBe(1);
});

it("runs as its own process (npm run worker): health checks, not ready while it cannot claim, stops cleanly on SIGTERM", async () => {
  const { shop, connection } = await createConnectedShop();
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "../../app/server/worker.process.ts")], {
    env: { ...process.env, ...testEnv, DATABASE_URL: testDb.url, LOG_LEVEL: "info", WORKER_HEALTH_PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"], // its errors while the database is locked are expected
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await expect.poll(() => output, { timeout: 10_000 }).toContain("worker.started");

  const row = await putInInbox(connection, checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture())));
  await expect.poll(async () => (await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } })).status, { timeout: 10_000 }).toBe("processed");
  expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(1);

  const check = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  expect(await check("/healthz")).toEqual({ status: 200, body: { ok: true } });
  expect(await check("/readyz")).toEqual({ status: 200, body: { ready: true } });
  // Another connection holds SQLite's write lock: claims fail once the busy timeout (5 s) runs out,
  // and meanwhile the synchronous driver keeps the process from answering at all.
  const locker = new Database(testDb.url.replace(/^file:/, ""));
  locker.exec("BEGIN EXCLUSIVE");
  try {
    await expect
      .poll(() => check("/readyz"), { timeout: 20_000, interval: 250 })
      .toMatchObject({ status: 503, body: { ready: false, reason: expect.stringContaining("cannot claim work") } });
    expect((await check("/healthz")).status).toBe(200);
  } finally {
    locker.exec("ROLLBACK");
    locker.close();
  }
  await expect.poll(() => check("/readyz"), { timeout: 20_000, interval: 250 }).toEqual({ status: 200, body: { ready: true } });

  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(output).toContain("worker.stopped");
  // Each lane's claims and renewals wait out the 5 s busy timeout in turn while the lock is held
  // (38–48 s here, once 60 s in CI): the budget is for that, not for anything slower.
}, 120_000);
