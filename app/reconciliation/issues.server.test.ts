// The differences a merchant works through: listed by status and kind, newest first, a page at a time;
// summed per kind and currency (never across currencies) with the last daily check; dismissed with a
// reason or reopened, each audited; and every one of them the staff member's shop's only.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { db } from "../db.server";
import { ConflictError, NotFoundError } from "../lib/errors";
import {
  dismissReconciliationIssue,
  ISSUES_PAGE_SIZE,
  listReconciliationIssues,
  openIssuesCsv,
  reconciliationSummary,
  reopenReconciliationIssue,
} from "./issues.server";

type IssueData = { kind?: string; currency?: string; amount?: number; status?: string; firstSeenAt?: string; paymentId?: string; orderName?: string };

let order = 7_000_000_000;
/** A payment of the shop to hang an issue on (every issue is about one). */
const payment = async (shopId: string) =>
  (
    await db().payment.create({
      data: { shopId, ckoPaymentId: `pay_${randomUUID().replace(/-/g, "").slice(0, 26)}`, amount: 5_000, currency: "USD", status: "Captured" },
    })
  ).id;

const issue = async (shopId: string, data: IssueData = {}) => {
  const paymentId = data.paymentId ?? (await payment(shopId));
  return db().reconciliationIssue.create({
    data: {
      shopId,
      orderGid: `gid://shopify/Order/${++order}`,
      orderName: data.orderName ?? `#${order % 10_000}`,
      paymentId,
      subject: paymentId,
      kind: data.kind ?? "refund_missing_in_shopify",
      currency: data.currency ?? "USD",
      checkoutAmount: 5_000,
      shopifyAmount: 5_000 - (data.amount ?? 1_000),
      amount: data.amount ?? 1_000,
      status: data.status ?? "open",
      firstSeenAt: new Date(data.firstSeenAt ?? "2026-12-01T10:00:00Z"),
      ...(data.status === "dismissed" ? { dismissReason: "Refunded by bank transfer", dismissedBy: "Kim <kim@example.com>", dismissedAt: new Date() } : {}),
    },
  });
};

const SAM = (shopId: string) => ({ shopId, actor: "Sam Finance <sam@example.com>" });
const auditCount = (shopId: string) => db().auditLog.count({ where: { shopId, action: { startsWith: "reconciliation." } } });

let shopA: string;
let shopB: string;
let paymentA: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  shopA = (await createShop()).id;
  shopB = (await createShop()).id;
  paymentA = (await db().payment.create({ data: { shopId: shopA, ckoPaymentId: "pay_recon_a", amount: 5_000, currency: "USD", status: "Captured" } })).id;
  ids.usdOld = (await issue(shopA, { amount: 1_234, firstSeenAt: "2026-12-01T10:00:00Z", paymentId: paymentA })).id;
  ids.eurCaptured = (await issue(shopA, { kind: "captured_not_on_order", currency: "EUR", amount: 500, firstSeenAt: "2026-12-02T10:00:00Z" })).id;
  ids.eurRefund = (await issue(shopA, { currency: "EUR", amount: 700, firstSeenAt: "2026-12-03T10:00:00Z" })).id;
  ids.usdNew = (await issue(shopA, { amount: 66, firstSeenAt: "2026-12-04T10:00:00Z" })).id;
  ids.dismissed = (await issue(shopA, { amount: 9_000, status: "dismissed" })).id;
  ids.resolved = (await issue(shopA, { amount: 8_000, status: "resolved" })).id;
  ids.other = (await issue(shopB, { amount: 99_999 })).id;
  ids.otherDismissed = (await issue(shopB, { status: "dismissed" })).id;
  await db().reconciliationSweep.create({ data: { shopId: shopA, day: "2026-12-04", checked: 40, finishedAt: new Date("2026-12-04T03:00:00Z") } });
  await db().reconciliationSweep.create({ data: { shopId: shopA, day: "2026-12-05", checked: 42, finishedAt: new Date("2026-12-05T03:10:00Z") } });
  await db().reconciliationSweep.create({ data: { shopId: shopB, day: "2026-12-06", checked: 7 } });
});

