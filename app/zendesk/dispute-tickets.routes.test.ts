// Dispute tickets in the admin: the settings card on Settings > Zendesk (admin only, validated,
// audited) and the ticket on the dispute page with "Create a new ticket", scoped to the signed-in shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrderPayment, createShop } from "../../test/helpers/factories";
import { extensionRequest, seedOfflineSession, seedStaff, sessionToken } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import { connectZendeskAccount, resetZendeskApi } from "../../test/helpers/zendesk";
import { createZendeskStandIn, type ZendeskStandIn } from "../../test/standins/zendesk/server";
import { db } from "../db.server";
import { JOB_KINDS } from "../queue/jobs.server";
import * as disputeRoute from "../routes/app.disputes.$id";
import * as zendeskRoute from "../routes/app.zendesk";
import { loadDisputeTicketSettings } from "./dispute-ticket-settings.server";
import { DISPUTE_TICKETS_INTENT } from "./form-intents";
import { openDisputeTicket } from "./dispute-tickets.server";

const A = "dispute-tickets-a.myshopify.com";
const B = "dispute-tickets-b.myshopify.com";
let shopA: string;
let shopB: string;
let zendesk: ZendeskStandIn;

beforeAll(async () => {
  zendesk = await createZendeskStandIn({ settings: { backend_url: "https://app.example.com" }, tickets: [] });
  shopA = (await createShop(A)).id;
  shopB = (await createShop(B)).id;
  for (const shop of [A, B]) {
    await seedOfflineSession(shop);
    await seedStaff(shop, { userId: 74_000_001 });
    await seedStaff(shop, { userId: 75_000_002, role: "reviewer" });
  }
  await connectZendeskAccount(shopA, zendesk);
});
afterAll(async () => {
  resetZendeskApi();
  await zendesk.close();
});

const saveSettings = (shop: string, fields: Record<string, string>, userId?: number) =>
  callAction(
    zendeskRoute.action,
    extensionRequest("/app/zendesk", shop, {
      method: "POST",
      body: new URLSearchParams({ intent: DISPUTE_TICKETS_INTENT, ...fields }),
      token: sessionToken(shop, { userId: userId ?? 74_000_001 }),
    }),
  );

describe("Settings > Zendesk: dispute tickets", () => {
  it("saves the settings an admin gives, audited, and shows them again", async () => {
    const response = await saveSettings(A, {
      enabled: "true",
      minAmounts: "usd 100.00\nJPY 5000",
      "category.fraudulent": "true",
      "category.duplicate": "true",
      "category.nonsense": "true",
      requester: "internal",
      requesterEmail: "disputes@merchant.example",
      groupId: "360001234567",
      tags: "Chargeback, vip  chargeback",
    });
    expect(response.status).toBe(200);
    expect(await loadDisputeTicketSettings(shopA)).toEqual({
      enabled: true,
      minAmounts: { USD: 10_000, JPY: 5000 },
      categories: ["fraudulent", "duplicate"],
      requester: "internal",
      requesterEmail: "disputes@merchant.example",
      groupId: "360001234567",
      tags: ["chargeback", "vip"],
    });
    const page = await (await callAction(zendeskRoute.loader, extensionRequest("/app/zendesk", A))).json();
    expect(page.disputeTickets).toMatchObject({ enabled: true, minAmountsText: "USD 100.00\nJPY 5000", tagsText: "chargeback vip" });
    const entry = await db().auditLog.findFirst({ where: { shopId: shopA, action: "zendesk.dispute_tickets.save" }, orderBy: { createdAt: "desc" } });
    expect(entry).toMatchObject({ result: "ok" });
    // Shop B's settings are untouched.
    expect((await loadDisputeTicketSettings(shopB)).enabled).toBe(false);
  });

  it("refuses wrong fields with 400 and their messages, writing nothing", async () => {
    const before = await loadDisputeTicketSettings(shopA);
    const response = await saveSettings(A, {
      requester: "internal",
      requesterEmail: "",
      groupId: "sales",
      minAmounts: "USD lots",
      tags: "no spaces allowed? ok",
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.fieldErrors).toMatchObject({
      requesterEmail: "Enter the internal requester's email address.",
      groupId: "A Zendesk group id is a number (Admin Center → People → Groups).",
      minAmounts: expect.stringContaining("Line 1"),
      tags: expect.stringContaining("Tags are single words"),
    });
    expect(await loadDisputeTicketSettings(shopA)).toEqual(before);
    const entry = await db().auditLog.findFirst({ where: { shopId: shopA, action: "zendesk.dispute_tickets.save" }, orderBy: { createdAt: "desc" } });
    expect(entry).toMatchObject({ result: "error" });
  });

  it("is an admin's: a reviewer is refused", async () => {
    const response = await saveSettings(A, { requester: "customer", enabled: "true" }, 75_000_002);
    expect(response.status).toBe(403);
  });
});

describe("the dispute page's Zendesk ticket", () => {
  async function disputeOf(shopId: string) {
    const { payment } = await createOrderPayment(shopId, { payment: { customerEmail: "ada@example.com" } });
    return db().dispute.create({
      data: { shopId, ckoDisputeId: `dsp_${payment.id.slice(0, 20)}`, paymentId: payment.id, amount: 5000, currency: "EUR", status: "evidence_required" },
    });
  }
  const page = async (shop: string, id: string) => callAction(disputeRoute.loader, extensionRequest(`/app/disputes/${id}`, shop), { id });
  const ask = (shop: string, id: string) =>
    callAction(
      disputeRoute.action,
      extensionRequest(`/app/disputes/${id}`, shop, { method: "POST", body: new URLSearchParams({ intent: "zendesk_ticket" }) }),
      { id },
    );

  it("says a deleted ticket was deleted and creates a new one only when asked", async () => {
    const dispute = await disputeOf(shopA);
    await db().disputeTicket.create({ data: { shopId: shopA, disputeId: dispute.id, ticketId: "4242", state: "deleted", lastError: "deleted" } });
    expect((await (await page(A, dispute.id)).json()).zendeskTicket).toMatchObject({ state: "deleted", ticketId: "4242", canCreate: true });

    // Another shop cannot ask for it.
    expect((await ask(B, dispute.id)).status).toBe(404);
    const response = await ask(A, dispute.id);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, message: "The Zendesk ticket is being created." });
    expect((await ask(A, dispute.id)).status).toBe(409);
    const job = await db().job.findFirst({ where: { shopId: shopA, kind: JOB_KINDS.disputeTicket, key: { startsWith: `${dispute.id}:again:` } } });
    expect(job).not.toBeNull();

    await openDisputeTicket(shopA, dispute.id);
    const shown = (await (await page(A, dispute.id)).json()).zendeskTicket;
    expect(shown).toMatchObject({ state: "open", canCreate: false });
    expect(shown.url).toBe(`${zendesk.url}/agent/tickets/${shown.ticketId}`);
  });

  it("offers no ticket where the shop has no Zendesk account, and refuses to create one", async () => {
    const dispute = await disputeOf(shopB);
    expect((await (await page(B, dispute.id)).json()).zendeskTicket).toBeNull();
    const response = await ask(B, dispute.id);
    expect(response.status).toBe(422);
    expect((await response.json()).message).toBe("Connect Zendesk on the app's Zendesk page first.");
  });
});
