// The customer's Zendesk conversation in a dispute's evidence: built into the customer communication
// document (public replies only), listed on the draft, and removable ticket by ticket.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDispute, startDisputeWorld, type DisputeWorld } from "../../test/helpers/disputes";
import { createShop } from "../../test/helpers/factories";
import { connectZendeskAccount, resetZendeskApi } from "../../test/helpers/zendesk";
import { createZendeskStandIn, type ZendeskStandIn } from "../../test/standins/zendesk/server";
import { db } from "../db.server";
import { setTicketExcluded } from "./draft.server";
import { buildDisputeEvidence } from "./evidence.server";
import { parseDraft, type EvidencePlan } from "./model";
import { getDisputeDetail } from "./queries.server";

const merchant = { actor: "merchant@example.com", source: "admin" as const };
let world: DisputeWorld;
let zendesk: ZendeskStandIn;
beforeAll(async () => {
  world = await startDisputeWorld();
  zendesk = await createZendeskStandIn({ settings: { backend_url: "https://app.example.com" }, tickets: [] });
});
afterAll(async () => {
  resetZendeskApi();
  await zendesk?.close();
  await world?.close();
});

const communication = (plan: EvidencePlan) => {
  const doc = plan.documents.find((d) => d.field === "customer_communication_file");
  return doc ? JSON.stringify(doc.blocks) : null;
};

describe("customer communication from Zendesk", () => {
  it("quotes the customer's ticket about the order, never its internal notes, and leaves out a ticket the merchant removes", async () => {
    const opened = await openDispute(world, { category: "product_not_received", relevantEvidence: ["customer_communication", "proof_of_delivery_or_service"] });
    const orderName = (await db().orderLink.findFirstOrThrow({ where: { paymentId: opened.payment.id } })).orderName;
    const ticket = zendesk.tickets.create({
      subject: `Parcel for ${orderName}`,
      status: "open",
      requester: { id: 777, name: "Ada Lovelace", email: "ada@example.com" },
    });
    zendesk.tickets.addComment(ticket.id, { authorId: 777, body: "The parcel never came.", public: true, createdAt: "2026-01-09T09:00:00Z" });
    zendesk.tickets.addComment(ticket.id, {
      authorId: 9001,
      body: "Internal: carrier photo shows the porch.",
      public: false,
      createdAt: "2026-01-09T09:10:00Z",
    });
    zendesk.tickets.addComment(ticket.id, { authorId: 9001, body: "Royal Mail shows it delivered on 8 Jan.", public: true, createdAt: "2026-01-09T09:20:00Z" });
    await connectZendeskAccount(opened.shop.id, zendesk);

    const { plan } = await buildDisputeEvidence(opened.shop.id, opened.dispute.id, merchant);
    const quoted = communication(plan);
    expect(quoted).toContain("The parcel never came.");
    expect(quoted).toContain("Royal Mail shows it delivered on 8 Jan.");
    expect(quoted).toContain(`Zendesk ticket #${ticket.id}`);
    expect(quoted).not.toContain("carrier photo");
    const detail = await getDisputeDetail(opened.shop.id, opened.dispute.id);
    expect(detail?.conversation).toEqual({ tickets: [{ id: String(ticket.id), subject: `Parcel for ${orderName}`, messages: 2 }], excludedTickets: [] });

    // Another shop cannot touch this dispute's tickets.
    const other = await createShop();
    expect(await setTicketExcluded(other.id, opened.dispute.id, String(ticket.id), true, merchant)).toMatchObject({ ok: false, notFound: true });

    expect(await setTicketExcluded(opened.shop.id, opened.dispute.id, String(ticket.id), true, merchant)).toMatchObject({ ok: true });
    const rebuilt = await buildDisputeEvidence(opened.shop.id, opened.dispute.id, merchant);
    expect(communication(rebuilt.plan) ?? "").not.toContain("The parcel never came.");
    const draft = parseDraft((await db().dispute.findUniqueOrThrow({ where: { id: opened.dispute.id } })).evidenceDraft);
    expect(draft).toMatchObject({ conversationTickets: [], excludedTickets: [String(ticket.id)] });
    expect(await db().auditLog.count({ where: { shopId: opened.shop.id, action: "evidence.exclude_ticket", result: "ok" } })).toBe(1);

    // Put back: quoted again.
    await setTicketExcluded(opened.shop.id, opened.dispute.id, String(ticket.id), false, merchant);
    expect(communication((await buildDisputeEvidence(opened.shop.id, opened.dispute.id, merchant)).plan)).toContain("The parcel never came.");
  });

  it("refuses a ticket id that is not one", async () => {
    const opened = await openDispute(world);
    expect(await setTicketExcluded(opened.shop.id, opened.dispute.id, "12; DROP", true, merchant)).toMatchObject({
      ok: false,
      words: { key: "disputes.unknownTicket" },
    });
  });
});