describe("listReconciliationIssues", () => {
  it("lists the shop's open issues by default, newest first sighting first, with the payment's Checkout.com id", async () => {
    const page = await listReconciliationIssues(shopA);
    expect(page.issues.map((i) => i.id)).toEqual([ids.usdNew, ids.eurRefund, ids.eurCaptured, ids.usdOld]);
    expect(page.filters).toEqual({ status: "open", kind: null });
    expect(page.issues.at(-1)).toMatchObject({ paymentId: paymentA, ckoPaymentId: "pay_recon_a", amount: 1_234, currency: "USD" });
    expect(page.issues[0].ckoPaymentId).toMatch(/^pay_/);
    expect(page).toMatchObject({ previous: null, next: null });
  });

  it("filters by status and kind, and reads a value it does not know as not given", async () => {
    expect((await listReconciliationIssues(shopA, { kind: "captured_not_on_order" })).issues.map((i) => i.id)).toEqual([ids.eurCaptured]);
    expect((await listReconciliationIssues(shopA, { status: "dismissed" })).issues.map((i) => i.id)).toEqual([ids.dismissed]);
    expect((await listReconciliationIssues(shopA, { status: "resolved" })).issues.map((i) => i.id)).toEqual([ids.resolved]);
    const lenient = await listReconciliationIssues(shopA, { status: "everything", kind: "nonsense", after: "not-a-cursor" });
    expect(lenient.filters).toEqual({ status: "open", kind: null });
    expect(lenient.issues).toHaveLength(4);
  });

  it("pages 50 at a time with cursors, forward and back, issues seen at the same moment included", async () => {
    const shop = (await createShop()).id;
    // Half seen at one moment (ordered by id among themselves), half a minute apart.
    for (let i = 0; i < ISSUES_PAGE_SIZE + 10; i++)
      await issue(shop, { firstSeenAt: i < 30 ? "2026-12-01T10:00:00Z" : new Date(Date.parse("2026-12-02T00:00:00Z") + i * 60_000).toISOString() });
    const first = await listReconciliationIssues(shop);
    expect(first.issues).toHaveLength(ISSUES_PAGE_SIZE);
    expect(first.previous).toBeNull();
    const second = await listReconciliationIssues(shop, { after: first.next! });
    expect(second.issues).toHaveLength(10);
    expect(second.next).toBeNull();
    const seen = [...first.issues, ...second.issues].map((i) => i.id);
    expect(new Set(seen).size).toBe(ISSUES_PAGE_SIZE + 10);
    const all = await db().reconciliationIssue.findMany({ where: { shopId: shop }, orderBy: [{ firstSeenAt: "desc" }, { id: "desc" }] });
    expect(seen).toEqual(all.map((i) => i.id));
    const back = await listReconciliationIssues(shop, { before: second.previous! });
    expect(back.issues.map((i) => i.id)).toEqual(first.issues.map((i) => i.id));
    expect(back).toMatchObject({ previous: null, next: first.next });
  });

  it("never lists another shop's issues", async () => {
    for (const status of ["open", "dismissed"]) {
      const listed = (await listReconciliationIssues(shopA, { status })).issues.map((i) => i.id);
      expect(listed).not.toContain(ids.other);
      expect(listed).not.toContain(ids.otherDismissed);
    }
  });
});

describe("reconciliationSummary", () => {
  it("counts the open issues and sums their value per kind and currency, never across currencies, with the last sweep", async () => {
    const summary = await reconciliationSummary(shopA);
    expect(summary.open).toBe(4);
    expect(summary.values).toEqual([
      { currency: "EUR", minor: 1_200, count: 2 },
      { currency: "USD", minor: 1_300, count: 2 },
    ]);
    // In compare.ts's order of kinds.
    expect(summary.byKind).toEqual([
      {
        kind: "refund_missing_in_shopify",
        count: 3,
        values: [
          { currency: "EUR", minor: 700, count: 1 },
          { currency: "USD", minor: 1_300, count: 2 },
        ],
      },
      { kind: "captured_not_on_order", count: 1, values: [{ currency: "EUR", minor: 500, count: 1 }] },
    ]);
    expect(summary.lastSweep).toEqual({ day: "2026-12-05", checked: 42, startedAt: expect.any(String), finishedAt: "2026-12-05T03:10:00.000Z" });
  });

  it("is empty for a shop with nothing open and no sweep yet", async () => {
    const shop = (await createShop()).id;
    await issue(shop, { status: "resolved" });
    expect(await reconciliationSummary(shop)).toEqual({ open: 0, values: [], byKind: [], lastSweep: null });
  });
});

