// The Payouts screens' routes as the embedded admin calls them (session token, offline session): the list
// is the session shop's only; another shop's payout is not found, on its page and as CSV; the CSV has
// its lines in major units beside their currency and is itself audited; and a viewer sees and exports
// payouts, as on the Reconciliation screen, but does not start an import.
import { beforeAll, describe, expect, it } from "vitest";
import { createConnectedShop } from "../../test/helpers/factories";
import { seedOfflineSession, seedStaff, staffRequest } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import { db } from "../db.server";
import * as csvRoute from "./app.payouts.$id.csv";
import * as detailRoute from "./app.payouts.$id";
import * as listRoute from "./app.payouts._index";

const OWNER = 74_000_301;
const VIEWER = 74_000_302;
let shopA: { id: string; domain: string };
let shopB: { id: string; domain: string };
const ids: Record<string, string> = {};

const as = (domain: string, path: string, userId = OWNER, form?: Record<string, string>) => staffRequest(domain, path, userId, form);

const FIGURES = {
  importedAt: new Date("2026-12-02T06:00:00Z"),
  gross: 0,
  refunds: 0,
  chargebacks: 0,
  processingFees: 0,
  schemeFees: 0,
  otherFees: 0,
  net: 0,
  lineCount: 0,
  linesTied: 0,
  linesOtherShop: 0,
};

beforeAll(async () => {
  shopA = (await createConnectedShop()).shop;
  shopB = (await createConnectedShop()).shop;
  for (const shop of [shopA, shopB]) {
    await seedOfflineSession(shop.domain);
    await seedStaff(shop.domain, { userId: OWNER, role: "owner" });
  }
  await seedStaff(shopA.domain, { userId: VIEWER, role: "viewer" });
  const payment = await db().payment.create({
    data: { shopId: shopA.id, ckoPaymentId: "pay_payout_a", amount: 1_234, capturedAmount: 1_234, currency: "USD", status: "Captured" },
  });
  await db().orderLink.create({
    data: {
      shopId: shopA.id,
      paymentId: payment.id,
      orderGid: "gid://shopify/Order/8000000201",
      orderName: "#1201",
      matchedBy: "reference_name",
      confidence: "strong",
    },
  });
  const usd = await db().payout.create({
    data: {
      ...FIGURES,
      shopId: shopA.id,
      payoutId: "pyt_route_usd",
      reportId: "rpt_route_usd",
      currency: "USD",
      payoutDate: new Date("2026-12-03T00:00:00Z"),
      gross: 1_234,
      chargebacks: 1_000,
      processingFees: 40,
      net: 194,
      lineCount: 2,
      linesTied: 1,
    },
  });
  ids.usd = usd.id;
  await db().payoutLine.createMany({
    data: [
      {
        shopId: shopA.id,
        payoutRowId: usd.id,
        actionId: "act_route_capture",
        actionType: "Capture",
        ckoPaymentId: "pay_payout_a",
        paymentId: payment.id,
        belongs: "shop",
        reference: "ORD-1201",
        processedOn: new Date("2026-12-02T10:00:00Z"),
        currency: "USD",
        amount: 1_234,
        processingFees: 30,
        schemeFees: 10,
        otherFees: 0,
        net: 1_194,
      },
      {
        shopId: shopA.id,
        payoutRowId: usd.id,
        actionId: "act_route_chargeback",
        actionType: "Chargeback",
        ckoPaymentId: "pay_unknown",
        belongs: "shop",
        processedOn: new Date("2026-12-01T10:00:00Z"),
        currency: "USD",
        amount: -1_000,
        processingFees: 0,
        schemeFees: 0,
        otherFees: 0,
        net: -1_000,
      },
    ],
  });
  ids.jpy = (
    await db().payout.create({
      data: {
        ...FIGURES,
        shopId: shopA.id,
        payoutId: "pyt_route_jpy",
        reportId: "rpt_route_jpy",
        currency: "JPY",
        payoutDate: new Date("2026-12-02T00:00:00Z"),
        gross: 1_500,
        net: 1_500,
      },
    })
  ).id;
  ids.other = (
    await db().payout.create({
      data: {
        ...FIGURES,
        shopId: shopB.id,
        payoutId: "pyt_route_b",
        reportId: "rpt_route_b",
        currency: "USD",
        payoutDate: new Date("2026-12-04T00:00:00Z"),
        gross: 99_999,
      },
    })
  ).id;
});

