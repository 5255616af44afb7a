import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { orderFixture } from "../../test/fixtures/evidence";
import { createShop } from "../../test/helpers/factories";
import { connectZendeskAccount, resetZendeskApi } from "../../test/helpers/zendesk";
import { createZendeskStandIn, type ZendeskStandIn } from "../../test/standins/zendesk/server";
import { CONVERSATION_LIMITS } from "../zendesk/conversation.server";
import { conversationForOrder } from "./conversation.server";

const order = orderFixture({ note: "Customer phoned on 3 Jan to confirm the delivery address.", email: "jane@example.com" });
const jane = { id: 501, name: "Jane Doe", email: "jane@example.com" };
const PAYMENT = "pay_abcdefghijklmnopqrstuvwxyz";
const noExclusions = { ckoPaymentId: PAYMENT, excludedTickets: [] };

let zendesk: ZendeskStandIn;
beforeAll(async () => {
  zendesk = await createZendeskStandIn({
    settings: { backend_url: "https://app.example.com" },
    tickets: [
      {
        id: 812,
        subject: "Where is my order #1001?",
        requester: jane,
        comments: [
          { from: "requester", body: "Hello, my parcel has not arrived.", public: true, createdAt: "2026-01-05T09:00:00Z" },
          { from: "agent", body: "Checked with the carrier: do not refund, she is a known abuser.", public: false, createdAt: "2026-01-05T09:30:00Z" },
          { from: "agent", body: "It was delivered on 4 Jan to the porch, here is the tracking.", public: true, createdAt: "2026-01-05T10:00:00Z" },
        ],
      },
      // The same customer about something else: not about this order.
      { id: 813, subject: "Newsletter", requester: jane, comments: [{ from: "requester", body: "Unsubscribe me", public: true }] },
      // Another requester, naming the payment rather than the order.
      {
        id: 820,
        subject: "Charge on my card",
        requester: { id: 502, name: "John Roe", email: "john@example.com" },
        comments: [{ from: "requester", body: `I do not recognise ${PAYMENT}\u0000\u200b on my statement.`, public: true, createdAt: "2026-01-06T08:00:00Z" }],
      },
      // Another customer's ticket about an order of the same name elsewhere: never taken.
      {
        id: 830,
        subject: "Order #1001 late",
        requester: { id: 503, name: "Other", email: "other@example.com" },
        comments: [{ from: "requester", body: "Late", public: true }],
      },
    ],
  });
});
afterAll(async () => {
  resetZendeskApi();
  await zendesk.close();
});

describe("conversationForOrder", () => {
  let shopId: string;
  beforeEach(async () => {
    shopId = (await createShop()).id;
  });

  it("uses the order notes when the shop has not connected Zendesk", async () => {
    expect(await conversationForOrder(shopId, order, noExclusions)).toEqual({
      source: "order_notes",
      reference: "Order #1001",
      messages: [{ author: "Order notes", role: "merchant", at: order.processedAt, body: "Customer phoned on 3 Jan to confirm the delivery address." }],
    });
  });

  it("takes the public replies of the customer's tickets about the order or its payment, never internal notes", async () => {
    await connectZendeskAccount(shopId, zendesk);
    const conversation = await conversationForOrder(shopId, order, noExclusions);
    expect(conversation).toEqual({
      source: "zendesk",
      reference: "Zendesk tickets #812, #820",
      messages: [
        { author: "Jane Doe", role: "customer", at: "2026-01-05T09:00:00Z", body: "Hello, my parcel has not arrived." },
        { author: "Jane Agent", role: "merchant", at: "2026-01-05T10:00:00Z", body: "It was delivered on 4 Jan to the porch, here is the tracking." },
        { author: "John Roe", role: "customer", at: "2026-01-06T08:00:00Z", body: `I do not recognise ${PAYMENT} on my statement.` },
      ],
      tickets: [
        { id: "812", subject: "Where is my order #1001?", messages: 2 },
        { id: "820", subject: "Charge on my card", messages: 1 },
      ],
    });
    expect(JSON.stringify(conversation)).not.toContain("known abuser");
  });

  it("leaves out the tickets the merchant removed, and falls back to the notes when none is left", async () => {
    await connectZendeskAccount(shopId, zendesk);
    const without820 = await conversationForOrder(shopId, order, { ckoPaymentId: PAYMENT, excludedTickets: ["820"] });
    expect(without820?.tickets?.map((t) => t.id)).toEqual(["812"]);
    const none = await conversationForOrder(shopId, order, { ckoPaymentId: PAYMENT, excludedTickets: ["812", "820"] });
    expect(none?.source).toBe("order_notes");
  });

  it("caps each message", async () => {
    await connectZendeskAccount(shopId, zendesk);
    zendesk.tickets.addComment(812, {
      authorId: jane.id,
      body: "x".repeat(CONVERSATION_LIMITS.messageChars + 500),
      public: true,
      createdAt: "2026-01-07T00:00:00Z",
    });
    const conversation = await conversationForOrder(shopId, order, noExclusions);
    const longest = Math.max(...conversation!.messages.map((m) => m.body.length));
    expect(longest).toBe(CONVERSATION_LIMITS.messageChars);
  });

  it("falls back to the order notes when Zendesk refuses the token", async () => {
    await connectZendeskAccount(shopId, zendesk);
    zendesk.revokeAllTokens();
    expect((await conversationForOrder(shopId, order, noExclusions))?.source).toBe("order_notes");
  });

  it("has nothing without notes or an order", async () => {
    expect(await conversationForOrder(shopId, orderFixture({ note: "  " }), noExclusions)).toBeNull();
    expect(await conversationForOrder(shopId, null, noExclusions)).toBeNull();
  });
});