describe("dismissing and reopening", () => {
  it("dismisses an open issue with the trimmed reason and who, audited; reopening clears them, audited", async () => {
    const { id } = await issue(shopA, { amount: 250, paymentId: paymentA });
    expect(await dismissReconciliationIssue(SAM(shopA), id, "  Refunded by bank transfer on 3 Dec  ")).toEqual({ ok: true });
    const dismissed = await db().reconciliationIssue.findUniqueOrThrow({ where: { id } });
    expect(dismissed).toMatchObject({ status: "dismissed", dismissReason: "Refunded by bank transfer on 3 Dec", dismissedBy: "Sam Finance <sam@example.com>" });
    expect(dismissed.dismissedAt).toBeInstanceOf(Date);
    const dismissEntry = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA, action: "reconciliation.dismiss", paymentId: paymentA } });
    expect(dismissEntry).toMatchObject({ actor: "Sam Finance <sam@example.com>", source: "admin", result: "ok", orderGid: dismissed.orderGid });
    expect(JSON.parse(dismissEntry.details)).toMatchObject({ issueId: id, reason: "Refunded by bank transfer on 3 Dec", amount: 250, currency: "USD" });

    await reopenReconciliationIssue(SAM(shopA), id);
    expect(await db().reconciliationIssue.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "open",
      dismissReason: null,
      dismissedBy: null,
      dismissedAt: null,
    });
    const reopenEntry = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA, action: "reconciliation.reopen", paymentId: paymentA } });
    expect(reopenEntry.result).toBe("ok");
    expect(JSON.parse(reopenEntry.details)).toMatchObject({ issueId: id, dismissReason: "Refunded by bank transfer on 3 Dec" });
  });

  it("refuses a reason shorter than 3 or longer than 500 characters, or none, with the field's error and words, writing nothing", async () => {
    const { id } = await issue(shopA);
    const before = await auditCount(shopA);
    for (const reason of ["  ok  ", "x".repeat(501), undefined]) {
      const result = await dismissReconciliationIssue(SAM(shopA), id, reason);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(Object.keys(result.fieldErrors)).toEqual(["reason"]);
      expect(result.fieldWords.reason.key).toMatch(/^reconciliation\.reason\.too(Short|Long)$/);
    }
    const short = await dismissReconciliationIssue(SAM(shopA), id, "ok");
    expect(short).toEqual({
      ok: false,
      fieldErrors: { reason: "Say why in at least 3 characters." },
      fieldWords: { reason: { key: "reconciliation.reason.tooShort", values: { min: 3 } } },
    });
    expect((await db().reconciliationIssue.findUniqueOrThrow({ where: { id } })).status).toBe("open");
    expect(await auditCount(shopA)).toBe(before);
  });

  it("answers a conflict, audited, for an issue dismissed or resolved meanwhile, and for reopening one that is not dismissed", async () => {
    const { id } = await issue(shopA);
    await dismissReconciliationIssue({ shopId: shopA, actor: "Kim <kim@example.com>" }, id, "Test order");
    const again = dismissReconciliationIssue(SAM(shopA), id, "Duplicate");
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow("This difference was already dismissed by Kim <kim@example.com>.");
    await expect(dismissReconciliationIssue(SAM(shopA), ids.resolved, "Fine")).rejects.toThrow(
      "This difference is resolved: Checkout.com and the order agree now.",
    );
    await expect(reopenReconciliationIssue(SAM(shopA), ids.usdOld)).rejects.toThrow("This difference is open already.");
    await expect(reopenReconciliationIssue(SAM(shopA), ids.resolved)).rejects.toThrow(ConflictError);
    expect((await db().reconciliationIssue.findUniqueOrThrow({ where: { id } })).dismissReason).toBe("Test order");
    const refused = await db().auditLog.findMany({ where: { shopId: shopA, action: { startsWith: "reconciliation." }, result: "error" } });
    expect(refused.map((e) => e.error)).toContain("This difference was already dismissed by Kim <kim@example.com>.");
  });

  it("finds no issue of another shop: shop A cannot dismiss or reopen shop B's, and nothing is written", async () => {
    const before = { a: await auditCount(shopA), b: await auditCount(shopB) };
    await expect(dismissReconciliationIssue(SAM(shopA), ids.other, "Not ours")).rejects.toThrow(NotFoundError);
    await expect(reopenReconciliationIssue(SAM(shopA), ids.otherDismissed)).rejects.toThrow(NotFoundError);
    await expect(dismissReconciliationIssue(SAM(shopA), randomUUID(), "Nothing")).rejects.toThrow("This difference does not exist in this shop.");
    expect(await db().reconciliationIssue.findUniqueOrThrow({ where: { id: ids.other } })).toMatchObject({ status: "open", dismissReason: null });
    expect((await db().reconciliationIssue.findUniqueOrThrow({ where: { id: ids.otherDismissed } })).status).toBe("dismissed");
    expect({ a: await auditCount(shopA), b: await auditCount(shopB) }).toEqual(before);
  });
});