describe("the Payouts page", () => {
  it("lists only the session shop's payouts, with totals per currency and the import's state", async () => {
    const response = await callAction(listRoute.loader, as(shopA.domain, "/app/payouts"));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.payouts.map((p: { id: string }) => p.id)).toEqual([ids.usd, ids.jpy]);
    expect(body.payouts[0]).toMatchObject({
      payoutId: "pyt_route_usd",
      currency: "USD",
      gross: 1_234,
      net: 194,
      lineCount: 2,
      linesTied: 1,
      linesWithoutOrder: 1,
    });
    expect(body.totalsByCurrency.map((t: { currency: string; net: number }) => [t.currency, t.net])).toEqual([
      ["JPY", 1_500],
      ["USD", 194],
    ]);
    expect(body.importStatus).toEqual({ lastRunAt: null, lastError: null, lastErrorAt: null, retryAt: null });
    expect(body.canImport).toBe(true);
    const jpy = await (await callAction(listRoute.loader, as(shopA.domain, "/app/payouts?currency=JPY"))).json();
    expect(jpy.payouts.map((p: { id: string }) => p.id)).toEqual([ids.jpy]);
    const other = await (await callAction(listRoute.loader, as(shopB.domain, "/app/payouts"))).json();
    expect(other.payouts.map((p: { id: string }) => p.id)).toEqual([ids.other]);
  });

  it("asks for an import for a reviewer or above, and answers an unknown form with 400", async () => {
    const unknown = await callAction(listRoute.action, as(shopA.domain, "/app/payouts", OWNER, { intent: "delete" }));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ ok: false, message: "Unknown form." });
    const asked = await callAction(listRoute.action, as(shopA.domain, "/app/payouts", OWNER, { intent: "import" }));
    expect(asked.status).toBe(200);
    const reply = await asked.json();
    expect(reply).toMatchObject({ ok: true, intent: "import" });
    // Said in words, never as a translation key.
    expect(reply.message).not.toMatch(/^payouts\./);
  });
});

describe("a payout's page", () => {
  it("shows the shop's payout with its lines, orders and flags", async () => {
    const response = await callAction(detailRoute.loader, as(shopA.domain, `/app/payouts/${ids.usd}`), { id: ids.usd });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.payout).toMatchObject({ id: ids.usd, payoutId: "pyt_route_usd", reportId: "rpt_route_usd" });
    expect(body.lines.map((l: { actionId: string; orderName: string | null; flag: string | null }) => [l.actionId, l.orderName, l.flag])).toEqual([
      ["act_route_capture", "#1201", null],
      ["act_route_chargeback", null, "no_order"],
    ]);
    expect(body.counts).toEqual({ lines: 2, tied: 1, other_shop: 0, no_order: 1, amount_differs: 0 });
    const problems = await (await callAction(detailRoute.loader, as(shopA.domain, `/app/payouts/${ids.usd}?show=problems`), { id: ids.usd })).json();
    expect(problems.lines.map((l: { actionId: string }) => l.actionId)).toEqual(["act_route_chargeback"]);
  });

  it("answers 404 for another shop's payout, in the staff member's language, showing nothing of it", async () => {
    const foreign = await callAction(detailRoute.loader, as(shopA.domain, `/app/payouts/${ids.other}?locale=de`), { id: ids.other });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ ok: false, message: "Diese Auszahlung gibt es in diesem Shop nicht." });
    const missing = await callAction(detailRoute.loader, as(shopA.domain, "/app/payouts/nothing"), { id: "nothing" });
    expect(missing.status).toBe(404);
  });
});

describe("a payout's CSV", () => {
  it("has one header row and the payout's lines, newest first, amounts in major units beside their currency; audited", async () => {
    const response = await callAction(csvRoute.loader, as(shopA.domain, `/app/payouts/${ids.usd}/csv`), { id: ids.usd });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="payout-pyt_route_usd-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect((await response.text()).split("\r\n")).toEqual([
      "processed_on,action_id,action_type,payment_id,order,reference,currency,amount,processing_fees,scheme_fees,other_fees,net,flag",
      "2026-12-02T10:00:00.000Z,act_route_capture,Capture,pay_payout_a,#1201,ORD-1201,USD,12.34,0.30,0.10,0.00,11.94,",
      "2026-12-01T10:00:00.000Z,act_route_chargeback,Chargeback,pay_unknown,,,USD,-10.00,0.00,0.00,0.00,-10.00,no_order",
      "",
    ]);
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA.id, action: "payout.export" } });
    expect(entry).toMatchObject({ source: "admin", result: "ok", actor: expect.stringContaining("staff74000301@example.com") });
    expect(JSON.parse(entry.details)).toEqual({ payoutRowId: ids.usd, payoutId: "pyt_route_usd", count: 2 });
  });

  it("answers 404 for another shop's payout, and exports nothing", async () => {
    const foreign = await callAction(csvRoute.loader, as(shopA.domain, `/app/payouts/${ids.other}/csv`), { id: ids.other });
    expect(foreign.status).toBe(404);
    expect(await db().auditLog.count({ where: { action: "payout.export", details: { contains: ids.other } } })).toBe(0);
  });
});

describe("a viewer", () => {
  it("sees the payouts and a payout and downloads its CSV, as on the Reconciliation screen, but cannot start an import", async () => {
    const list = await callAction(listRoute.loader, as(shopA.domain, "/app/payouts", VIEWER));
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body.payouts).toHaveLength(2);
    expect(body.canImport).toBe(false);
    expect((await callAction(detailRoute.loader, as(shopA.domain, `/app/payouts/${ids.usd}`, VIEWER), { id: ids.usd })).status).toBe(200);
    expect((await callAction(csvRoute.loader, as(shopA.domain, `/app/payouts/${ids.usd}/csv`, VIEWER), { id: ids.usd })).status).toBe(200);
    const refused = await callAction(listRoute.action, as(shopA.domain, "/app/payouts", VIEWER, { intent: "import" }));
    expect(refused.status).toBe(403);
    expect(await db().auditLog.count({ where: { shopId: shopA.id, action: "payouts.import", actor: { contains: "staff74000302" } } })).toBe(0);
  });
});
