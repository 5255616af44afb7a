// The shop-wide audit log through its routes: only the session shop's entries, each filter (who, what,
// outcome, UTC days, order by name or id), paging, and the CSV export (same filters, safe cells, and
// the export itself audited).
import { beforeAll, describe, expect, it } from "vitest";
import { audit } from "../audit/audit.server";
import { AUDIT_PAGE_SIZE } from "../audit/audit-log.server";
import { csvCell } from "../lib/csv";
import { db } from "../db.server";
import { createConnectedShop } from "../../test/helpers/factories";
import { seedOfflineSession, seedStaff, staffRequest } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import * as csvRoute from "./app.audit.csv";
import * as listRoute from "./app.audit._index";

const OWNER = 74_000_101;
let shopA: { id: string; domain: string };
let shopB: { id: string; domain: string };

const as = (domain: string, path: string) => staffRequest(domain, path, OWNER);
const list = async (domain: string, query = "") => {
  const response = await callAction(listRoute.loader, as(domain, `/app/audit${query}`));
  expect(response.status).toBe(200);
  return (await response.json()) as {
    entries: Array<{ actor: string; action: string; result: string; orderGid: string | null }>;
    hasNext: boolean;
    actions: string[];
  };
};
const entry = (shopId: string, data: { actor: string; action: string; at: string; result?: "ok" | "error"; orderGid?: string; error?: string }) =>
  audit({
    shopId,
    actor: data.actor,
    source: "admin",
    action: data.action,
    orderGid: data.orderGid ?? null,
    result: data.result ?? "ok",
    error: data.error,
  }).then((row) => db().auditLog.update({ where: { id: row.id }, data: { createdAt: new Date(data.at) } }));

beforeAll(async () => {
  shopA = (await createConnectedShop()).shop;
  shopB = (await createConnectedShop()).shop;
  for (const shop of [shopA, shopB]) {
    await seedOfflineSession(shop.domain);
    await seedStaff(shop.domain, { userId: OWNER, role: "owner" });
  }
  // Setting up the shops wrote entries of its own (the Checkout.com connection): a clean log to start.
  await db().auditLog.deleteMany({ where: { shopId: { in: [shopA.id, shopB.id] } } });
  await entry(shopA.id, {
    actor: "Sam Owner <sam@example.com>",
    action: "hold.release",
    at: "2026-11-30T23:59:00Z",
    orderGid: "gid://shopify/Order/6000000101",
  });
  await entry(shopA.id, {
    actor: "Kim Reviewer <kim@example.com>",
    action: "order.cancel",
    at: "2026-12-01T00:00:00Z",
    orderGid: "gid://shopify/Order/6000000102",
  });
  await entry(shopA.id, {
    actor: "Kim Reviewer <kim@example.com>",
    action: "payment.refund",
    at: "2026-12-02T12:00:00Z",
    result: "error",
    error: 'Declined, "insufficient funds"',
  });
  await entry(shopA.id, { actor: '=HYPERLINK("http://evil")', action: "rules.save", at: "2026-12-03T08:00:00Z" });
  await entry(shopB.id, {
    actor: "Other Shop <other@example.com>",
    action: "hold.release",
    at: "2026-12-01T10:00:00Z",
    orderGid: "gid://shopify/Order/6000000102",
  });
  await db().orderLink.create({
    data: {
      shopId: shopA.id,
      paymentId: (await db().payment.create({ data: { shopId: shopA.id, ckoPaymentId: "pay_audit_a", amount: 1, currency: "USD", status: "Captured" } })).id,
      orderGid: "gid://shopify/Order/6000000102",
      orderName: "#1102",
      matchedBy: "reference_name",
      confidence: "strong",
    },
  });
});

