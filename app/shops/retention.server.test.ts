// Data retention: old processed payloads and finished jobs shrink but their rows stay as the
// exactly-once guards, old audit entries and evidence files of long-closed disputes go, pending work is
// never touched, agents' idempotency keys go after 30 days, one shop's run leaves other shops alone,
// and the daily job runs once a day and queues the next.
import { randomUUID } from "node:crypto";
import type { CheckoutConnection } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutEvent, ckoId, disputeEventData, disputeFixture, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { deliver, putInInbox, startWebhookServer, type WebhookServer } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop, createShop } from "../../test/helpers/factories";
import { agentToken } from "../../test/helpers/mcp";
import { db } from "../db.server";
import { sayFieldErrors } from "../i18n/domain-words";
import { getEvent, replayEvent } from "../events/inbox.server";
import { createAppWorker, JOB_HANDLERS } from "../events/registry.server";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";
import { applyRetention, scheduleDataRetention, updateRetentionSettings } from "./retention.server";

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const today = () => new Date().toISOString().slice(0, 10);
const dayAfter = (day: string, days = 1) => new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY).toISOString().slice(0, 10);

let server: WebhookServer;
beforeAll(async () => {
  server = await startWebhookServer();
});
afterAll(() => server.close());

/** Events only: the jobs they queue (reviews, dispute syncs) are not these tests' business. */
const eventWorker = () => createAppWorker({ jobHandlers: {} });

async function inboxRow(connection: CheckoutConnection, options: { status: string; receivedDaysAgo: number; processedDaysAgo?: number; eventId?: string }) {
  const event = checkoutEvent("payment_captured", paymentEventData("payment_captured", paymentFixture()), { id: options.eventId });
  return db().webhookEvent.create({
    data: {
      shopId: connection.shopId,
      connectionId: connection.id,
      eventId: event.id as string,
      type: "payment_captured",
      payload: JSON.stringify(event),
      status: options.status,
      receivedAt: daysAgo(options.receivedDaysAgo),
      processedAt: options.processedDaysAgo === undefined ? null : daysAgo(options.processedDaysAgo),
    },
  });
}

async function jobRow(shopId: string, options: { kind?: string; key?: string; status: string; completedDaysAgo?: number; runDaysAgo?: number }) {
  return db().job.create({
    data: {
      shopId,
      kind: options.kind ?? JOB_KINDS.paymentReview,
      key: options.key ?? randomUUID(),
      payload: JSON.stringify({ paymentId: randomUUID(), email: "ada@example.com" }),
      lastError: options.status === "done" ? null : "Shopify said no",
      status: options.status,
      runAt: daysAgo(options.runDaysAgo ?? options.completedDaysAgo ?? 0),
      completedAt: options.completedDaysAgo === undefined ? null : daysAgo(options.completedDaysAgo),
    },
  });
}

const reload = {
  event: (id: string) => db().webhookEvent.findUniqueOrThrow({ where: { id } }),
  job: (id: string) => db().job.findUnique({ where: { id } }),
};

