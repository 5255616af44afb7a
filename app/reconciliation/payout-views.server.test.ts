// The merchant's payouts: listed newest first a page at a time and summed per currency (never across
// currencies); one payout's lines with their Shopify orders and exactly the flag each deserves, paged and
// filtered to those that need a look; the lines as CSV in major units beside their currency; Home's chart
// series, a currency each and a point per payout day; and never another shop's payout.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { db } from "../db.server";
import { NotFoundError } from "../lib/errors";
import { listPayouts, PAYOUT_LINES_PAGE_SIZE, payoutCsv, payoutDetail, payoutImportStatus, PAYOUTS_PAGE_SIZE, payoutSeries } from "./payout-views.server";

type LineData = {
  actionType?: string;
  amount: number;
  paymentId?: string | null;
  ckoPaymentId?: string | null;
  belongs?: "shop" | "other";
  processedOn?: string;
  currency?: string;
  fees?: [number, number, number];
  reference?: string | null;
  actionId?: string;
};
type PayoutData = {
  currency?: string;
  payoutDate?: string;
  gross?: number;
  refunds?: number;
  chargebacks?: number;
  fees?: [number, number, number];
  net?: number;
};

let seq = 0;
/** A payout of the shop and its lines, as the importer stores them (fees positive, net = amount - fees). */
async function payout(shopId: string, data: PayoutData = {}, lines: LineData[] = []) {
  const currency = data.currency ?? "USD";
  const [processingFees, schemeFees, otherFees] = data.fees ?? [0, 0, 0];
  const row = await db().payout.create({
    data: {
      shopId,
      payoutId: `pyt_${++seq}_${randomUUID().slice(0, 8)}`,
      reportId: `rpt_${seq}`,
      importedAt: new Date("2026-12-02T06:00:00Z"),
      currency,
      payoutDate: new Date(data.payoutDate ?? "2026-12-01T00:00:00Z"),
      gross: data.gross ?? 0,
      refunds: data.refunds ?? 0,
      chargebacks: data.chargebacks ?? 0,
      processingFees,
      schemeFees,
      otherFees,
      net: data.net ?? 0,
      lineCount: lines.length,
      linesTied: 0,
      linesOtherShop: lines.filter((l) => l.belongs === "other").length,
    },
  });
  await db().payoutLine.createMany({
    data: lines.map((line) => {
      const [p, s, o] = line.fees ?? [0, 0, 0];
      return {
        shopId,
        payoutRowId: row.id,
        actionId: line.actionId ?? `act_${randomUUID()}`,
        actionType: line.actionType ?? "Capture",
        ckoPaymentId: line.ckoPaymentId === undefined ? `pay_${randomUUID().slice(0, 8)}` : line.ckoPaymentId,
        paymentId: line.paymentId ?? null,
        belongs: line.belongs ?? "shop",
        reference: line.reference ?? null,
        processedOn: new Date(line.processedOn ?? "2026-11-30T12:00:00Z"),
        currency: line.currency ?? currency,
        amount: line.amount,
        processingFees: p,
        schemeFees: s,
        otherFees: o,
        net: line.amount - p - s - o,
      };
    }),
  });
  return row;
}

/** A payment of the shop, with a Shopify order unless `order` is null. */
async function payment(shopId: string, data: { currency?: string; capturedAmount?: number; order?: string | null; ckoPaymentId?: string } = {}) {
  const created = await db().payment.create({
    data: {
      shopId,
      ckoPaymentId: data.ckoPaymentId ?? `pay_${randomUUID().replace(/-/g, "").slice(0, 26)}`,
      amount: data.capturedAmount ?? 1_234,
      capturedAmount: data.capturedAmount ?? 1_234,
      currency: data.currency ?? "USD",
      status: "Captured",
    },
  });
  if (data.order !== null)
    await db().orderLink.create({
      data: {
        shopId,
        paymentId: created.id,
        orderGid: `gid://shopify/Order/${7_100_000 + ++seq}`,
        orderName: data.order ?? null,
        matchedBy: "reference_name",
        confidence: "strong",
      },
    });
  return created;
}