describe("the audit log page", () => {
  it("lists the session shop's entries only, newest first, with the actions it holds to filter by", async () => {
    const page = await list(shopA.domain);
    expect(page.entries.map((e) => e.action)).toEqual(["rules.save", "payment.refund", "order.cancel", "hold.release"]);
    expect(page.entries.some((e) => e.actor.includes("Other Shop"))).toBe(false);
    expect(page.actions).toEqual(["hold.release", "order.cancel", "payment.refund", "rules.save"]);
  });

  it("filters by who, what, outcome, whole UTC days and order (name or id)", async () => {
    expect((await list(shopA.domain, "?who=kim")).entries.map((e) => e.action)).toEqual(["payment.refund", "order.cancel"]);
    expect((await list(shopA.domain, "?what=hold.release")).entries.map((e) => e.actor)).toEqual(["Sam Owner <sam@example.com>"]);
    expect((await list(shopA.domain, "?result=error")).entries.map((e) => e.action)).toEqual(["payment.refund"]);
    expect((await list(shopA.domain, "?from=2026-12-01&to=2026-12-02")).entries.map((e) => e.action)).toEqual(["payment.refund", "order.cancel"]);
    expect((await list(shopA.domain, "?to=2026-11-30")).entries.map((e) => e.action)).toEqual(["hold.release"]);
    expect((await list(shopA.domain, "?order=%231102")).entries.map((e) => e.action)).toEqual(["order.cancel"]);
    expect((await list(shopA.domain, "?order=6000000101")).entries.map((e) => e.action)).toEqual(["hold.release"]);
    expect((await list(shopA.domain, "?order=%239999")).entries).toEqual([]);
  });

  it("ignores filters it cannot read instead of failing (a bad date, an unknown outcome, a page that is not a number)", async () => {
    expect((await list(shopA.domain, "?from=yesterday&result=maybe&page=x")).entries).toHaveLength(4);
  });

  it("pages the log", async () => {
    const { shop } = await createConnectedShop();
    await seedOfflineSession(shop.domain);
    await seedStaff(shop.domain, { userId: OWNER, role: "owner" });
    await db().auditLog.deleteMany({ where: { shopId: shop.id } });
    for (let i = 0; i <= AUDIT_PAGE_SIZE; i++) await audit({ shopId: shop.id, actor: `staff ${i}`, source: "admin", action: "note.add", result: "ok" });
    const first = await list(shop.domain);
    expect(first.entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.hasNext).toBe(true);
    const second = await list(shop.domain, "?page=2");
    expect(second.entries).toHaveLength(1);
    expect(second.hasNext).toBe(false);
  });
});

describe("the CSV export", () => {
  it("exports the filtered entries of the session shop, with cells a spreadsheet cannot run, and audits the export", async () => {
    const response = await callAction(csvRoute.loader, as(shopA.domain, "/app/audit/csv?who=kim"));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("time_utc,actor,source,action,result,error,order_id,payment_id,dispute_id,details");
    expect(lines.slice(1)).toEqual([
      '2026-12-02T12:00:00.000Z,Kim Reviewer <kim@example.com>,admin,payment.refund,error,"Declined, ""insufficient funds""",,,,{}',
      "2026-12-01T00:00:00.000Z,Kim Reviewer <kim@example.com>,admin,order.cancel,ok,,gid://shopify/Order/6000000102,,,{}",
    ]);
    const all = await (await callAction(csvRoute.loader, as(shopA.domain, "/app/audit/csv?what=rules.save"))).text();
    expect(all).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(all).not.toContain("Other Shop");
    expect(await db().auditLog.count({ where: { shopId: shopA.id, action: "audit.export" } })).toBe(2);
  });

  it("neutralises every cell a spreadsheet would read as a formula", () => {
    expect(["=1+1", "+1", "-1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "plain", null].map(csvCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1+1",
      "'-2+3+cmd|' /C calc'!A0",
      "'@SUM(A1)",
      "plain",
      "",
    ]);
    // A negative amount stays a number.
    expect(["-12.34", "-1"].map(csvCell)).toEqual(["-12.34", "-1"]);
  });
});