describe("webhook payloads", () => {
  it("empties the payloads of events processed before the cutoff, and leaves newer, pending and dead events whole", async () => {
    const { shop, connection } = await createConnectedShop();
    const old = await inboxRow(connection, { status: "processed", receivedDaysAgo: 40, processedDaysAgo: 40 });
    const recent = await inboxRow(connection, { status: "processed", receivedDaysAgo: 20, processedDaysAgo: 20 });
    // Received long ago but processed only lately (a dead event replayed): kept its days from processing.
    const lateProcessed = await inboxRow(connection, { status: "processed", receivedDaysAgo: 40, processedDaysAgo: 2 });
    const pending = await inboxRow(connection, { status: "pending", receivedDaysAgo: 40 });
    const dead = await inboxRow(connection, { status: "dead", receivedDaysAgo: 40 });

    expect((await applyRetention(shop.id)).eventPayloads).toBe(1);
    expect(await reload.event(old.id)).toMatchObject({
      payload: "",
      eventId: old.eventId,
      type: old.type,
      ckoPaymentId: old.ckoPaymentId,
      status: "processed",
      receivedAt: old.receivedAt,
      processedAt: old.processedAt,
    });
    for (const kept of [recent, lateProcessed, pending, dead]) expect((await reload.event(kept.id)).payload).toBe(kept.payload);

    // Running again changes nothing more.
    expect((await applyRetention(shop.id)).eventPayloads).toBe(0);
  });

  it("still refuses the event as a duplicate after its payload was removed, and replaying it applies nothing", async () => {
    const { shop, connection } = await createConnectedShop();
    const event = checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture()));
    expect(await deliver(server, connection.endpointId, event)).toEqual({ status: 200, body: { received: true } });
    await eventWorker().runUntilIdle();
    const row = await db().webhookEvent.findFirstOrThrow({ where: { shopId: shop.id, eventId: event.id as string } });
    expect(row.status).toBe("processed");
    await db().webhookEvent.update({ where: { id: row.id }, data: { receivedAt: daysAgo(31), processedAt: daysAgo(31) } });

    await applyRetention(shop.id);
    expect((await reload.event(row.id)).payload).toBe("");
    expect(await getEvent(shop.id, row.id)).toMatchObject({ eventId: event.id, payloadRemoved: true });
    expect(await deliver(server, connection.endpointId, event)).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(await db().webhookEvent.count({ where: { shopId: shop.id } })).toBe(1);

    await replayEvent(shop.id, row.id, "admin@example.com");
    await eventWorker().runUntilIdle();
    expect(await reload.event(row.id)).toMatchObject({ status: "processed", lastError: null, payload: "" });
  });

  it("follows the shop's setting", async () => {
    const { shop, connection } = await createConnectedShop();
    await db().shopSettings.update({ where: { shopId: shop.id }, data: { payloadRetentionDays: 7 } });
    const week = await inboxRow(connection, { status: "processed", receivedDaysAgo: 8, processedDaysAgo: 8 });
    const days = await inboxRow(connection, { status: "processed", receivedDaysAgo: 6, processedDaysAgo: 6 });
    await applyRetention(shop.id);
    expect((await reload.event(week.id)).payload).toBe("");
    expect((await reload.event(days.id)).payload).not.toBe("");
  });
});

describe("finished jobs", () => {
  it("empties the payload and error of done, dead and canceled jobs past the cutoff and keeps their keys as guards", async () => {
    const { id: shopId } = await createShop();
    const done = await jobRow(shopId, { status: "done", completedDaysAgo: 31 });
    const dead = await jobRow(shopId, { status: "dead", runDaysAgo: 31 });
    const canceled = await jobRow(shopId, { kind: JOB_KINDS.flowTrigger, status: "canceled", runDaysAgo: 45 });
    const recent = await jobRow(shopId, { status: "done", completedDaysAgo: 29 });
    // Created long ago, finished lately: its days count from when it finished.
    const lateDone = await jobRow(shopId, { status: "done", runDaysAgo: 60, completedDaysAgo: 1 });
    const pending = await jobRow(shopId, { status: "pending", runDaysAgo: 60 });
    const running = await jobRow(shopId, { status: "processing", runDaysAgo: 60 });

    expect(await applyRetention(shopId)).toMatchObject({ jobsShrunk: 3, jobsDeleted: 0 });
    for (const shrunk of [done, dead, canceled]) {
      expect(await reload.job(shrunk.id)).toMatchObject({ kind: shrunk.kind, key: shrunk.key, status: shrunk.status, payload: "{}", lastError: null });
    }
    for (const kept of [recent, lateDone, pending, running]) {
      expect(await reload.job(kept.id)).toMatchObject({ payload: kept.payload, lastError: kept.lastError, status: kept.status });
    }
    // The key still refuses the same work.
    expect(await enqueueJob(shopId, done.kind, done.key, { again: true })).toBe(false);
    expect(await db().job.count({ where: { shopId, kind: done.kind, key: done.key } })).toBe(1);
    expect((await applyRetention(shopId)).jobsShrunk).toBe(0);
  });

  it("deletes old finished runs of the jobs keyed by an hour or a day, and keeps their waiting runs", async () => {
    const { id: shopId } = await createShop();
    const oldHour = await jobRow(shopId, { kind: JOB_KINDS.disputeDeadlines, key: daysAgo(40).toISOString(), status: "done", completedDaysAgo: 40 });
    const oldDay = await jobRow(shopId, { kind: JOB_KINDS.dataRetention, key: daysAgo(40).toISOString().slice(0, 10), status: "done", completedDaysAgo: 40 });
    const lastHour = await jobRow(shopId, { kind: JOB_KINDS.disputeDeadlines, key: daysAgo(0).toISOString(), status: "done", completedDaysAgo: 0 });
    const nextHour = await jobRow(shopId, { kind: JOB_KINDS.disputeDeadlines, key: "next", status: "pending", runDaysAgo: -0.04 });

    expect(await applyRetention(shopId)).toMatchObject({ jobsDeleted: 2, jobsShrunk: 0 });
    expect(await reload.job(oldHour.id)).toBeNull();
    expect(await reload.job(oldDay.id)).toBeNull();
    expect(await reload.job(lastHour.id)).not.toBeNull();
    expect(await reload.job(nextHour.id)).toMatchObject({ status: "pending" });
  });
});

