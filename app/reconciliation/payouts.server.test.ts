// Payouts imported from Checkout.com's payout reports, against the Checkout.com stand-in: exact totals
// by its fee schedule (test/standins/checkout/README.md "Fees"), one payout per currency, lines of
// another processing channel kept apart, a re-import that changes nothing, and an import that stops
// on a 429 or a revoked key and goes on where it stopped.
import { describe, expect, it } from "vitest";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { createConnectedShop, createOrderPayment } from "../../test/helpers/factories";
import { nasAccount, otherNasAccount, OTHER_NAS_KEY } from "../../test/standins/checkout/testing";
import { db } from "../db.server";
import { JobMustWait } from "../queue/jobs.server";
import { importPayouts, requestPayoutImport } from "./payouts.server";

const standIn = useCheckoutStandIn({ accounts: [nasAccount(), otherNasAccount()], actionLatencyMs: 1 });

const payoutsOf = (shopId: string) =>
  db().payout.findMany({ where: { shopId }, orderBy: { currency: "asc" }, include: { lines: { orderBy: { actionType: "asc" } } } });

/** A shop connected to the stand-in's account shop_a. */
async function shopWithPayouts(overrides: Record<string, string> = {}) {
  const { shop } = await createConnectedShop(undefined, overrides);
  return shop;
}

