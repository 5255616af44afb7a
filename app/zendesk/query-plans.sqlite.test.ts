// The sidebar's reads stay fast at 100,000 payments because each one is an index lookup. This records
// the SQL Prisma actually sends for a lookup and a timeline, and asks SQLite how it would run each
// statement on a fresh database (no ANALYZE statistics, as in production): no table scans, and no
// index used for shopId alone (that walks every payment of the shop). Timings live in
// test/bench/zendesk-timeline.ts.
import { describe, expect, it } from "vitest";
import { createOrderPayment, createShop } from "../../test/helpers/factories";
import { AGENT, connectZendesk } from "../../test/helpers/zendesk";
import { recordQueryPlans } from "../../test/helpers/query-plans";
import { db } from "../db.server";
import { lookupPayments, paymentTimeline } from "./payments.server";

const recorded = recordQueryPlans();

describe("query plans of the Zendesk reads", () => {
  it("looks payments up and builds a timeline with index lookups only", async () => {
    const shop = await createShop();
    const other = await createShop();
    const { payment } = await createOrderPayment(shop.id, {
      orderName: "#1001",
      payment: { customerEmail: "ada@example.com", reference: "#1001", status: "Captured", capturedAmount: 12_345 },
    });
    await createOrderPayment(other.id, { orderName: "#1001", payment: { customerEmail: "ada@example.com" } });
    await db().dispute.create({
      data: {
        shopId: shop.id,
        ckoDisputeId: "dsp_plan1",
        paymentId: payment.id,
        ckoPaymentId: payment.ckoPaymentId,
        amount: 100,
        currency: "USD",
        status: "evidence_required",
      },
    });
    const { connection } = await connectZendesk(shop.id);

    recorded.clear();
    await lookupPayments(shop.id, { ticketId: 1, paymentId: payment.ckoPaymentId });
    await lookupPayments(shop.id, { ticketId: 1, orderName: "1001" });
    await lookupPayments(shop.id, { ticketId: 1, email: "ada@example.com" });
    const timeline = await paymentTimeline(
      { connection, shopId: shop.id, claims: { connection_id: connection.id, subdomain: "acme", ticket_id: 1, ...AGENT, iat: 0, exp: 0 }, actor: "Jane" },
      payment.ckoPaymentId,
    );
    expect(timeline.dispute?.disputeId).toBe("dsp_plan1");

    const selects = recorded.selects();
    expect(selects.length).toBeGreaterThanOrEqual(8);
    const problems = recorded.problems(
      selects,
      (detail) =>
        /^SCAN (Payment|PaymentActivity|OrderLink|Dispute|MoneyAction|Hold)\b/.test(detail) || /USING (COVERING )?INDEX \w+ \(shopId=\?\)$/.test(detail),
    );
    expect(problems).toEqual([]);
  });
});