let shopA: string;
let shopB: string;
const ids: Record<string, string> = {};
const pays: Record<string, Awaited<ReturnType<typeof payment>>> = {};

beforeAll(async () => {
  shopA = (await createShop()).id;
  shopB = (await createShop()).id;
  pays.tied = await payment(shopA, { capturedAmount: 1_234, order: "#1001", ckoPaymentId: "pay_tied" });
  pays.differs = await payment(shopA, { capturedAmount: 3_000, order: "#1002", ckoPaymentId: "pay_differs" });
  pays.euro = await payment(shopA, { currency: "EUR", capturedAmount: 1_234, order: "#1003", ckoPaymentId: "pay_euro" });
  pays.noOrder = await payment(shopA, { capturedAmount: 700, order: null, ckoPaymentId: "pay_no_order" });
  pays.unnamed = await payment(shopA, { capturedAmount: 300, ckoPaymentId: "pay_unnamed" });
  // Shop B's payment, as if a line of A's payout named it: A never sees it.
  pays.otherShop = await payment(shopB, { capturedAmount: 999, order: "#9001", ckoPaymentId: "pay_b" });

  ids.usd = (
    await payout(
      shopA,
      { currency: "USD", payoutDate: "2026-12-03T00:00:00Z", gross: 10_000, refunds: 500, chargebacks: 200, fees: [300, 100, 10], net: 8_890 },
      [
        {
          amount: 1_234,
          paymentId: pays.tied.id,
          ckoPaymentId: "pay_tied",
          reference: "ORD-1001",
          fees: [30, 10, 0],
          processedOn: "2026-12-02T10:00:00Z",
          actionId: "act_tied",
        },
        {
          actionType: "Refund",
          amount: -500,
          paymentId: pays.tied.id,
          ckoPaymentId: "pay_tied",
          fees: [0, 0, 0],
          processedOn: "2026-12-02T09:00:00Z",
          actionId: "act_refund",
        },
        {
          amount: 4_000,
          paymentId: pays.differs.id,
          ckoPaymentId: "pay_differs",
          fees: [100, 20, 5],
          processedOn: "2026-12-02T08:00:00Z",
          actionId: "act_differs",
        },
        { amount: 1_234, paymentId: pays.euro.id, ckoPaymentId: "pay_euro", processedOn: "2026-12-02T07:00:00Z", actionId: "act_euro" },
        { amount: 700, paymentId: pays.noOrder.id, ckoPaymentId: "pay_no_order", processedOn: "2026-12-02T06:00:00Z", actionId: "act_no_order" },
        { amount: 800, paymentId: null, ckoPaymentId: "pay_unknown", processedOn: "2026-12-02T05:00:00Z", actionId: "act_no_payment" },
        // Another shop's line names a payment this shop has too: still never matched to its order.
        { amount: 300, paymentId: pays.unnamed.id, ckoPaymentId: "pay_unnamed", belongs: "other", processedOn: "2026-12-02T04:00:00Z", actionId: "act_other" },
        { amount: 300, paymentId: pays.unnamed.id, ckoPaymentId: "pay_unnamed", processedOn: "2026-12-02T03:00:00Z", actionId: "act_unnamed" },
        { amount: 999, paymentId: pays.otherShop.id, ckoPaymentId: "pay_b", processedOn: "2026-12-02T02:00:00Z", actionId: "act_b_payment" },
      ],
    )
  ).id;
  ids.usdOld = (await payout(shopA, { currency: "USD", payoutDate: "2026-11-20T00:00:00Z", gross: 1_000, fees: [10, 5, 0], net: 985 })).id;
  ids.eur = (await payout(shopA, { currency: "EUR", payoutDate: "2026-12-02T00:00:00Z", gross: 20_000, refunds: 1_000, fees: [400, 100, 0], net: 18_500 })).id;
  ids.jpy = (
    await payout(shopA, { currency: "JPY", payoutDate: "2026-12-01T00:00:00Z", gross: 1_500, fees: [45, 0, 0], net: 1_455 }, [
      {
        amount: 1_500,
        ckoPaymentId: "pay_yen",
        paymentId: null,
        fees: [45, 0, 0],
        reference: "=cmd()",
        processedOn: "2026-11-30T23:00:00Z",
        actionId: "act_yen",
      },
    ])
  ).id;
  ids.other = (await payout(shopB, { currency: "USD", payoutDate: "2026-12-04T00:00:00Z", gross: 99_999, net: 99_999 }, [{ amount: 99_999 }])).id;
});

