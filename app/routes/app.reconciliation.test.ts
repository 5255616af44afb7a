// The Reconciliation screen's routes as the embedded admin calls them (session token, offline session):
// the list and summary are the session shop's only; dismissing takes Finance and a reason, said back in
// the staff member's language when it is missing; the CSV of open issues has amounts in major units
// beside their currency, and is itself audited.
import { beforeAll, describe, expect, it } from "vitest";
import { createConnectedShop } from "../../test/helpers/factories";
import { seedOfflineSession, seedStaff, staffRequest } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import { db } from "../db.server";
import * as csvRoute from "./app.reconciliation.csv";
import * as listRoute from "./app.reconciliation._index";

const OWNER = 74_000_201;
const VIEWER = 74_000_202;
let shopA: { id: string; domain: string };
let shopB: { id: string; domain: string };
const ids: Record<string, string> = {};

const as = (domain: string, path: string, userId = OWNER, form?: Record<string, string>) => staffRequest(domain, path, userId, form);

beforeAll(async () => {
  shopA = (await createConnectedShop()).shop;
  shopB = (await createConnectedShop()).shop;
  for (const shop of [shopA, shopB]) {
    await seedOfflineSession(shop.domain);
    await seedStaff(shop.domain, { userId: OWNER, role: "owner" });
  }
  await seedStaff(shopA.domain, { userId: VIEWER, role: "viewer" });
  const payment = await db().payment.create({ data: { shopId: shopA.id, ckoPaymentId: "pay_route_a", amount: 5_000, currency: "USD", status: "Captured" } });
  const paymentB = await db().payment.create({ data: { shopId: shopB.id, ckoPaymentId: "pay_route_b", amount: 5_000, currency: "USD", status: "Captured" } });
  const base = { status: "open", lastCheckedAt: new Date("2026-12-05T03:00:00Z") };
  ids.refund = (
    await db().reconciliationIssue.create({
      data: {
        ...base,
        shopId: shopA.id,
        paymentId: payment.id,
        subject: payment.id,
        orderGid: "gid://shopify/Order/8000000101",
        orderName: "#1101",
        kind: "refund_missing_in_shopify",
        currency: "USD",
        checkoutAmount: 2_000,
        shopifyAmount: 766,
        amount: 1_234,
        firstSeenAt: new Date("2026-12-04T09:30:00Z"),
      },
    })
  ).id;
  ids.currency = (
    await db().reconciliationIssue.create({
      data: {
        ...base,
        shopId: shopA.id,
        paymentId: payment.id,
        subject: payment.id,
        orderGid: "gid://shopify/Order/8000000102",
        kind: "currency_differs",
        currency: "JPY",
        checkoutAmount: 1_500,
        shopifyAmount: null,
        amount: 1_500,
        firstSeenAt: new Date("2026-12-05T01:00:00Z"),
      },
    })
  ).id;
  ids.dismissed = (
    await db().reconciliationIssue.create({
      data: {
        ...base,
        shopId: shopA.id,
        paymentId: payment.id,
        subject: payment.id,
        orderGid: "gid://shopify/Order/8000000103",
        orderName: "#1103",
        kind: "captured_not_on_order",
        currency: "EUR",
        amount: 100,
        status: "dismissed",
        dismissReason: "Test order",
        dismissedBy: "Kim",
        dismissedAt: new Date(),
      },
    })
  ).id;
  ids.other = (
    await db().reconciliationIssue.create({
      data: {
        ...base,
        shopId: shopB.id,
        paymentId: paymentB.id,
        subject: paymentB.id,
        orderGid: "gid://shopify/Order/8000000104",
        kind: "refund_missing_in_shopify",
        currency: "USD",
        amount: 99_999,
      },
    })
  ).id;
});

