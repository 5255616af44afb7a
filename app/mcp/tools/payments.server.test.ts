// The payment read tools through the SDK's client: a payment's history (timeline and money actions),
// the filtered list with its cursor, and one shop's token never seeing another shop's payments.
import { describe, expect, it } from "vitest";
import { createConnectedShop, createOrderPayment } from "../../../test/helpers/factories";
import { agentToken, callTool, mcpClient } from "../../../test/helpers/mcp";
import { db, rawSql } from "../../db.server";
import { recordActivity } from "../../payments/record.server";

const at = (iso: string) => new Date(iso);

describe("get_payment_actions", () => {
  it("answers the timeline oldest first with who did what, and the money actions with their path and status", async () => {
    const { shop } = await createConnectedShop();
    const { payment } = await createOrderPayment(shop.id, {
      orderName: "#5101",
      payment: { currency: "EUR", amount: 5000, capturedAmount: 5000, refundedAmount: 1500, status: "Partially Refunded" },
    });
    const base = { amount: null, currency: null };
    await recordActivity(rawSql(), payment, {
      ...base,
      sourceKey: "evt_cap",
      kind: "event",
      type: "payment_captured",
      summary: "Captured €50.00",
      amount: 5000,
      currency: "EUR",
      occurredAt: at("2026-01-05T10:01:00Z"),
    });
    await recordActivity(rawSql(), payment, {
      ...base,
      sourceKey: "evt_auth",
      kind: "event",
      type: "payment_approved",
      summary: "Authorized €50.00",
      amount: 5000,
      currency: "EUR",
      occurredAt: at("2026-01-05T10:00:00Z"),
    });
    await recordActivity(rawSql(), payment, {
      ...base,
      sourceKey: "act_refund_req",
      kind: "action",
      type: "refund_requested",
      summary: "Refund of €15.00 requested by Support bot",
      amount: 1500,
      currency: "EUR",
      actor: "Support bot",
      occurredAt: at("2026-01-06T09:00:00Z"),
    });
    await db().moneyAction.create({
      data: {
        shopId: shop.id,
        paymentId: payment.id,
        kind: "refund",
        amount: 1500,
        currency: "EUR",
        idempotencyKey: `k-${payment.id}`,
        status: "succeeded",
        via: "shopify",
        requestedBy: "Support bot",
        source: "agent",
        reason: "damaged",
        ckoActionId: "act_refund_1",
      },
    });

    const { token } = await agentToken(shop.id, { name: "Support bot" });
    const answer = await callTool(await mcpClient(token), "get_payment_actions", { payment: "#5101" });
    expect(answer.isError, answer.text).toBe(false);
    const data = answer.data!;
    expect(data.paymentId).toBe(payment.ckoPaymentId);
    expect(data.timeline.map((e: { type: string }) => e.type)).toEqual(["authorized", "captured", "refund_requested"]);
    expect(data.timeline[0]).toMatchObject({ kind: "event", recordedType: "payment_approved", amount: { minor: 5000, currency: "EUR", formatted: "€50.00" } });
    expect(data.timeline[0].at.iso).toBe("2026-01-05T10:00:00.000Z");
    expect(data.timeline[2]).toMatchObject({ kind: "action", actor: "Support bot" });
    expect(data.moneyActions).toEqual([
      expect.objectContaining({
        kind: "refund",
        status: "succeeded",
        via: "shopify",
        source: "agent",
        requestedBy: "Support bot",
        checkoutActionId: "act_refund_1",
        amount: expect.objectContaining({ minor: 1500, formatted: "€15.00" }),
      }),
    ]);
    expect(answer.text).toContain("refund of €15.00 succeeded (asked by Support bot via Shopify)");
    expect(answer.text).toContain("3 timeline entries");
  });

  it("adds a dispute milestone its events did not record", async () => {
    const { shop } = await createConnectedShop();
    const { payment } = await createOrderPayment(shop.id, { payment: { status: "Captured", capturedAmount: 12_345 } });
    await db().dispute.create({
      data: {
        shopId: shop.id,
        ckoDisputeId: "dsp_timeline1",
        paymentId: payment.id,
        ckoPaymentId: payment.ckoPaymentId,
        amount: 12_345,
        currency: "USD",
        status: "evidence_required",
        receivedOn: at("2026-01-07T00:00:00Z"),
      },
    });
    const { token } = await agentToken(shop.id);
    const answer = await callTool(await mcpClient(token), "get_payment_actions", { payment: payment.ckoPaymentId });
    expect(answer.data?.timeline).toEqual([expect.objectContaining({ kind: "dispute", type: "dispute_opened", recordedType: null })]);
    expect(answer.data?.moneyActions).toEqual([]);
  });

  it("never answers another shop's payment", async () => {
    const { shop } = await createConnectedShop();
    const other = await createConnectedShop();
    const { payment } = await createOrderPayment(other.shop.id, { orderName: "#5199" });
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);
    for (const lookup of [payment.ckoPaymentId, "#5199"]) {
      const answer = await callTool(client, "get_payment_actions", { payment: lookup });
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain("no Checkout.com payment");
    }
  });
});