describe("listPayouts", () => {
  it("lists the shop's payouts newest first with their figures, and totals each currency apart", async () => {
    const page = await listPayouts(shopA);
    expect(page.payouts.map((p) => p.id)).toEqual([ids.usd, ids.eur, ids.jpy, ids.usdOld]);
    expect(page.payouts[0]).toMatchObject({
      currency: "USD",
      payoutDate: "2026-12-03T00:00:00.000Z",
      gross: 10_000,
      refunds: 500,
      chargebacks: 200,
      processingFees: 300,
      schemeFees: 100,
      otherFees: 10,
      net: 8_890,
      lineCount: 9,
      linesTied: 0,
      linesOtherShop: 1,
      linesWithoutOrder: 8,
    });
    expect(page.currencies).toEqual(["EUR", "JPY", "USD"]);
    expect(page.totalsByCurrency).toEqual([
      { currency: "EUR", payouts: 1, gross: 20_000, refunds: 1_000, chargebacks: 0, processingFees: 400, schemeFees: 100, otherFees: 0, net: 18_500 },
      { currency: "JPY", payouts: 1, gross: 1_500, refunds: 0, chargebacks: 0, processingFees: 45, schemeFees: 0, otherFees: 0, net: 1_455 },
      { currency: "USD", payouts: 2, gross: 11_000, refunds: 500, chargebacks: 200, processingFees: 310, schemeFees: 105, otherFees: 10, net: 9_875 },
    ]);
    expect(page).toMatchObject({ filters: { currency: null }, previous: null, next: null });
  });

  it("filters by currency, totals included, and reads a value that is no currency as every currency", async () => {
    const usd = await listPayouts(shopA, { currency: "usd" });
    expect(usd.payouts.map((p) => p.id)).toEqual([ids.usd, ids.usdOld]);
    expect(usd.filters).toEqual({ currency: "USD" });
    expect(usd.totalsByCurrency.map((t) => [t.currency, t.net])).toEqual([["USD", 9_875]]);
    expect(usd.currencies).toEqual(["EUR", "JPY", "USD"]);
    const lenient = await listPayouts(shopA, { currency: "dollars", after: "not-a-cursor" });
    expect(lenient.filters).toEqual({ currency: null });
    expect(lenient.payouts).toHaveLength(4);
    expect((await listPayouts(shopA, { currency: "GBP" })).totalsByCurrency).toEqual([]);
  });

  it("pages 50 at a time with cursors, forward and back, payouts of the same day included", async () => {
    const shop = (await createShop()).id;
    for (let i = 0; i < PAYOUTS_PAGE_SIZE + 10; i++)
      await payout(shop, { payoutDate: i < 30 ? "2026-10-01T00:00:00Z" : new Date(Date.parse("2026-10-02T00:00:00Z") + i * 86_400_000).toISOString() });
    const first = await listPayouts(shop);
    expect(first.payouts).toHaveLength(PAYOUTS_PAGE_SIZE);
    expect(first.previous).toBeNull();
    const second = await listPayouts(shop, { after: first.next! });
    expect(second.payouts).toHaveLength(10);
    expect(second.next).toBeNull();
    const all = await db().payout.findMany({ where: { shopId: shop }, orderBy: [{ payoutDate: "desc" }, { id: "desc" }] });
    expect([...first.payouts, ...second.payouts].map((p) => p.id)).toEqual(all.map((p) => p.id));
    const back = await listPayouts(shop, { before: second.previous! });
    expect(back.payouts.map((p) => p.id)).toEqual(first.payouts.map((p) => p.id));
    expect(back).toMatchObject({ previous: null, next: first.next });
  });

  it("never lists another shop's payouts or counts them in its totals", async () => {
    const page = await listPayouts(shopA);
    expect(page.payouts.map((p) => p.id)).not.toContain(ids.other);
    expect((await listPayouts(shopB)).payouts.map((p) => p.id)).toEqual([ids.other]);
  });
});

