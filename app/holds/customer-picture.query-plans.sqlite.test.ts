// The hold page's picture of the customer stays an index lookup however many payments the shop has:
// this records the SQL Prisma sends for it and asks SQLite how it would run each statement on a fresh
// database (no ANALYZE statistics, as in production): no table scans, and no index used for shopId
// alone (that walks every payment of the shop). As app/zendesk/query-plans.sqlite.test.ts.
import { describe, expect, it, vi } from "vitest";
import { createConnectedShop } from "../../test/helpers/factories";
import { createPayment } from "../../test/helpers/holds";
import { recordQueryPlans } from "../../test/helpers/query-plans";
import { db } from "../db.server";
import { customerPicture } from "./customer-picture.server";

// The IP country comes from the payment's stored events through the prepared raw statements of the
// review's hot path (app/holds/matching.server.ts), which a recording client does not offer.
vi.mock("./matching.server", () => ({ paymentEventFacts: async () => ({ actionIds: [], ipCountry: null }) }));

const recorded = recordQueryPlans();

describe("query plans of the hold page's customer picture", () => {
  it("reads the customer's payments, orders, holds and disputes with index lookups only", async () => {
    const { shop } = await createConnectedShop();
    const payment = await createPayment(shop.id, { ckoCustomerId: "cus_plan" });
    const earlier = await createPayment(shop.id, { ckoCustomerId: "cus_plan", createdAt: new Date(Date.now() - 60_000), refundedAmount: 100 });
    await db().orderLink.create({
      data: { shopId: shop.id, paymentId: earlier.id, orderGid: "gid://shopify/Order/1", orderName: "#1001", matchedBy: "reference", confidence: "strong" },
    });
    await db().dispute.create({ data: { shopId: shop.id, ckoDisputeId: "dsp_plan", paymentId: earlier.id, amount: 100, currency: "USD", status: "won" } });

    recorded.clear();
    const picture = await customerPicture(shop.id, payment);
    expect(picture.totals).toMatchObject({ payments: 1, disputes: 1 });

    const selects = recorded.selects();
    // One per way (email, card, customer), the shown rows with their orders and holds, the disputes.
    expect(selects.length).toBeGreaterThanOrEqual(6);
    const problems = recorded.problems(
      selects,
      (detail) =>
        /^SCAN (main\.)?(Payment|OrderLink|Dispute|Hold|WebhookEvent)\b/.test(detail) ||
        /USING (COVERING )?INDEX \w+ \(shopId=\?\)$/.test(detail) ||
        /Payment_shopId_createdAt_idx/.test(detail),
    );
    expect(problems).toEqual([]);
  });
});
