import { afterEach, describe, expect, it, vi } from "vitest";
import { conversationFixture, orderFixture } from "../../test/fixtures/evidence";
import { createShop } from "../../test/helpers/factories";
import { db } from "../db.server";
import { conversationForOrder, registerZendeskConversationSource } from "./conversation.server";

const order = orderFixture({ note: "Customer phoned on 3 Jan to confirm the delivery address." });

afterEach(() => registerZendeskConversationSource(null));

async function shopWithZendesk(revoked = false) {
  const shop = await createShop();
  await db().zendeskConnection.create({
    data: { shopId: shop.id, subdomain: "northwind", sharedSecretEnc: "sealed", secretLast4: "abcd", revokedAt: revoked ? new Date() : null },
  });
  return shop;
}

describe("conversationForOrder", () => {
  it("uses the order notes when no Zendesk source is registered", async () => {
    const shop = await createShop();
    expect(await conversationForOrder(shop.id, order)).toEqual({
      source: "order_notes",
      reference: "Order #1001",
      messages: [{ author: "Order notes", role: "merchant", at: order.processedAt, body: "Customer phoned on 3 Jan to confirm the delivery address." }],
    });
  });

  it("asks Zendesk only for shops with an active Zendesk connection", async () => {
    const source = vi.fn(async () => conversationFixture());
    registerZendeskConversationSource(source);
    const plain = await createShop();
    expect((await conversationForOrder(plain.id, order))?.source).toBe("order_notes");
    const revoked = await shopWithZendesk(true);
    expect((await conversationForOrder(revoked.id, order))?.source).toBe("order_notes");
    expect(source).not.toHaveBeenCalled();
    const connected = await shopWithZendesk();
    expect(await conversationForOrder(connected.id, order)).toEqual(conversationFixture());
    expect(source).toHaveBeenCalledWith(connected.id, order);
  });

  it("falls back to the notes when Zendesk fails or has nothing", async () => {
    const shop = await shopWithZendesk();
    registerZendeskConversationSource(async () => {
      throw new Error("Zendesk is down");
    });
    expect((await conversationForOrder(shop.id, order))?.source).toBe("order_notes");
    registerZendeskConversationSource(async () => conversationFixture({ messages: [] }));
    expect((await conversationForOrder(shop.id, order))?.source).toBe("order_notes");
  });

  it("has nothing without notes or an order", async () => {
    const shop = await createShop();
    expect(await conversationForOrder(shop.id, orderFixture({ note: "  " }))).toBeNull();
    expect(await conversationForOrder(shop.id, null)).toBeNull();
  });
});