describe("payoutDetail", () => {
  it("gives each line its order and exactly the flag it deserves, and counts the flags", async () => {
    const detail = await payoutDetail(shopA, ids.usd);
    expect(detail.payout).toMatchObject({ id: ids.usd, currency: "USD", net: 8_890, reportId: expect.stringMatching(/^rpt_/) });
    const byAction = Object.fromEntries(detail.lines.map((l) => [l.actionId, l]));
    expect(detail.lines.map((l) => [l.actionId, l.flag])).toEqual([
      ["act_tied", null],
      ["act_refund", null],
      ["act_differs", "amount_differs"],
      ["act_euro", "amount_differs"],
      ["act_no_order", "no_order"],
      ["act_no_payment", "no_order"],
      ["act_other", "other_shop"],
      ["act_unnamed", null],
      ["act_b_payment", "no_order"],
    ]);
    expect(byAction.act_tied).toEqual({
      id: expect.any(String),
      actionId: "act_tied",
      actionType: "Capture",
      ckoPaymentId: "pay_tied",
      paymentId: pays.tied.id,
      reference: "ORD-1001",
      processedOn: "2026-12-02T10:00:00.000Z",
      currency: "USD",
      amount: 1_234,
      processingFees: 30,
      schemeFees: 10,
      otherFees: 0,
      net: 1_194,
      orderGid: expect.stringMatching(/^gid:\/\/shopify\/Order\/\d+$/),
      orderName: "#1001",
      flag: null,
    });
    expect(byAction.act_differs).toMatchObject({ orderName: "#1002", paymentId: pays.differs.id });
    // Another shop's line has no order, nor a payment of this shop, whatever it names.
    expect(byAction.act_other).toMatchObject({ orderGid: null, orderName: null, paymentId: null });
    // An order without a name is still its order.
    expect(byAction.act_unnamed).toMatchObject({ orderName: null, orderGid: expect.stringMatching(/^gid:/) });
    // Shop B's payment is no payment of shop A's.
    expect(byAction.act_b_payment).toMatchObject({ paymentId: null, orderGid: null });
    expect(detail.counts).toEqual({ lines: 9, tied: 5, other_shop: 1, no_order: 3, amount_differs: 2 });
    expect(detail).toMatchObject({ filters: { show: "all" }, previous: null, next: null });
  });

  it("shows only the lines that need a look when asked, and reads an unknown filter as every line", async () => {
    const problems = await payoutDetail(shopA, ids.usd, { show: "problems" });
    expect(problems.lines.map((l) => l.actionId)).toEqual(["act_differs", "act_euro", "act_no_order", "act_no_payment", "act_other", "act_b_payment"]);
    expect(problems.counts.lines).toBe(9);
    const lenient = await payoutDetail(shopA, ids.usd, { show: "everything" });
    expect(lenient.filters.show).toBe("all");
    expect(lenient.lines).toHaveLength(9);
  });

  it("pages the lines 100 at a time, newest first, forward and back, with or without the filter", async () => {
    const shop = (await createShop()).id;
    const tied = await payment(shop, { capturedAmount: 100 });
    // Half processed at one moment (ordered by id among themselves); every third needs a look.
    const lines = Array.from({ length: PAYOUT_LINES_PAGE_SIZE + 30 }, (_, i) => ({
      amount: 100,
      paymentId: i % 3 === 0 ? null : tied.id,
      processedOn: i < 65 ? "2026-11-01T00:00:00Z" : new Date(Date.parse("2026-11-02T00:00:00Z") + i * 60_000).toISOString(),
    }));
    const { id } = await payout(shop, {}, lines);
    const all = await db().payoutLine.findMany({ where: { payoutRowId: id }, orderBy: [{ processedOn: "desc" }, { id: "desc" }] });
    const first = await payoutDetail(shop, id);
    expect(first.lines).toHaveLength(PAYOUT_LINES_PAGE_SIZE);
    expect(first.previous).toBeNull();
    const second = await payoutDetail(shop, id, { after: first.next! });
    expect(second.lines).toHaveLength(30);
    expect(second.next).toBeNull();
    expect([...first.lines, ...second.lines].map((l) => l.id)).toEqual(all.map((l) => l.id));
    const back = await payoutDetail(shop, id, { before: second.previous! });
    expect(back.lines.map((l) => l.id)).toEqual(first.lines.map((l) => l.id));
    expect(back).toMatchObject({ previous: null, next: first.next });

    const flagged = all.filter((l) => l.paymentId === null).map((l) => l.id);
    expect(first.counts).toEqual({ lines: 130, tied: 130 - flagged.length, other_shop: 0, no_order: flagged.length, amount_differs: 0 });
    const problems = await payoutDetail(shop, id, { show: "problems" });
    expect(problems.lines.map((l) => l.id)).toEqual(flagged);
    expect(problems.next).toBeNull();
  });

  it("finds no payout of another shop: its id is not found, and nothing of it is shown", async () => {
    await expect(payoutDetail(shopA, ids.other)).rejects.toThrow(NotFoundError);
    await expect(payoutDetail(shopB, ids.usd)).rejects.toThrow("This payout does not exist in this shop.");
    await expect(payoutDetail(shopA, randomUUID())).rejects.toThrow(NotFoundError);
    await expect(payoutCsv(shopA, ids.other)).rejects.toThrow(NotFoundError);
  });
});