describe("the Reconciliation page", () => {
  it("lists only the session shop's open issues, with its summary", async () => {
    const response = await callAction(listRoute.loader, as(shopA.domain, "/app/reconciliation"));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.issues.map((i: { id: string }) => i.id)).toEqual([ids.currency, ids.refund]);
    expect(body.issues[1]).toMatchObject({ orderName: "#1101", ckoPaymentId: "pay_route_a", amount: 1_234, currency: "USD" });
    expect(body.summary.open).toBe(2);
    expect(body.summary.values).toEqual([
      { currency: "JPY", minor: 1_500, count: 1 },
      { currency: "USD", minor: 1_234, count: 1 },
    ]);
    expect(body.canDecide).toBe(true);
    const dismissed = await (await callAction(listRoute.loader, as(shopA.domain, "/app/reconciliation?status=dismissed"))).json();
    expect(dismissed.issues.map((i: { id: string }) => i.id)).toEqual([ids.dismissed]);
    const other = await (await callAction(listRoute.loader, as(shopB.domain, "/app/reconciliation"))).json();
    expect(other.issues.map((i: { id: string }) => i.id)).toEqual([ids.other]);
  });

  it("answers 400 with the reason field's words for a bad reason, in the staff member's language, and changes nothing", async () => {
    const bad = await callAction(listRoute.action, as(shopA.domain, "/app/reconciliation", OWNER, { intent: "dismiss", issueId: ids.refund, reason: " x " }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      ok: false,
      intent: "dismiss",
      issueId: ids.refund,
      message: "Give a reason to dismiss this difference.",
      fieldErrors: { reason: "Say why in at least 3 characters." },
    });
    const french = await callAction(listRoute.action, as(shopA.domain, "/app/reconciliation?locale=fr", OWNER, { intent: "dismiss", issueId: ids.refund }));
    expect(french.status).toBe(400);
    expect((await french.json()).fieldErrors).toEqual({ reason: "Expliquez pourquoi en 3 caractères au moins." });
    expect((await db().reconciliationIssue.findUniqueOrThrow({ where: { id: ids.refund } })).status).toBe("open");
    expect(await db().auditLog.count({ where: { shopId: shopA.id, action: "reconciliation.dismiss" } })).toBe(0);
  });

  it("dismisses and reopens for Finance and admins, refuses a viewer, and finds no other shop's issue (said in the staff member's language)", async () => {
    const viewer = await callAction(listRoute.action, as(shopA.domain, "/app/reconciliation", VIEWER, { intent: "reopen", issueId: ids.dismissed }));
    expect(viewer.status).toBe(403);
    const foreign = await callAction(
      listRoute.action,
      as(shopA.domain, "/app/reconciliation?locale=de", OWNER, { intent: "dismiss", issueId: ids.other, reason: "Not ours" }),
    );
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ ok: false, message: "Diese Abweichung gibt es in diesem Shop nicht." });
    const reopened = await callAction(listRoute.action, as(shopA.domain, "/app/reconciliation", OWNER, { intent: "reopen", issueId: ids.dismissed }));
    expect(reopened.status).toBe(200);
    const again = await callAction(listRoute.action, as(shopA.domain, "/app/reconciliation", OWNER, { intent: "reopen", issueId: ids.dismissed }));
    expect(again.status).toBe(409);
    const dismissed = await callAction(
      listRoute.action,
      as(shopA.domain, "/app/reconciliation", OWNER, { intent: "dismiss", issueId: ids.dismissed, reason: "Test order, never shipped" }),
    );
    expect(dismissed.status).toBe(200);
    expect(await db().reconciliationIssue.findUniqueOrThrow({ where: { id: ids.dismissed } })).toMatchObject({
      status: "dismissed",
      dismissReason: "Test order, never shipped",
      dismissedBy: expect.stringContaining("staff74000201@example.com"),
    });
    expect((await db().reconciliationIssue.findUniqueOrThrow({ where: { id: ids.other } })).status).toBe("open");
  });
});

describe("the CSV of open issues", () => {
  it("has one header row and the shop's open issues, newest first, amounts in major units beside their currency; audited", async () => {
    const response = await callAction(csvRoute.loader, as(shopA.domain, "/app/reconciliation/csv"));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="reconciliation-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect((await response.text()).split("\r\n")).toEqual([
      "first_seen,order,payment_id,kind,currency,checkout_amount,shopify_amount,amount_at_stake,status",
      "2026-12-05T01:00:00.000Z,gid://shopify/Order/8000000102,pay_route_a,currency_differs,JPY,1500,,1500,open",
      "2026-12-04T09:30:00.000Z,#1101,pay_route_a,refund_missing_in_shopify,USD,20.00,7.66,12.34,open",
      "",
    ]);
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA.id, action: "reconciliation.export" } });
    expect(JSON.parse(entry.details)).toEqual({ count: 2, truncated: false });
  });
});