describe("list_payments", () => {
  /** A shop with payments made one hour apart, the newest last. */
  async function shopWithPayments() {
    const { shop } = await createConnectedShop();
    const made = [];
    const specs = [
      { currency: "EUR", amount: 1000, status: "Captured", customerEmail: "ada@example.com", riskFlagged: false },
      { currency: "EUR", amount: 2000, status: "Authorized", customerEmail: "bob@example.com", riskFlagged: true },
      { currency: "USD", amount: 3000, status: "Captured", customerEmail: "ada@example.com", riskFlagged: true },
      { currency: "EUR", amount: 4000, status: "Captured", customerEmail: "ada@example.com", riskFlagged: false },
      { currency: "EUR", amount: 5000, status: "Refunded", customerEmail: "cy@example.com", riskFlagged: false },
    ];
    for (const [i, spec] of specs.entries()) {
      const { payment } = await createOrderPayment(shop.id, { payment: { ...spec, createdAt: new Date(Date.UTC(2026, 0, 10, i)) } });
      made.push(payment);
    }
    return { shop, made };
  }

  it("lists newest first and pages with the cursor until the last page", async () => {
    const { shop, made } = await shopWithPayments();
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 3; page += 1) {
      const answer = await callTool(client, "list_payments", { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(answer.isError, answer.text).toBe(false);
      seen.push(...answer.data!.payments.map((p: { paymentId: string }) => p.paymentId));
      cursor = answer.data!.nextCursor ?? undefined;
      if (page < 2) expect(cursor).toBeTruthy();
    }
    expect(cursor).toBeUndefined();
    expect(seen).toEqual([...made].reverse().map((p) => p.ckoPaymentId));
  });

  it("pages through payments made at the same moment without losing or repeating one", async () => {
    const { shop } = await createConnectedShop();
    const same = new Date("2026-02-01T12:00:00Z");
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push((await createOrderPayment(shop.id, { payment: { createdAt: same } })).payment.ckoPaymentId);
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);
    const first = await callTool(client, "list_payments", { limit: 3 });
    const second = await callTool(client, "list_payments", { limit: 3, cursor: first.data!.nextCursor });
    const seen = [...first.data!.payments, ...second.data!.payments].map((p: { paymentId: string }) => p.paymentId);
    expect(seen.sort()).toEqual(ids.sort());
    expect(second.data!.nextCursor).toBeNull();
  });

  it("filters by status, email, flag, currency and amount, creation time and dispute", async () => {
    const { shop, made } = await shopWithPayments();
    await db().dispute.create({
      data: {
        shopId: shop.id,
        ckoDisputeId: "dsp_list1",
        paymentId: made[3].id,
        ckoPaymentId: made[3].ckoPaymentId,
        amount: 4000,
        currency: "EUR",
        status: "evidence_required",
      },
    });
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);
    const ids = async (args: Record<string, unknown>) => {
      const answer = await callTool(client, "list_payments", args);
      expect(answer.isError, answer.text).toBe(false);
      return answer.data!.payments.map((p: { paymentId: string }) => p.paymentId);
    };
    const id = (i: number) => made[i].ckoPaymentId;
    expect(await ids({ status: "Captured", customer_email: "ADA@example.com" })).toEqual([id(3), id(2), id(0)]);
    expect(await ids({ risk_flagged: true })).toEqual([id(2), id(1)]);
    expect(await ids({ currency: "eur", min_amount: 2000, max_amount: 4000 })).toEqual([id(3), id(1)]);
    expect(await ids({ created_from: "2026-01-10T01:00:00Z", created_to: "2026-01-10T03:00:00+00:00" })).toEqual([id(2), id(1)]);
    expect(await ids({ has_dispute: true })).toEqual([id(3)]);
    expect(await ids({ has_dispute: false, currency: "EUR" })).toEqual([id(4), id(1), id(0)]);
    expect(await ids({ created_from: "2026-01-11" })).toEqual([]);
  });

  it("reads a date as the shop's day in its time zone", async () => {
    const { shop, made } = await shopWithPayments();
    const client = await mcpClient((await agentToken(shop.id)).token);
    const count = async (args: Record<string, unknown>) => (await callTool(client, "list_payments", args)).data!.payments.length;
    expect(await count({ created_from: "2026-01-10" })).toBe(made.length);
    // 00:00-04:00 UTC on 10 January is the afternoon of the 9th in Los Angeles.
    await db().shop.update({ where: { id: shop.id }, data: { ianaTimezone: "America/Los_Angeles" } });
    const inLa = await mcpClient((await agentToken(shop.id)).token);
    const countLa = async (args: Record<string, unknown>) => (await callTool(inLa, "list_payments", args)).data!.payments.length;
    expect(await countLa({ created_from: "2026-01-10" })).toBe(0);
    expect(await countLa({ created_from: "2026-01-09", created_to: "2026-01-10" })).toBe(made.length);
  });

  it("answers the machine fields of each payment and its summary in the shop's formatting", async () => {
    const { shop, made } = await shopWithPayments();
    const { token } = await agentToken(shop.id);
    const answer = await callTool(await mcpClient(token), "list_payments", { limit: 1 });
    expect(answer.data!.payments[0]).toMatchObject({
      paymentId: made[4].ckoPaymentId,
      status: "Refunded",
      amount: { minor: 5000, currency: "EUR", decimal: "50.00", formatted: "€50.00" },
      customerEmail: "cy@example.com",
      createdAt: { iso: "2026-01-10T04:00:00.000Z" },
    });
    expect(answer.text).toContain("€50.00 Refunded");
    expect(answer.text).toContain("More match");
  });

  it("refuses an amount without a currency, and a cursor it did not give", async () => {
    const { shop } = await createConnectedShop();
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);
    const noCurrency = await callTool(client, "list_payments", { min_amount: 100 });
    expect(noCurrency.isError).toBe(true);
    expect(noCurrency.text).toContain("give currency");
    const badCursor = await callTool(client, "list_payments", { cursor: "page-2" });
    expect(badCursor.isError).toBe(true);
    expect(badCursor.text).toContain("cursor");
    const badLimit = await callTool(client, "list_payments", { limit: 500 });
    expect(badLimit.isError).toBe(true);
    expect(badLimit.text).toMatch(/limit/);
  });

  it("lists only the token's shop's payments", async () => {
    const { shop } = await createConnectedShop();
    const other = await createConnectedShop();
    await createOrderPayment(other.shop.id, { payment: { customerEmail: "ada@example.com" } });
    const mine = await createOrderPayment(shop.id, { payment: { customerEmail: "ada@example.com" } });
    const { token } = await agentToken(shop.id);
    const answer = await callTool(await mcpClient(token), "list_payments", { customer_email: "ada@example.com" });
    expect(answer.data!.payments.map((p: { paymentId: string }) => p.paymentId)).toEqual([mine.payment.ckoPaymentId]);
  });
});
