// The database goes away for a few seconds while webhooks keep coming. Every delivery is answered
// 503 (so Checkout.com delivers it again) or 2xx only once stored; nothing is half-written; the app
// stays up, and its worker carries on by itself once the database is back, processing everything once.
//   SQLite: another connection takes the write lock (BEGIN EXCLUSIVE), so writes fail with
//   SQLITE_BUSY after the busy timeout (5 s), waited for without stopping the process: reads, health
//   checks and every other request are still answered meanwhile.
//   PostgreSQL (when TEST_DATABASE_URL is set): the app reaches the server through a TCP proxy that
//   drops every connection and refuses new ones, as a database restart or failover does.
import net from "node:net";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db.server";
import { declinedPaymentEvent, startWorld, timelineEntriesPerEvent, type CheckoutEvent, type World } from "./world";

const postgresUrl = process.env.TEST_DATABASE_URL ?? "";

/** Delivers `before`, takes the database away, delivers `during`, brings it back; returns the answers during the outage. */
async function outage(world: World, takeAway: () => Promise<void>, bringBack: () => Promise<void>) {
  try {
    return await outageSteps(world, takeAway, bringBack);
  } catch (error) {
    // What the app said is the first thing to read when this fails in CI.
    console.error(`the app said (last 60 lines):\n${world.appLog.join("").split("\n").slice(-60).join("\n")}`);
    throw error;
  }
}

async function outageSteps(world: World, takeAway: () => Promise<void>, bringBack: () => Promise<void>) {
  const before = Array.from({ length: 150 }, (_, i) => declinedPaymentEvent(i));
  const during = Array.from({ length: 16 }, (_, i) => declinedPaymentEvent(1000 + i));
  expect(await world.deliverUntilAccepted(before, 8)).toBe(0);
  // The worker is idle when the database goes: then it is only looking for work.
  await world.waitUntilSettled();
  const pid = world.app!.child.pid;

  await takeAway();
  const answers = await world.deliverAll(during, 16);
  // A probe that fails outright is recorded as such: whether the app stayed up is checked below (same
  // process, still answering), and on PostgreSQL the probe must say 503.
  // Asked with a deadline: a process stalled by the database answers nothing (it once took 30 s).
  const readiness = await fetch(`${world.appUrl}/readyz`, { signal: AbortSignal.timeout(3_000) }).then(
    (r) => r.status,
    (error: Error) => `${error.message} (${(error.cause as Error | undefined)?.message ?? "no cause"})`,
  );
  // The worker meets the outage too: its next look for work fails (on SQLite only once its busy timeout
  // has passed, so the database stays away until it has, however the deliveries' timing fell).
  await expect.poll(() => world.appLog.join(""), { timeout: 30_000, interval: 250 }).toMatch(/worker\.(claim|settle)_failed|worker\.event_retry/);
  await bringBack();

  // 503 to every delivery it could not store, and nothing of them stored.
  expect([...answers.values()]).toEqual(during.map(() => 503));
  expect(await db().webhookEvent.count({ where: { eventId: { in: during.map((e) => e.id) } } })).toBe(0);

  // Checkout.com delivers again; the same app process, with no restart, processes everything once.
  await world.deliverUntilAccepted(during, 8, 30_000);
  await world.waitUntilSettled(60_000);
  expect(world.app!.child.pid).toBe(pid);
  expect(world.app!.child.exitCode).toBeNull();
  expect((await fetch(`${world.appUrl}/readyz`)).status).toBe(200);
  const all: CheckoutEvent[] = [...before, ...during];
  expect(await db().webhookEvent.count({ where: { status: "processed" } })).toBe(all.length);
  const timeline = await timelineEntriesPerEvent();
  expect(all.map((e) => timeline.get(e.id))).toEqual(all.map(() => 1));
  return { readiness };
}

const onPostgres = /^postgres(ql)?:\/\//.test(postgresUrl);

describe.skipIf(onPostgres)("SQLite: another connection holds the write lock", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ postgresUrl: "" });
    await world.startApp();
  });
  afterAll(() => world?.close());

  it("answers 503 while it cannot write, and the worker resumes by itself when the lock is gone", async () => {
    let locker: Database.Database | undefined;
    const { readiness } = await outage(
      world,
      async () => {
        locker = new Database(world.database.url.replace(/^file:/, ""));
        locker.exec("BEGIN EXCLUSIVE");
      },
      async () => {
        locker!.exec("ROLLBACK");
        locker!.close();
      },
    );
    // Reads need no write lock: the database still answers, and so does the process.
    expect(readiness).toBe(200);
  });
});

/** A TCP proxy to the database that can drop every connection and refuse new ones, then come back. */
async function startDatabaseProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const down = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  return { port, down, up: () => listen(port) };
}

describe.runIf(onPostgres)("PostgreSQL: every connection dropped, new ones refused", () => {
  let world: World;
  let proxy: Awaited<ReturnType<typeof startDatabaseProxy>>;
  beforeAll(async () => {
    world = await startWorld({ postgresUrl });
    const direct = new URL(world.database.url);
    proxy = await startDatabaseProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(world.database.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    await world.startApp({ DATABASE_URL: viaProxy.toString() });
  });
  afterAll(() => world?.close());

  it("answers 503 and reports not ready during the outage, and the worker resumes by itself", async () => {
    const { readiness } = await outage(
      world,
      async () => {
        await proxy.down();
      },
      async () => {
        // A few seconds without a database, then it is back.
        await new Promise((r) => setTimeout(r, 3_000));
        await proxy.up();
      },
    );
    expect(readiness).toBe(503);
  });
});