describe("audit entries", () => {
  it("deletes entries older than the shop's audit retention", async () => {
    const { id: shopId } = await createShop();
    await db().shopSettings.update({ where: { shopId }, data: { auditRetentionDays: 100 } });
    const entry = (days: number) =>
      db().auditLog.create({ data: { shopId, actor: "kim@example.com", source: "admin", action: "hold.release", result: "ok", createdAt: daysAgo(days) } });
    const old = await entry(101);
    const kept = await entry(99);
    expect((await applyRetention(shopId)).auditEntries).toBe(1);
    expect(await db().auditLog.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db().auditLog.findUnique({ where: { id: kept.id } })).not.toBeNull();
  });
});

describe("evidence files", () => {
  async function disputeWithFile(shopId: string, closedDaysAgo: number | null, status = closedDaysAgo === null ? "evidence_required" : "lost") {
    const dispute = await db().dispute.create({
      data: {
        shopId,
        ckoDisputeId: ckoId("dsp"),
        amount: 1_000,
        currency: "EUR",
        status,
        closedAt: closedDaysAgo === null ? null : daysAgo(closedDaysAgo),
      },
    });
    const data = Buffer.from(`%PDF-1.4 ${randomUUID()}`);
    await db().evidenceFile.create({
      data: {
        shopId,
        disputeId: dispute.id,
        field: "invoice_or_receipt_file",
        filename: "invoice.pdf",
        contentType: "application/pdf",
        sha256: randomUUID(),
        size: data.length,
        data,
      },
    });
    return dispute;
  }
  const files = (disputeId: string) => db().evidenceFile.count({ where: { disputeId } });

  it("keeps a dispute's files until 90 days after it closed", async () => {
    const { id: shopId } = await createShop();
    const longClosed = await disputeWithFile(shopId, 91);
    const closed = await disputeWithFile(shopId, 89);
    const open = await disputeWithFile(shopId, null);
    expect((await applyRetention(shopId)).evidenceFiles).toBe(1);
    expect(await files(longClosed.id)).toBe(0);
    expect(await db().dispute.findUnique({ where: { id: longClosed.id } })).not.toBeNull();
    expect(await files(closed.id)).toBe(1);
    expect(await files(open.id)).toBe(1);
  });

  it("records when a dispute closes from its events, and forgets it when the dispute reopens in arbitration", async () => {
    const { shop, connection } = await createConnectedShop();
    const dispute = disputeFixture();
    const send = async (type: string) => {
      await putInInbox(connection, checkoutEvent(type, disputeEventData(dispute)));
      await eventWorker().runUntilIdle();
      return db().dispute.findFirstOrThrow({ where: { shopId: shop.id, ckoDisputeId: dispute.id } });
    };
    expect(await send("dispute_evidence_required")).toMatchObject({ status: "evidence_required", closedAt: null });
    const lost = await send("dispute_lost");
    expect(lost).toMatchObject({ status: "lost", closedAt: expect.any(Date) });
    expect(await send("dispute_arbitration_sent_to_scheme")).toMatchObject({ status: "arbitration_under_review", closedAt: null });
    expect((await send("dispute_arbitration_lost")).closedAt).toEqual(expect.any(Date));
  });
});

describe("agents' idempotency keys", () => {
  const keyRow = (shopId: string, tokenId: string, days: number) =>
    db().agentRequest.create({ data: { shopId, tokenId, key: randomUUID(), tool: "refund_payment", fingerprint: "f".repeat(64), createdAt: daysAgo(days) } });
  const exists = async (id: string) => (await db().agentRequest.count({ where: { id } })) === 1;

  it("deletes keys first used more than 30 days ago, in batches, and leaves recent keys and other shops' keys alone", async () => {
    const { id: shopId } = await createShop();
    const other = await createShop();
    const { row: token } = await agentToken(shopId);
    const { row: otherToken } = await agentToken(other.id);
    const old = await keyRow(shopId, token.id, 31);
    const recent = await keyRow(shopId, token.id, 29);
    const othersOld = await keyRow(other.id, otherToken.id, 400);
    // More than one batch, so the walk goes on past its first window.
    await db().agentRequest.createMany({
      data: Array.from({ length: 1_203 }, (_, i) => ({
        shopId,
        tokenId: token.id,
        key: `old-${i}`,
        tool: "void_payment",
        fingerprint: "f",
        createdAt: daysAgo(60),
      })),
    });

    await applyRetention(shopId);
    expect(await exists(old.id)).toBe(false);
    expect(await exists(recent.id)).toBe(true);
    expect(await exists(othersOld.id)).toBe(true);
    expect(await db().agentRequest.count({ where: { shopId } })).toBe(1);
  });
});

