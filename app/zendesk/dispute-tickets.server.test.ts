// Disputes open Zendesk tickets, against the Zendesk stand-in's Support API: one ticket per dispute
// whatever the retries, notes once per later event, a deleted ticket never silently replaced.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOrderPayment, createShop } from "../../test/helpers/factories";
import { connectZendesk, connectZendeskAccount, resetZendeskApi } from "../../test/helpers/zendesk";
import { createZendeskStandIn, type ZendeskStandIn } from "../../test/standins/zendesk/server";
import type { CheckoutClient } from "../checkout/client.server";
import { db, rawSql } from "../db.server";
import { applyDisputeEvent, disputeEventDataSchema } from "../disputes/dispute-events.server";
import { syncDispute } from "../disputes/sync.server";
import { ConflictError, NotFoundError } from "../lib/errors";
import { JOB_KINDS, JobMustWait } from "../queue/jobs.server";
import {
  addDisputeTicketNote,
  createDisputeTicketAgain,
  disputeTicketExternalId,
  disputeTicketView,
  openDisputeTicket,
  priorityFor,
  queueDisputeTicket,
  queueDisputeTicketNote,
} from "./dispute-tickets.server";

const NOW = new Date("2026-12-07T10:00:00Z");
const DAY = 86_400_000;

let zendesk: ZendeskStandIn;
beforeAll(async () => {
  zendesk = await createZendeskStandIn({ settings: { backend_url: "https://app.example.com" }, tickets: [] });
});
afterAll(async () => {
  resetZendeskApi();
  await zendesk.close();
});

type Settings = Partial<{
  disputeTickets: boolean;
  minAmounts: Array<{ currency: string; amount: number }>;
  categories: string[];
  requester: string;
  requesterEmail: string | null;
  groupId: string | null;
  tags: string[];
}>;

async function shopWithZendesk(settings: Settings = {}, connect = true) {
  const shop = await createShop();
  if (connect) await connectZendeskAccount(shop.id, zendesk);
  const data = {
    disputeTickets: settings.disputeTickets ?? true,
    disputeTicketMinAmounts: JSON.stringify(settings.minAmounts ?? []),
    disputeTicketCategories: JSON.stringify(settings.categories ?? []),
    disputeTicketRequester: settings.requester ?? "customer",
    disputeTicketRequesterEmail: settings.requesterEmail ?? null,
    disputeTicketGroupId: settings.groupId ?? null,
    disputeTicketTags: JSON.stringify(settings.tags ?? []),
  };
  await db().shopSettings.update({ where: { shopId: shop.id }, data });
  return shop;
}

async function openDispute(
  shopId: string,
  fields: Partial<{ amount: number; currency: string; category: string; due: Date | null; email: string; orderName: string }> = {},
) {
  const { payment } = await createOrderPayment(shopId, {
    orderName: fields.orderName ?? "#1001",
    payment: { customerEmail: fields.email ?? "ada@example.com", customerName: "Ada Lovelace" },
  });
  return db().dispute.create({
    data: {
      shopId,
      ckoDisputeId: `dsp_${payment.id.slice(0, 20)}`,
      paymentId: payment.id,
      ckoPaymentId: payment.ckoPaymentId,
      amount: fields.amount ?? 9_400,
      currency: fields.currency ?? "USD",
      category: fields.category ?? "fraudulent",
      reasonCode: "10.4",
      status: "evidence_required",
      evidenceRequiredBy: fields.due === undefined ? new Date(NOW.getTime() + 5 * DAY) : fields.due,
    },
  });
}

const ticketsOf = (shopId: string, disputeId: string) => zendesk.tickets.all().filter((t) => t.externalId === disputeTicketExternalId(shopId, disputeId));
const ticketJobs = (shopId: string) => db().job.findMany({ where: { shopId, kind: JOB_KINDS.disputeTicket } });
const row = (disputeId: string) => db().disputeTicket.findUnique({ where: { disputeId } });

