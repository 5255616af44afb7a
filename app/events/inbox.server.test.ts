import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { getPayment, listPayments, paymentFiltersSchema } from "../payments/payments.server";
import { checkoutEvent, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop } from "../../test/helpers/factories";
import { ConflictError, NotFoundError } from "../lib/errors";
import { eventFiltersSchema, EVENTS_PAGE_SIZE, getEvent, listEvents, replayDeadEvents, replayEvent } from "./inbox.server";
import { claimLeases, INBOX_QUEUE } from "../queue/lease.server";
import { createAppWorker } from "./registry.server";

const filters = (input: Record<string, string> = {}) => eventFiltersSchema.parse(input);
const run = () => createAppWorker({ jobHandlers: {} }).runUntilIdle();

async function twoShops() {
  const a = await createConnectedShop();
  const b = await createConnectedShop();
  const pa = paymentFixture({ reference: "#A-1", email: "a@example.com" });
  const pb = paymentFixture({ reference: "#B-1", email: "b@example.com" });
  const aApproved = await putInInbox(a.connection, checkoutEvent("payment_approved", paymentEventData("payment_approved", pa)));
  const aUnknown = await putInInbox(a.connection, checkoutEvent("card_updated", { id: "src_1" }, { envelope: "ABC" }));
  const bApproved = await putInInbox(b.connection, checkoutEvent("payment_approved", paymentEventData("payment_approved", pb)));
  await run();
  return { a, b, pa, pb, aApproved, aUnknown, bApproved };
}

describe("the Events screen's queries", () => {
  it("list only the shop's own events, filtered by type, status and id", async () => {
    const { a, b, pa, aApproved, aUnknown, bApproved } = await twoShops();
    const ids = async (shopId: string, f: Record<string, string> = {}) => (await listEvents(shopId, filters(f))).events.map((e) => e.id);
    expect((await ids(a.shop.id)).sort()).toEqual([aApproved.id, aUnknown.id].sort());
    expect(await ids(b.shop.id)).toEqual([bApproved.id]);
    expect(await ids(a.shop.id, { type: "payment_approved" })).toEqual([aApproved.id]);
    expect(await ids(a.shop.id, { type: "unknown" })).toEqual([aUnknown.id]);
    expect(await ids(a.shop.id, { status: "dead" })).toEqual([]);
    expect(await ids(a.shop.id, { q: pa.id })).toEqual([aApproved.id]);
    expect(await ids(a.shop.id, { q: aUnknown.eventId })).toEqual([aUnknown.id]);
    // Another shop's ids find nothing.
    expect(await ids(a.shop.id, { q: bApproved.eventId })).toEqual([]);
  });

  it("ignores filter values it does not know", () => {
    expect(filters({ type: "drop table", status: "weird", page: "-3", q: "  evt_1 " })).toEqual({ type: undefined, status: undefined, page: 1, q: "evt_1" });
  });

  it("pages through events, newest first", async () => {
    const { connection, shop } = await createConnectedShop();
    for (let i = 0; i < EVENTS_PAGE_SIZE + 3; i++) await putInInbox(connection, checkoutEvent("payment_pending", { id: `pay_${i}` }));
    const first = await listEvents(shop.id, filters());
    const second = await listEvents(shop.id, filters({ page: "2" }));
    expect([first.events.length, first.hasNext, second.events.length, second.hasNext]).toEqual([EVENTS_PAGE_SIZE, true, 3, false]);
    expect(first.events[0].receivedAt.getTime()).toBeGreaterThanOrEqual(second.events[0].receivedAt.getTime());
  });

  it("shows one event with its raw payload, envelope and payment, only to its shop", async () => {
    const { a, b, aApproved, aUnknown } = await twoShops();
    const event = await getEvent(a.shop.id, aApproved.id);
    expect(event).toMatchObject({ envelope: "NAS", known: true, status: "processed" });
    expect(event!.pretty).toBe(JSON.stringify(JSON.parse(aApproved.payload), null, 2));
    expect(event!.paymentRowId).toBe((await db().payment.findFirstOrThrow({ where: { shopId: a.shop.id } })).id);
    expect(await getEvent(a.shop.id, aUnknown.id)).toMatchObject({ envelope: "ABC", known: false });
    expect(await getEvent(b.shop.id, aApproved.id)).toBeNull();
  });

  it("replays only the shop's own events, and not while one is being processed", async () => {
    const { a, b, aApproved } = await twoShops();
    await expect(replayEvent(b.shop.id, aApproved.id, "mallory")).rejects.toThrow(new NotFoundError("Event not found.", { key: "eventNotFound" }));
    expect((await db().webhookEvent.findUniqueOrThrow({ where: { id: aApproved.id } })).status).toBe("processed");
    await db().webhookEvent.update({ where: { id: aApproved.id }, data: { status: "pending" } });
    await claimLeases(INBOX_QUEUE, { owner: "busy", now: new Date(), leaseMs: 60_000, limit: 100 });
    await expect(replayEvent(a.shop.id, aApproved.id, "staff")).rejects.toThrow(ConflictError);
    await expect(replayEvent(a.shop.id, aApproved.id, "staff")).rejects.toThrow(/being processed/);
    await db().webhookEvent.updateMany({ where: { shopId: b.shop.id }, data: { status: "dead" } });
    expect(await replayDeadEvents(a.shop.id, "staff")).toBe(0);
    expect(await db().webhookEvent.count({ where: { shopId: b.shop.id, status: "dead" } })).toBe(1);
  });
});

describe("the Payments screens' queries", () => {
  it("list and show only the shop's own payments", async () => {
    const { a, b, pa, pb } = await twoShops();
    const listed = async (shopId: string, q?: string) => (await listPayments(shopId, paymentFiltersSchema.parse({ q }))).payments.map((p) => p.ckoPaymentId);
    expect(await listed(a.shop.id)).toEqual([pa.id]);
    expect(await listed(a.shop.id, "#A-1")).toEqual([pa.id]);
    expect(await listed(a.shop.id, "A@example.com")).toEqual([pa.id]);
    expect(await listed(a.shop.id, pb.id)).toEqual([]);
    const bPayment = await db().payment.findFirstOrThrow({ where: { shopId: b.shop.id } });
    expect(await getPayment(a.shop.id, bPayment.id)).toBeNull();
    const shown = await getPayment(b.shop.id, bPayment.id);
    expect(shown?.activities.map((e) => e.type)).toEqual(["payment_approved"]);
  });

  it("explains a decline", async () => {
    const { connection, shop } = await createConnectedShop();
    const p = paymentFixture({ responseCode: "30041", responseSummary: "Lost Card" });
    await putInInbox(connection, checkoutEvent("payment_declined", paymentEventData("payment_declined", p)));
    await run();
    const payment = await db().payment.findFirstOrThrow({ where: { shopId: shop.id } });
    expect((await getPayment(shop.id, payment.id))?.decline).toEqual({
      reason: "Lost card",
      declineClass: "hard",
      advice: "hard decline: retrying will not help",
    });
  });
});