describe("batches and shops", () => {
  it("goes through more rows than one batch, also when they share a timestamp", async () => {
    const { shop, connection } = await createConnectedShop();
    const at = daysAgo(40);
    const count = 1_203;
    await db().webhookEvent.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        shopId: shop.id,
        connectionId: connection.id,
        eventId: `evt_batch_${i}`,
        type: "payment_captured",
        payload: `{"id":"evt_batch_${i}"}`,
        status: "processed",
        receivedAt: at,
        processedAt: at,
      })),
    });
    await db().job.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        shopId: shop.id,
        kind: JOB_KINDS.orderCreated,
        key: `gid://shopify/Order/${i}`,
        payload: `{"orderGid":"gid://shopify/Order/${i}"}`,
        status: "done",
        completedAt: at,
      })),
    });
    await db().auditLog.createMany({
      data: Array.from({ length: count }, () => ({
        shopId: shop.id,
        actor: "system",
        source: "system",
        action: "evidence.build",
        result: "ok",
        createdAt: daysAgo(400),
      })),
    });

    expect(await applyRetention(shop.id)).toMatchObject({ eventPayloads: count, jobsShrunk: count, auditEntries: count });
    expect(await db().webhookEvent.count({ where: { shopId: shop.id, payload: { not: "" } } })).toBe(0);
    expect(await db().webhookEvent.count({ where: { shopId: shop.id } })).toBe(count);
    expect(await db().job.count({ where: { shopId: shop.id, payload: { not: "{}" } } })).toBe(0);
    expect(await db().auditLog.count({ where: { shopId: shop.id, createdAt: { lt: daysAgo(365) } } })).toBe(0);
  });

  it("touches only the shop it runs for", async () => {
    const a = await createConnectedShop();
    const b = await createConnectedShop();
    const rowsOf = async ({ shop, connection }: { shop: { id: string }; connection: CheckoutConnection }) => ({
      event: await inboxRow(connection, { status: "processed", receivedDaysAgo: 400, processedDaysAgo: 400 }),
      job: await jobRow(shop.id, { status: "done", completedDaysAgo: 400 }),
      hour: await jobRow(shop.id, { kind: JOB_KINDS.disputeDeadlines, key: daysAgo(400).toISOString(), status: "done", completedDaysAgo: 400 }),
      audit: await db().auditLog.create({ data: { shopId: shop.id, actor: "system", source: "system", action: "x", result: "ok", createdAt: daysAgo(4000) } }),
    });
    const ofA = await rowsOf(a);
    const ofB = await rowsOf(b);

    expect(await applyRetention(a.shop.id)).toMatchObject({ eventPayloads: 1, jobsShrunk: 1, jobsDeleted: 1, auditEntries: 1 });
    expect((await reload.event(ofA.event.id)).payload).toBe("");
    expect((await reload.event(ofB.event.id)).payload).toBe(ofB.event.payload);
    expect((await reload.job(ofB.job.id))?.payload).toBe(ofB.job.payload);
    expect(await reload.job(ofB.hour.id)).not.toBeNull();
    expect(await db().auditLog.findUnique({ where: { id: ofB.audit.id } })).not.toBeNull();
  });
});