describe("payoutCsv", () => {
  it("has one header row and a row per line, newest first: ISO dates, major units beside the currency, the order and flag", async () => {
    const { csv, count, payoutId } = await payoutCsv(shopA, ids.usd);
    expect(count).toBe(9);
    expect(payoutId).toMatch(/^pyt_/);
    const [header, ...rows] = csv.split("\r\n");
    expect(header).toBe("processed_on,action_id,action_type,payment_id,order,reference,currency,amount,processing_fees,scheme_fees,other_fees,net,flag");
    expect(rows.slice(0, 3)).toEqual([
      "2026-12-02T10:00:00.000Z,act_tied,Capture,pay_tied,#1001,ORD-1001,USD,12.34,0.30,0.10,0.00,11.94,",
      // A refund's negative amount stays a number for the spreadsheet.
      "2026-12-02T09:00:00.000Z,act_refund,Refund,pay_tied,#1001,,USD,-5.00,0.00,0.00,0.00,-5.00,",
      "2026-12-02T08:00:00.000Z,act_differs,Capture,pay_differs,#1002,,USD,40.00,1.00,0.20,0.05,38.75,amount_differs",
    ]);
    expect(rows[6]).toBe("2026-12-02T04:00:00.000Z,act_other,Capture,pay_unnamed,,,USD,3.00,0.00,0.00,0.00,3.00,other_shop");
    expect(rows[7]).toMatch(/^2026-12-02T03:00:00\.000Z,act_unnamed,Capture,pay_unnamed,gid:\/\/shopify\/Order\/\d+,,USD,3\.00,/);
    expect(rows.at(-1)).toBe("");
  });

  it("writes a currency without minor units without decimals, and a cell a spreadsheet would run as text", async () => {
    expect((await payoutCsv(shopA, ids.jpy)).csv.split("\r\n")).toEqual([
      "processed_on,action_id,action_type,payment_id,order,reference,currency,amount,processing_fees,scheme_fees,other_fees,net,flag",
      "2026-11-30T23:00:00.000Z,act_yen,Capture,pay_yen,,'=cmd(),JPY,1500,45,0,0,1455,no_order",
      "",
    ]);
  });
});