describe("one ticket per dispute", () => {
  it("is queued once however often the dispute is synced, and created once when the job runs twice", async () => {
    const shop = await shopWithZendesk();
    const dispute = await openDispute(shop.id);
    await queueDisputeTicket(dispute);
    await queueDisputeTicket(dispute);
    expect((await ticketJobs(shop.id)).map((j) => j.key)).toEqual([dispute.id]);
    expect(await row(dispute.id)).toMatchObject({ state: "creating", ticketId: null });

    await openDisputeTicket(shop.id, dispute.id, NOW);
    await openDisputeTicket(shop.id, dispute.id, NOW);
    const tickets = ticketsOf(shop.id, dispute.id);
    expect(tickets).toHaveLength(1);
    expect(await row(dispute.id)).toMatchObject({ state: "open", ticketId: String(tickets[0].id), lastError: null });
  });

  it("finds the ticket Zendesk created before a crash (external_id) instead of creating a second", async () => {
    const shop = await shopWithZendesk();
    const dispute = await openDispute(shop.id);
    await queueDisputeTicket(dispute);
    await openDisputeTicket(shop.id, dispute.id, NOW);
    const first = ticketsOf(shop.id, dispute.id)[0];
    // The crash: Zendesk has the ticket, our row never learnt its id.
    await db().disputeTicket.update({ where: { disputeId: dispute.id }, data: { state: "creating", ticketId: null } });

    await openDisputeTicket(shop.id, dispute.id, NOW);
    expect(ticketsOf(shop.id, dispute.id)).toHaveLength(1);
    expect(await row(dispute.id)).toMatchObject({ state: "open", ticketId: String(first.id) });
    const audits = await db().auditLog.findMany({
      where: { shopId: shop.id, disputeId: dispute.id, action: "dispute.zendesk_ticket.open" },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((a) => JSON.parse(a.details).found)).toEqual([false, true]);
  });

  it("says what happened, by when, how much, with a link to the dispute page, addressed as set", async () => {
    const shop = await shopWithZendesk({ groupId: "360001234567", tags: ["chargeback", "vip"] });
    const dispute = await openDispute(shop.id, { due: new Date("2026-12-12T23:59:00Z"), email: "ada@example.com" });
    await queueDisputeTicket(dispute);
    await openDisputeTicket(shop.id, dispute.id, NOW);
    const [ticket] = ticketsOf(shop.id, dispute.id);
    expect(ticket.subject).toBe("Chargeback on #1001: fraudulent, respond by 12 Dec");
    expect(ticket).toMatchObject({ priority: "high", groupId: 360001234567, tags: ["chargeback", "vip"] });
    expect(ticket.requester).toMatchObject({ email: "ada@example.com", name: "Ada Lovelace" });
    const [comment] = ticket.comments;
    // Internal: the customer is the requester and must not be emailed this.
    expect(comment.public).toBe(false);
    expect(comment.body).toContain("Amount: USD 94.00");
    expect(comment.body).toContain("Respond by: Sat, 12 Dec 2026, 23:59 UTC (2026-12-12T23:59:00.000Z), 5 days left");
    expect(comment.body).toContain("Reason: Fraudulent (reason code 10.4)");
    expect(comment.body).toContain("Evidence: Not built yet: waiting for the Shopify order");
    const handle = shop.domain.replace(".myshopify.com", "");
    expect(comment.body).toContain(`https://admin.shopify.com/store/${handle}/apps/checkout-com-companion/app/disputes/${dispute.id}`);
  });

  it("puts the payment id in the sidebar's ticket field, so the sidebar opens on the disputed payment", async () => {
    const shop = await shopWithZendesk();
    const { connection } = await connectZendesk(shop.id);
    const first = await openDispute(shop.id);
    await queueDisputeTicket(first);
    await openDisputeTicket(shop.id, first.id, NOW);
    expect([...ticketsOf(shop.id, first.id)[0].customFields]).toEqual([]);

    await db().zendeskConnection.update({ where: { id: connection.id }, data: { ticketFieldId: "360005" } });
    const second = await openDispute(shop.id, { orderName: "#1002" });
    await queueDisputeTicket(second);
    await openDisputeTicket(shop.id, second.id, NOW);
    expect([...ticketsOf(shop.id, second.id)[0].customFields]).toEqual([[360005, second.ckoPaymentId]]);
  });

  it("uses the internal requester when chosen", async () => {
    const shop = await shopWithZendesk({ requester: "internal", requesterEmail: "disputes@merchant.example" });
    const dispute = await openDispute(shop.id);
    await queueDisputeTicket(dispute);
    await openDisputeTicket(shop.id, dispute.id, NOW);
    expect(ticketsOf(shop.id, dispute.id)[0].requester.email).toBe("disputes@merchant.example");
  });

  it("sets the priority by the days left to respond", () => {
    const inDays = (days: number) => new Date(NOW.getTime() + days * DAY);
    expect(priorityFor(inDays(1), NOW)).toBe("urgent");
    expect(priorityFor(inDays(2.9), NOW)).toBe("urgent");
    expect(priorityFor(inDays(3), NOW)).toBe("high");
    expect(priorityFor(inDays(5.9), NOW)).toBe("high");
    expect(priorityFor(inDays(6), NOW)).toBe("normal");
    expect(priorityFor(inDays(-1), NOW)).toBe("urgent");
    expect(priorityFor(null, NOW)).toBe("normal");
  });
});

describe("from Checkout.com's events", () => {
  it("the first sync of a dispute queues its ticket; later events queue their notes with the event", async () => {
    const shop = await shopWithZendesk();
    const remote = {
      id: "dsp_from_events_0001",
      category: "fraudulent",
      status: "evidence_required",
      amount: 2_500,
      currency: "EUR",
      reason_code: "10.4",
      evidence_required_by: new Date(NOW.getTime() + 10 * DAY).toISOString(),
      payment_id: "pay_from_events_0001",
    };
    const client = { getDispute: async () => remote } as unknown as CheckoutClient;
    const source = (eventId: string, type: string) => ({ shopId: shop.id, eventId, type, occurredAt: NOW });
    await applyDisputeEvent(rawSql(), source("evt_received", "dispute_received"), disputeEventDataSchema.parse(remote));
    const dispute = await syncDispute(shop.id, remote.id, { client });
    await syncDispute(shop.id, remote.id, { client });
    expect((await ticketJobs(shop.id)).map((j) => j.key)).toEqual([dispute.id]);

    await applyDisputeEvent(rawSql(), source("evt_won", "dispute_won"), disputeEventDataSchema.parse({ ...remote, status: "won" }));
    const notes = await db().job.findMany({ where: { shopId: shop.id, kind: JOB_KINDS.disputeTicketNote } });
    expect(notes.map((j) => [j.key, JSON.parse(j.payload)])).toEqual([
      [`${dispute.id}:evt_won`, { disputeId: dispute.id, eventId: "evt_won", eventType: "dispute_won", occurredAt: NOW.toISOString() }],
    ]);
  });
});

describe("which disputes open a ticket", () => {
  it("only when on, at or above the currency's minimum, in a chosen category, and still open", async () => {
    const shop = await shopWithZendesk({ minAmounts: [{ currency: "USD", amount: 10_000 }], categories: ["fraudulent", "duplicate"] });
    const small = await openDispute(shop.id, { amount: 9_999 });
    const atMinimum = await openDispute(shop.id, { amount: 10_000 });
    const otherCategory = await openDispute(shop.id, { amount: 50_000, category: "credit_not_issued" });
    const noMinimum = await openDispute(shop.id, { amount: 100, currency: "EUR", category: "duplicate" });
    const closed = await db().dispute.update({ where: { id: (await openDispute(shop.id, { amount: 50_000 })).id }, data: { status: "won", closedAt: NOW } });
    for (const d of [small, atMinimum, otherCategory, noMinimum, closed]) await queueDisputeTicket(d);
    expect((await ticketJobs(shop.id)).map((j) => j.key).sort()).toEqual([atMinimum.id, noMinimum.id].sort());

    const off = await shopWithZendesk({ disputeTickets: false });
    await queueDisputeTicket(await openDispute(off.id));
    expect(await ticketJobs(off.id)).toEqual([]);
  });

  it("a shop without a Zendesk account is skipped quietly: no ticket, nothing left waiting", async () => {
    const shop = await shopWithZendesk({}, false);
    const dispute = await openDispute(shop.id);
    await queueDisputeTicket(dispute);
    await openDisputeTicket(shop.id, dispute.id, NOW);
    expect(await row(dispute.id)).toBeNull();
    expect(ticketsOf(shop.id, dispute.id)).toEqual([]);
    expect(await disputeTicketView(shop.id, dispute.id)).toBeNull();
  });
});

describe("later dispute events", () => {
  let shopId: string;
  let disputeId: string;
  beforeEach(async () => {
    const shop = await shopWithZendesk();
    shopId = shop.id;
    const dispute = await openDispute(shopId);
    disputeId = dispute.id;
    await queueDisputeTicket(dispute);
    await openDisputeTicket(shopId, disputeId, NOW);
  });
  const event = (eventId: string, eventType: string) => ({ disputeId, eventId, eventType, occurredAt: "2026-12-08T09:00:00.000Z" });
  const ticket = async () => zendesk.tickets.get(Number((await row(disputeId))!.ticketId))!;

  it("add an internal note once per event, even when its job runs twice", async () => {
    await addDisputeTicketNote(shopId, event("evt_submitted", "dispute_evidence_submitted"));
    await addDisputeTicketNote(shopId, event("evt_submitted", "dispute_evidence_submitted"));
    await addDisputeTicketNote(shopId, event("evt_won", "dispute_won"));
    const notes = (await ticket()).comments.slice(1);
    expect(notes.map((c) => [c.public, c.body.split("\n")[0]])).toEqual([
      [false, "Evidence was submitted to Checkout.com."],
      [false, "The dispute was won."],
    ]);
    expect(notes[0].body).toContain("(Checkout.com event evt_submitted)");
  });

  it("are queued once per event, and not for the events that open the dispute", async () => {
    await queueDisputeTicketNote(rawSql(), shopId, event("evt_a", "dispute_lost"));
    await queueDisputeTicketNote(rawSql(), shopId, event("evt_a", "dispute_lost"));
    await queueDisputeTicketNote(rawSql(), shopId, event("evt_b", "dispute_received"));
    await queueDisputeTicketNote(rawSql(), shopId, event("evt_c", "dispute_evidence_required"));
    const jobs = await db().job.findMany({ where: { shopId, kind: JOB_KINDS.disputeTicketNote } });
    expect(jobs.map((j) => j.key)).toEqual([`${disputeId}:evt_a`]);
  });

  it("wait for a ticket still being created, and do nothing for a dispute without one", async () => {
    await db().disputeTicket.update({ where: { disputeId }, data: { state: "creating", ticketId: null } });
    await expect(addDisputeTicketNote(shopId, event("evt_x", "dispute_won"))).rejects.toBeInstanceOf(JobMustWait);
    const other = await openDispute(shopId);
    await expect(addDisputeTicketNote(shopId, { ...event("evt_y", "dispute_won"), disputeId: other.id })).resolves.toBeUndefined();
  });

  it("a 429 makes the job wait; a revoked token makes it wait for the merchant to reconnect", async () => {
    zendesk.throttleNext(1, 120);
    await expect(addDisputeTicketNote(shopId, event("evt_429", "dispute_won"))).rejects.toBeInstanceOf(JobMustWait);
    zendesk.revokeAllTokens();
    await expect(addDisputeTicketNote(shopId, event("evt_401", "dispute_won"))).rejects.toBeInstanceOf(JobMustWait);
    expect(await db().zendeskAccount.findUnique({ where: { shopId } })).toMatchObject({ status: "needs_reauth" });
  });
});

describe("a ticket deleted by an agent", () => {
  it("is recorded, not recreated by retries; the merchant's explicit request makes a new one", async () => {
    const shop = await shopWithZendesk();
    const dispute = await openDispute(shop.id);
    await queueDisputeTicket(dispute);
    await openDisputeTicket(shop.id, dispute.id, NOW);
    const first = ticketsOf(shop.id, dispute.id)[0];
    zendesk.tickets.delete(first.id);

    await addDisputeTicketNote(shop.id, { disputeId: dispute.id, eventId: "evt_1", eventType: "dispute_won", occurredAt: NOW.toISOString() });
    expect(await row(dispute.id)).toMatchObject({ state: "deleted", ticketId: String(first.id) });
    // Retries of the creation job and later syncs leave it deleted.
    await openDisputeTicket(shop.id, dispute.id, NOW);
    await queueDisputeTicket(dispute);
    expect(ticketsOf(shop.id, dispute.id)).toEqual([]);
    expect(await disputeTicketView(shop.id, dispute.id)).toMatchObject({ state: "deleted", canCreate: true, url: null });

    await createDisputeTicketAgain(shop.id, dispute.id, "Sam Owner <owner@example.com>", NOW);
    await expect(createDisputeTicketAgain(shop.id, dispute.id, "Sam Owner <owner@example.com>", NOW)).rejects.toBeInstanceOf(ConflictError);
    const again = (await ticketJobs(shop.id)).find((j) => j.key.startsWith(`${dispute.id}:again:`));
    expect(again).toBeDefined();
    await openDisputeTicket(shop.id, dispute.id, NOW);
    const [second] = ticketsOf(shop.id, dispute.id);
    expect(second.id).not.toBe(first.id);
    expect(await disputeTicketView(shop.id, dispute.id)).toMatchObject({
      state: "open",
      ticketId: String(second.id),
      url: `${zendesk.url}/agent/tickets/${second.id}`,
    });
    const audits = await db().auditLog.findMany({ where: { shopId: shop.id, disputeId: dispute.id, action: "dispute.zendesk_ticket.create" } });
    expect(audits.map((a) => [a.actor, a.result])).toEqual([
      ["Sam Owner <owner@example.com>", "ok"],
      ["Sam Owner <owner@example.com>", "error"],
    ]);
  });

  it("a ticket Zendesk refuses is recorded with Zendesk's reason, and can be asked for again", async () => {
    const shop = await shopWithZendesk();
    const dispute = await openDispute(shop.id, { email: "not-an-email" });
    await queueDisputeTicket(dispute);
    await openDisputeTicket(shop.id, dispute.id, NOW);
    const refused = await row(dispute.id);
    expect(refused).toMatchObject({ state: "failed", ticketId: null });
    expect(refused?.lastError).toContain("Requester: Email is invalid");
    expect(await disputeTicketView(shop.id, dispute.id)).toMatchObject({ state: "failed", canCreate: true });
  });
});

describe("tenancy", () => {
  it("another shop can neither see, create nor note a shop's dispute ticket", async () => {
    const a = await shopWithZendesk();
    const b = await shopWithZendesk();
    const dispute = await openDispute(a.id);
    await queueDisputeTicket(dispute);
    // Shop B's jobs naming shop A's dispute do nothing.
    await openDisputeTicket(b.id, dispute.id, NOW);
    expect(ticketsOf(a.id, dispute.id)).toEqual([]);
    expect(ticketsOf(b.id, dispute.id)).toEqual([]);
    await openDisputeTicket(a.id, dispute.id, NOW);
    const before = (await row(dispute.id))!;
    const ticket = zendesk.tickets.get(Number(before.ticketId))!;
    await addDisputeTicketNote(b.id, { disputeId: dispute.id, eventId: "evt_b", eventType: "dispute_lost", occurredAt: NOW.toISOString() });
    expect(ticket.comments).toHaveLength(1);
    expect(await disputeTicketView(b.id, dispute.id)).toMatchObject({ state: "none" });
    await expect(createDisputeTicketAgain(b.id, dispute.id, "b@example.com", NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await row(dispute.id)).toMatchObject({ shopId: a.id, state: "open", ticketId: before.ticketId });
  });
});
