// get_customer's history of an email stays an index lookup however many payments the shop has: this
// records the SQL Prisma sends for it and asks SQLite how it would run each statement on a fresh
// database (no ANALYZE statistics, as in production): no table scans, and no index used for shopId
// alone (that walks every payment, dispute or hold of the shop). As app/zendesk/query-plans.sqlite.test.ts.
import { describe, expect, it } from "vitest";
import { createOrderPayment, createShop } from "../../../test/helpers/factories";
import { recordQueryPlans } from "../../../test/helpers/query-plans";
import { db } from "../../db.server";
import { customerHistory } from "./customers.server";

const recorded = recordQueryPlans();

describe("query plans of a customer's history", () => {
  it("reads the email's payments, disputes, holds and deny-list entries with index lookups only", async () => {
    const shop = await createShop();
    const email = "ada@example.com";
    const { payment } = await createOrderPayment(shop.id, { payment: { customerEmail: email, status: "Captured", capturedAmount: 12_345 } });
    await createOrderPayment(shop.id, { payment: { customerEmail: "grace@example.com" } });
    await db().dispute.create({
      data: {
        shopId: shop.id,
        ckoDisputeId: "dsp_plan",
        paymentId: payment.id,
        ckoPaymentId: payment.ckoPaymentId,
        amount: 100,
        currency: "USD",
        status: "won",
      },
    });
    await db().hold.create({ data: { shopId: shop.id, paymentId: payment.id, orderGid: "gid://shopify/Order/1", status: "held", externalId: "plan-hold" } });
    await db().listEntry.create({ data: { shopId: shop.id, list: "deny", kind: "email", value: email } });

    recorded.clear();
    const history = await customerHistory(shop.id, email, "cus_plan", null);
    expect(history).toMatchObject({ payments: { count: 1 }, disputes: { count: 1 }, holds: { held: 1 }, denyList: [{ kind: "email" }] });

    const selects = recorded.selects();
    // Totals, the recent payments, the payment ids, the deny list; disputes twice; holds.
    expect(selects.length).toBeGreaterThanOrEqual(7);
    const problems = recorded.problems(
      selects,
      (detail) =>
        /^SCAN (main\.)?(Payment|OrderLink|Dispute|Hold|ListEntry)\b/.test(detail) ||
        /USING (COVERING )?INDEX \w+ \(shopId=\?\)$/.test(detail) ||
        /Payment_shopId_createdAt_idx/.test(detail),
    );
    expect(problems).toEqual([]);
  });
});