describe("the daily job", () => {
  const runs = (shopId: string) => db().job.findMany({ where: { shopId, kind: JOB_KINDS.dataRetention }, orderBy: { key: "asc" } });

  it("is queued once for today however often it is asked, runs once per day, and queues tomorrow's", async () => {
    const { id: shopId } = await createShop();
    await scheduleDataRetention(shopId);
    await scheduleDataRetention(shopId);
    expect((await runs(shopId)).map((j) => [j.key, j.status])).toEqual([[today(), "pending"]]);

    // Its own finished runs from long ago go; the run in progress and the next one stay.
    const oldRun = await jobRow(shopId, { kind: JOB_KINDS.dataRetention, key: dayAfter(today(), -40), status: "done", completedDaysAgo: 40 });
    const worker = createAppWorker({ jobHandlers: { [JOB_KINDS.dataRetention]: JOB_HANDLERS[JOB_KINDS.dataRetention] } });
    expect(await worker.runUntilIdle()).toBe(1);
    expect(await reload.job(oldRun.id)).toBeNull();
    const [ran, next] = await runs(shopId);
    expect(ran).toMatchObject({ key: today(), status: "done" });
    expect(next).toMatchObject({ key: dayAfter(today()), status: "pending", runAt: new Date(`${dayAfter(today())}T00:00:00.000Z`) });
    const settings = await db().shopSettings.findUniqueOrThrow({ where: { shopId } });
    expect(settings.retentionRunAt).toEqual(expect.any(Date));
    expect(JSON.parse(settings.retentionCounts!)).toMatchObject({ jobsDeleted: 1 });

    // Tomorrow's run is not due yet, and asking again adds nothing.
    expect(await worker.runUntilIdle()).toBe(0);
    await scheduleDataRetention(shopId);
    expect(await runs(shopId)).toHaveLength(2);
  });

  it("starts again after an uninstall canceled the waiting run", async () => {
    const { id: shopId } = await createShop();
    await jobRow(shopId, { kind: JOB_KINDS.dataRetention, key: today(), status: "done", completedDaysAgo: 0 });
    await jobRow(shopId, { kind: JOB_KINDS.dataRetention, key: dayAfter(today()), status: "canceled", runDaysAgo: -1 });
    await scheduleDataRetention(shopId);
    const waiting = await db().job.findMany({ where: { shopId, kind: JOB_KINDS.dataRetention, status: "pending" } });
    expect(waiting.map((j) => j.key)).toEqual([dayAfter(today(), 2)]);
  });
});

describe("the settings", () => {
  const admin = "Ada Admin <ada@example.com>";
  const form = (overrides: Record<string, string> = {}) => ({ payloadRetentionDays: "14", jobRetentionDays: "60", auditRetentionDays: "730", ...overrides });

  it("saves valid days and audits them with what they were before", async () => {
    const { id: shopId } = await createShop();
    expect(await updateRetentionSettings(shopId, form(), admin)).toEqual({ ok: true });
    expect(await db().shopSettings.findUniqueOrThrow({ where: { shopId } })).toMatchObject({
      payloadRetentionDays: 14,
      jobRetentionDays: 60,
      auditRetentionDays: 730,
    });
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId, action: "settings.retention_changed" } });
    expect(entry).toMatchObject({ actor: admin, source: "admin", result: "ok" });
    expect(JSON.parse(entry.details)).toEqual({
      before: { payloadRetentionDays: 30, jobRetentionDays: 30, auditRetentionDays: 365 },
      after: { payloadRetentionDays: 14, jobRetentionDays: 60, auditRetentionDays: 730 },
    });
  });

  it("refuses days out of range, saving nothing and auditing the refusal", async () => {
    const { id: shopId } = await createShop();
    const result = await updateRetentionSettings(shopId, form({ payloadRetentionDays: "6", jobRetentionDays: "7.5", auditRetentionDays: "3651" }), admin);
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { payloadRetentionDays: "At least 7 days.", jobRetentionDays: "Enter a whole number of days.", auditRetentionDays: "At most 3650 days." },
    });
    // The same errors in words: English exactly as above, German for a German admin.
    if (result.ok) return;
    expect(sayFieldErrors("en", result.fieldErrors, result.fieldWords)).toEqual(result.fieldErrors);
    expect(sayFieldErrors("de", result.fieldErrors, result.fieldWords)).toEqual({
      payloadRetentionDays: "Mindestens 7 Tage.",
      jobRetentionDays: "Geben Sie eine ganze Zahl von Tagen ein.",
      auditRetentionDays: "Höchstens 3650 Tage.",
    });
    expect(await updateRetentionSettings(shopId, form({ auditRetentionDays: "89" }), admin)).toMatchObject({
      fieldErrors: { auditRetentionDays: "At least 90 days." },
    });
    const notANumber = await updateRetentionSettings(shopId, form({ jobRetentionDays: "a month" }), admin);
    expect(notANumber).toMatchObject({ fieldErrors: { jobRetentionDays: "Enter a number of days." } });
    if (!notANumber.ok)
      expect(sayFieldErrors("fr", notANumber.fieldErrors, notANumber.fieldWords)).toEqual({ jobRetentionDays: "Saisissez un nombre de jours." });
    expect(await db().shopSettings.findUniqueOrThrow({ where: { shopId } })).toMatchObject({
      payloadRetentionDays: 30,
      jobRetentionDays: 30,
      auditRetentionDays: 365,
    });
    expect(await db().auditLog.count({ where: { shopId, action: "settings.retention_changed", result: "error" } })).toBe(3);
  });
});