describe("importing a payout", () => {
  it("adds up its lines exactly by the fee schedule, ties them to orders, and a re-import changes nothing", async () => {
    const shop = await shopWithPayouts();
    const sold = standIn().state.createPayment({ account: "shop_a", amount: 6_540, currency: "EUR", capture: true });
    standIn().state.refund("shop_a", sold.fixture.id, { amount: 1_000 });
    await createOrderPayment(shop.id, {
      orderName: "#2001",
      payment: { ckoPaymentId: sold.fixture.id, amount: 6_540, currency: "EUR", capturedAmount: 6_540 },
    });
    // A payment Checkout.com took that this shop never recorded (before the app was installed).
    const unknown = standIn().state.createPayment({ account: "shop_a", amount: 2_000, currency: "EUR", capture: true });
    standIn().state.settle("shop_a", { currency: "EUR", payoutDate: "2026-12-01" });

    expect(await importPayouts(shop.id)).toBe(1);
    const [payout] = await payoutsOf(shop.id);
    // Capture 65.40: interchange 0.1308 + gateway 0.10 = 0.2308 → 0.23, scheme 0.0654 + 0.02 = 0.0854 → 0.09.
    // Capture 20.00: 0.04 + 0.10 = 0.14, scheme 0.02 + 0.02 = 0.04. Refund 10.00: refund fee 0.10.
    expect(payout).toMatchObject({
      currency: "EUR",
      gross: 8_540,
      refunds: 1_000,
      chargebacks: 0,
      processingFees: 23 + 14 + 10,
      schemeFees: 9 + 4,
      otherFees: 0,
      net: 8_540 - 1_000 - 47 - 13,
      lineCount: 3,
      linesTied: 2,
      linesOtherShop: 0,
    });
    expect(payout.payoutDate.toISOString().slice(0, 10)).toBe("2026-12-01");
    const lineOf = (ckoPaymentId: string, type: string) => payout.lines.find((l) => l.ckoPaymentId === ckoPaymentId && l.actionType === type)!;
    expect(lineOf(sold.fixture.id, "Capture")).toMatchObject({ belongs: "shop", amount: 6_540, processingFees: 23, schemeFees: 9, net: 6_508 });
    expect(lineOf(sold.fixture.id, "Refund")).toMatchObject({ belongs: "shop", amount: -1_000, processingFees: 10, net: -1_010 });
    expect(lineOf(unknown.fixture.id, "Capture")).toMatchObject({ belongs: "shop", paymentId: null, amount: 2_000, net: 1_982 });

    expect(await importPayouts(shop.id)).toBe(0);
    expect(await db().payoutLine.count({ where: { shopId: shop.id } })).toBe(3);
    expect(await db().payout.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("counts a line tied once its payment is matched to an order after the payout came, at the next import", async () => {
    const shop = await shopWithPayouts();
    const sold = standIn().state.createPayment({ account: "shop_a", amount: 3_000, currency: "EUR", capture: true });
    const payment = await db().payment.create({
      data: { shopId: shop.id, ckoPaymentId: sold.fixture.id, amount: 3_000, currency: "EUR", status: "Captured", capturedAmount: 3_000 },
    });
    standIn().state.settle("shop_a", { currency: "EUR", payoutDate: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) });
    await importPayouts(shop.id);
    const ours = async () => (await payoutsOf(shop.id)).find((p) => p.lines.some((l) => l.ckoPaymentId === sold.fixture.id));
    expect(await ours()).toMatchObject({ lineCount: 1, linesTied: 0 });

    await db().orderLink.create({
      data: { shopId: shop.id, paymentId: payment.id, orderGid: "gid://shopify/Order/4401", matchedBy: "manual", confidence: "strong" },
    });
    expect(await importPayouts(shop.id)).toBe(0);
    expect(await ours()).toMatchObject({ lineCount: 1, linesTied: 1 });
  });

  it("makes one payout per currency, never adding currencies together", async () => {
    const shop = await shopWithPayouts();
    standIn().state.createPayment({ account: "shop_a", amount: 10_000, currency: "GBP", capture: true });
    standIn().state.createPayment({ account: "shop_a", amount: 1_500, currency: "JPY", capture: true });
    await createOrderPayment(shop.id, { payment: { currency: "GBP" } });
    await createOrderPayment(shop.id, { payment: { currency: "JPY" } });
    standIn().state.settle("shop_a", { payoutDate: "2026-12-02" });
    await importPayouts(shop.id);
    const payouts = (await payoutsOf(shop.id)).filter((p) => p.payoutDate.toISOString().startsWith("2026-12-02"));
    // JPY has no minor unit: 1500 × 0.30% + 0.12 = 4.62 → 5 yen of fees, 0.12 of them scheme (0) and gateway (0).
    expect(payouts.map((p) => [p.currency, p.gross, p.processingFees + p.schemeFees, p.net])).toEqual([
      ["GBP", 10_000, 20 + 10 + 10 + 2, 10_000 - 42],
      ["JPY", 1_500, 3 + 2, 1_495],
    ]);
  });

  it("keeps another processing channel's lines, and a currency the shop never takes, apart from its own", async () => {
    const shop = await shopWithPayouts({ processingChannelIds: "pc_aaaaaaaaaaaaaaaaaaaaaaaaaa" });
    standIn().state.createPayment({ account: "shop_a", amount: 3_000, currency: "EUR", capture: true, processingChannelId: "pc_aaaaaaaaaaaaaaaaaaaaaaaaaa" });
    standIn().state.createPayment({ account: "shop_a", amount: 4_000, currency: "EUR", capture: true, processingChannelId: "pc_bbbbbbbbbbbbbbbbbbbbbbbbbb" });
    standIn().state.createPayment({ account: "shop_a", amount: 5_000, currency: "CHF", capture: true, processingChannelId: "pc_aaaaaaaaaaaaaaaaaaaaaaaaaa" });
    await createOrderPayment(shop.id, { payment: { currency: "EUR" } });
    standIn().state.settle("shop_a", { payoutDate: "2026-12-03" });
    await importPayouts(shop.id);
    const payouts = (await payoutsOf(shop.id)).filter((p) => p.payoutDate.toISOString().startsWith("2026-12-03"));
    expect(payouts.map((p) => [p.currency, p.lineCount, p.linesOtherShop])).toEqual([
      ["CHF", 1, 1],
      ["EUR", 2, 1],
    ]);
    const other = payouts[1].lines.find((l) => l.processingChannelId === "pc_bbbbbbbbbbbbbbbbbbbbbbbbbb")!;
    expect(other).toMatchObject({ belongs: "other", paymentId: null });
  });
});

describe("when Checkout.com fails", () => {
  it("a 429 on a report's file puts the import off, then it goes on with that report, once", async () => {
    const shop = await shopWithPayouts();
    standIn().state.createPayment({ account: "shop_a", amount: 1_200, currency: "USD", capture: true });
    standIn().state.settle("shop_a", { currency: "USD", payoutDate: "2026-12-04" });
    standIn().faults.set({ status: 429, paths: /^\/reports\/[^/]+\/files\//, count: 5 });
    await expect(importPayouts(shop.id)).rejects.toBeInstanceOf(JobMustWait);
    const failed = await db().payoutImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(failed.lastError).toMatch(/rate limiting/);
    expect(failed.retryAt).not.toBeNull();
    expect(await db().payout.count({ where: { shopId: shop.id } })).toBe(0);

    standIn().faults.clear();
    expect(await importPayouts(shop.id)).toBeGreaterThanOrEqual(1);
    expect(await importPayouts(shop.id)).toBe(0);
    expect((await db().payoutImport.findUniqueOrThrow({ where: { shopId: shop.id } })).lastError).toBeNull();
    const usd = await db().payout.findMany({ where: { shopId: shop.id, currency: "USD" } });
    expect(usd.filter((p) => p.payoutDate.toISOString().startsWith("2026-12-04"))).toHaveLength(1);
  });

  it("a payout whose import stopped half way is finished by the next run, each line once, and hidden until then", async () => {
    const shop = await shopWithPayouts();
    for (let i = 0; i < 6; i++) standIn().state.createPayment({ account: "shop_a", amount: 1_000 + i, currency: "NOK", capture: true });
    await createOrderPayment(shop.id, { payment: { currency: "NOK" } });
    standIn().state.settle("shop_a", { currency: "NOK", payoutDate: "2026-12-04" });
    await importPayouts(shop.id);
    const payout = await db().payout.findFirstOrThrow({ where: { shopId: shop.id, currency: "NOK" } });
    const lines = await db().payoutLine.findMany({ where: { payoutRowId: payout.id }, orderBy: { actionId: "asc" } });
    // As if the worker died after the first chunk: the payout row without its finish, half its lines.
    await db().payout.update({ where: { id: payout.id }, data: { importedAt: null } });
    await db().payoutLine.deleteMany({ where: { id: { in: lines.slice(3).map((l) => l.id) } } });
    await db().payoutImport.update({ where: { shopId: shop.id }, data: { importedUpTo: null } });

    expect(await importPayouts(shop.id)).toBe(1);
    const again = await db().payoutLine.findMany({ where: { payoutRowId: payout.id }, orderBy: { actionId: "asc" } });
    expect(again.map((l) => [l.actionId, l.amount, l.net])).toEqual(lines.map((l) => [l.actionId, l.amount, l.net]));
    expect((await db().payout.findUniqueOrThrow({ where: { id: payout.id } })).importedAt).not.toBeNull();
  });

  it("a revoked key is recorded for the screen and ends the run, without retrying it at once", async () => {
    const shop = await shopWithPayouts();
    standIn().faults.set({ status: 401, paths: /^\/reports/ });
    expect(await importPayouts(shop.id)).toBe(0);
    expect(await db().payoutImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      lastError: expect.stringContaining("refused the secret key"),
      retryAt: null,
    });
  });
});

describe("each shop's own payouts", () => {
  it("imports only the reports of the shop's own Checkout.com account", async () => {
    const a = await shopWithPayouts();
    const { shop: b } = await createConnectedShop(undefined, { secretKey: OTHER_NAS_KEY });
    standIn().state.createPayment({ account: "shop_b", amount: 7_700, currency: "SEK", capture: true });
    standIn().state.settle("shop_b", { currency: "SEK", payoutDate: "2026-12-05" });
    await importPayouts(a.id);
    await importPayouts(b.id);
    expect((await payoutsOf(a.id)).map((p) => p.currency)).not.toContain("SEK");
    expect((await payoutsOf(b.id)).map((p) => [p.currency, p.gross])).toEqual([["SEK", 7_700]]);
  });
});

describe("Import now", () => {
  it("queues one import a minute however often it is clicked, audited, and needs a connection", async () => {
    const shop = await shopWithPayouts();
    const staff = { shopId: shop.id, actor: "Sam Finance <sam@example.com>" };
    const now = new Date("2026-12-06T10:00:30Z");
    expect(await requestPayoutImport(staff, now)).toMatchObject({ ok: true, words: { key: "payouts.import.queued" } });
    expect(await requestPayoutImport(staff, new Date("2026-12-06T10:00:50Z"))).toMatchObject({ ok: true });
    expect(await db().job.count({ where: { shopId: shop.id, kind: "payout_import", key: { startsWith: "now:" } } })).toBe(1);
    expect(await db().auditLog.count({ where: { shopId: shop.id, action: "payouts.import" } })).toBe(1);

    const { createShop } = await import("../../test/helpers/factories");
    const bare = await createShop();
    expect(await requestPayoutImport({ shopId: bare.id, actor: "x" }, now)).toMatchObject({ ok: false, status: 409 });
  });
});