describe("an issue about an order alone (paid with no Checkout.com payment)", () => {
  it("is listed, summed and exported with empty payment columns beside a payment's issue", async () => {
    const shop = (await createShop()).id;
    const withPayment = await issue(shop, { kind: "refund_missing_in_shopify", amount: 1_500, firstSeenAt: "2026-12-04T09:00:00Z", orderName: "#3001" });
    const ckoPaymentId = (await db().payment.findUniqueOrThrow({ where: { id: withPayment.paymentId! } })).ckoPaymentId;
    const orderOnly = await db().reconciliationIssue.create({
      data: {
        shopId: shop,
        subject: "order",
        paymentId: null,
        orderGid: "gid://shopify/Order/7100000001",
        orderName: "#3002",
        kind: "paid_without_checkout_payment",
        currency: "USD",
        checkoutAmount: null,
        shopifyAmount: 12_345,
        amount: 12_345,
        firstSeenAt: new Date("2026-12-05T10:00:00Z"),
      },
    });

    const page = await listReconciliationIssues(shop, { kind: "paid_without_checkout_payment" });
    expect(page.issues).toHaveLength(1);
    expect(page.issues[0]).toMatchObject({
      id: orderOnly.id,
      orderGid: "gid://shopify/Order/7100000001",
      orderName: "#3002",
      paymentId: null,
      ckoPaymentId: null,
      checkoutAmount: null,
      shopifyAmount: 12_345,
      amount: 12_345,
    });
    // After the payment kinds, as compare.ts lists it.
    expect((await reconciliationSummary(shop)).byKind.map((k) => [k.kind, k.values])).toEqual([
      ["refund_missing_in_shopify", [{ currency: "USD", minor: 1_500, count: 1 }]],
      ["paid_without_checkout_payment", [{ currency: "USD", minor: 12_345, count: 1 }]],
    ]);
    expect(await openIssuesCsv(shop)).toEqual({
      csv: [
        "first_seen,order,payment_id,kind,currency,checkout_amount,shopify_amount,amount_at_stake,status",
        "2026-12-05T10:00:00.000Z,#3002,,paid_without_checkout_payment,USD,,123.45,123.45,open",
        `2026-12-04T09:00:00.000Z,#3001,${ckoPaymentId},refund_missing_in_shopify,USD,50.00,35.00,15.00,open`,
        "",
      ].join("\r\n"),
      count: 2,
      truncated: false,
    });
  });

  it("is dismissed and reopened like any other, audited with no payment", async () => {
    const shop = (await createShop()).id;
    const { id } = await db().reconciliationIssue.create({
      data: {
        shopId: shop,
        subject: "order",
        orderGid: "gid://shopify/Order/7100000002",
        kind: "paid_without_checkout_payment",
        currency: "EUR",
        shopifyAmount: 900,
        amount: 900,
      },
    });
    expect(await dismissReconciliationIssue(SAM(shop), id, "Paid by bank transfer")).toEqual({ ok: true });
    await reopenReconciliationIssue(SAM(shop), id);
    const entries = await db().auditLog.findMany({ where: { shopId: shop }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.action, e.paymentId, e.orderGid, e.result])).toEqual([
      ["reconciliation.dismiss", null, "gid://shopify/Order/7100000002", "ok"],
      ["reconciliation.reopen", null, "gid://shopify/Order/7100000002", "ok"],
    ]);
    expect((await db().reconciliationIssue.findUniqueOrThrow({ where: { id } })).status).toBe("open");
  });
});