describe("payoutImportStatus", () => {
  it("says when the import last ran, and its last failure and retry; nothing for a shop never imported", async () => {
    expect(await payoutImportStatus(shopB)).toEqual({ lastRunAt: null, lastError: null, lastErrorAt: null, retryAt: null });
    await db().payoutImport.create({
      data: {
        shopId: shopA,
        lastRunAt: new Date("2026-12-05T03:00:00Z"),
        lastError: "Checkout.com refused the secret key.",
        lastErrorAt: new Date("2026-12-05T03:00:00Z"),
        retryAt: new Date("2026-12-05T03:01:00Z"),
      },
    });
    expect(await payoutImportStatus(shopA)).toEqual({
      lastRunAt: "2026-12-05T03:00:00.000Z",
      lastError: "Checkout.com refused the secret key.",
      lastErrorAt: "2026-12-05T03:00:00.000Z",
      retryAt: "2026-12-05T03:01:00.000Z",
    });
  });
});

describe("payoutSeries", () => {
  it("gives each currency apart its payout days' net and fees, oldest first, over the window, imported payouts of this shop only", async () => {
    const shop = (await createShop()).id;
    const now = new Date("2026-12-10T15:00:00Z");
    // 90 days back from the 10th, the 10th included: from 12 Sep.
    await payout(shop, { currency: "USD", payoutDate: "2026-09-11T00:00:00Z", net: 77, fees: [1, 1, 1] });
    await payout(shop, { currency: "USD", payoutDate: "2026-09-12T00:00:00Z", net: 100, fees: [3, 1, 0] });
    await payout(shop, { currency: "USD", payoutDate: "2026-11-20T00:00:00Z", net: 985, fees: [10, 5, 0] });
    await payout(shop, { currency: "USD", payoutDate: "2026-12-03T00:00:00Z", net: 8_890, fees: [300, 100, 10] });
    // Dated by its report's time (a file that names no day): the same payout day.
    await payout(shop, { currency: "USD", payoutDate: "2026-12-03T17:45:00Z", net: 1_000, fees: [20, 5, 0] });
    await payout(shop, { currency: "EUR", payoutDate: "2026-12-02T00:00:00Z", net: 18_500, fees: [400, 100, 0] });
    // Chargebacks took more than was paid in.
    await payout(shop, { currency: "EUR", payoutDate: "2026-12-08T00:00:00Z", net: -2_300, fees: [50, 0, 0] });
    const importing = await payout(shop, { currency: "EUR", payoutDate: "2026-12-05T00:00:00Z", net: 40_000, fees: [800, 0, 0] });
    await db().payout.update({ where: { id: importing.id }, data: { importedAt: null } });
    const other = (await createShop()).id;
    await payout(other, { currency: "USD", payoutDate: "2026-12-03T00:00:00Z", net: 99_999, fees: [9, 9, 9] });
    await payout(other, { currency: "GBP", payoutDate: "2026-12-04T00:00:00Z", net: 5_000 });

    expect(await payoutSeries(shop, { now })).toEqual({
      days: 90,
      currencies: [
        {
          currency: "USD",
          days: [
            { day: "2026-09-12", net: 100, processingFees: 3, schemeFees: 1, otherFees: 0 },
            { day: "2026-11-20", net: 985, processingFees: 10, schemeFees: 5, otherFees: 0 },
            { day: "2026-12-03", net: 9_890, processingFees: 320, schemeFees: 105, otherFees: 10 },
          ],
        },
        {
          currency: "EUR",
          days: [
            { day: "2026-12-02", net: 18_500, processingFees: 400, schemeFees: 100, otherFees: 0 },
            { day: "2026-12-08", net: -2_300, processingFees: 50, schemeFees: 0, otherFees: 0 },
          ],
        },
      ],
    });
    // Eight days from the 3rd: a day of payouts each, and then the currencies by code.
    expect(await payoutSeries(shop, { now, days: 8 })).toEqual({
      days: 8,
      currencies: [
        { currency: "EUR", days: [{ day: "2026-12-08", net: -2_300, processingFees: 50, schemeFees: 0, otherFees: 0 }] },
        { currency: "USD", days: [{ day: "2026-12-03", net: 9_890, processingFees: 320, schemeFees: 105, otherFees: 10 }] },
      ],
    });
    expect(await payoutSeries((await createShop()).id, { now })).toEqual({ days: 90, currencies: [] });
  });
});
