// The Insights CSV as the embedded admin downloads it: one roll-up table of the session shop for the range
// and filters, amounts in major units beside their currency (0, 2 and 3 decimals), never another shop's
// rows, on the audit log; a table or range it cannot read is answered 400 with why, in the staff member's
// language.
import { beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { declineDays, disputeDays, holdDays, paymentDays } from "../../test/helpers/insight-rollups";
import { seedOfflineSession, seedStaff, staffRequest } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import { db } from "../db.server";
import * as csvRoute from "./app.insights.csv";

const OWNER = 74_000_301;
let shopA: { id: string; domain: string };
let shopB: { id: string; domain: string };

const download = (domain: string, search: string) => callAction(csvRoute.loader, staffRequest(domain, `/app/insights/csv?${search}`, OWNER));
const lines = async (response: Response) => (await response.text()).split("\r\n");
const RANGE = "from=2026-12-01&to=2026-12-05";
const US = { currency: "USD", country: "US" };

beforeAll(async () => {
  shopA = await createShop();
  shopB = await createShop();
  for (const shop of [shopA, shopB]) {
    await db().shop.update({ where: { id: shop.id }, data: { ianaTimezone: "Europe/Paris", currency: "USD" } });
    await db().insightRollupState.create({ data: { shopId: shop.id, timeZone: "Europe/Paris", refreshedAt: new Date() } });
    await seedOfflineSession(shop.domain);
    await seedStaff(shop.domain, { userId: OWNER, role: "owner" });
  }
  await paymentDays(shopA.id, [
    {
      day: "2026-12-01",
      ...US,
      payments: 3,
      approved: 2,
      approvedAmount: 12_345,
      declined: 1,
      declinedAmount: 500,
      captured: 2,
      capturedAmount: 12_345,
      captureSeconds: 2 * 5_400,
      refundedAmount: 100,
    },
    { day: "2026-12-02", currency: "KWD", country: "KW", payments: 1, approved: 1, approvedAmount: 1_234 },
    { day: "2026-12-02", currency: "JPY", country: "JP", payments: 1, approved: 1, approvedAmount: 5_000 },
    // Before the range.
    { day: "2026-11-30", ...US, payments: 7, approved: 7, approvedAmount: 70_000 },
  ]);
  await declineDays(shopA.id, [
    {
      day: "2026-12-01",
      ...US,
      declineClass: "soft",
      responseCode: "20051",
      reason: "Insufficient Funds, try later",
      cardCountry: "US",
      scheme: "visa",
      bin: "424242",
      declines: 1,
      amount: 500,
      recovered: 1,
      recoveredAmount: 500,
    },
  ]);
  await disputeDays(shopA.id, [
    {
      day: "2026-12-03",
      currency: "EUR",
      country: "FR",
      category: "fraudulent",
      disputes: 1,
      amount: 2_500,
      won: 1,
      wonAmount: 2_500,
      evidenceSubmitted: 1,
      respondSeconds: 129_600,
    },
  ]);
  const canceled = { holds: 1, amount: 12_345, canceled: 1, decisionSeconds: 7_200, protectedAmount: 12_345 };
  await holdDays(shopA.id, [
    { day: "2026-12-04", ...US, rule: "risk_score", ...canceled },
    { day: "2026-12-04", ...US, rule: "", ...canceled },
    { day: "2026-12-04", ...US, rule: "", monitorOnly: true, holds: 1, amount: 999 },
  ]);
  // Shop B's rows on the same days.
  await paymentDays(shopB.id, [{ day: "2026-12-01", ...US, payments: 999, approved: 999, approvedAmount: 999_999 }]);
  await declineDays(shopB.id, [
    {
      day: "2026-12-01",
      ...US,
      declineClass: "hard",
      responseCode: "20054",
      reason: "Expired Card",
      cardCountry: "US",
      scheme: "visa",
      bin: "411111",
      declines: 99,
      amount: 99_999,
    },
  ]);
  await disputeDays(shopB.id, [{ day: "2026-12-03", ...US, category: "general", disputes: 99, amount: 99_999 }]);
  await holdDays(shopB.id, [{ day: "2026-12-04", ...US, rule: "", holds: 99, amount: 99_999 }]);
});

describe("the Insights CSV", () => {
  it("downloads the shop's payments of the range, amounts in major units beside their currency", async () => {
    const response = await download(shopA.domain, `table=payments&${RANGE}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="insights-payments-2026-12-01-to-2026-12-05-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(await lines(response)).toEqual([
      "day,currency,country,payments,approved,approved_amount,declined,declined_amount,captured,captured_amount,average_capture_hours,refunded_amount",
      "2026-12-01,USD,US,3,2,123.45,1,5.00,2,123.45,1.50,1.00",
      "2026-12-02,JPY,JP,1,1,5000,0,0,0,0,,0",
      "2026-12-02,KWD,KW,1,1,1.234,0,0.000,0,0.000,,0.000",
      "",
    ]);
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA.id, action: "insights.export" } });
    expect(JSON.parse(entry.details)).toEqual({
      table: "payments",
      query: { from: "2026-12-01", to: "2026-12-05", currency: null, country: null },
      count: 3,
      truncated: false,
    });
  });

  it("downloads declines, disputes and holds, with the filters, and none of another shop's rows", async () => {
    expect(await lines(await download(shopA.domain, `table=declines&${RANGE}`))).toEqual([
      "day,currency,country,decline_class,response_code,reason,card_country,scheme,bin,declines,amount,recovered,recovered_amount",
      '2026-12-01,USD,US,soft,20051,"Insufficient Funds, try later",US,visa,424242,1,5.00,1,5.00',
      "",
    ]);
    expect(await lines(await download(shopA.domain, `table=disputes&${RANGE}`))).toEqual([
      "day,currency,country,category,disputes,amount,won,won_amount,lost,lost_amount,evidence_submitted,accepted,average_days_to_evidence",
      "2026-12-03,EUR,FR,fraudulent,1,25.00,1,25.00,0,0.00,1,0,1.50",
      "",
    ]);
    expect(await lines(await download(shopA.domain, `table=holds&${RANGE}`))).toEqual([
      "day,currency,country,rule,monitor_only,holds,amount,released,canceled,average_decision_hours,protected_amount",
      "2026-12-04,USD,US,(all holds),false,1,123.45,0,1,2.00,123.45",
      "2026-12-04,USD,US,(all holds),true,1,9.99,0,0,,0.00",
      "2026-12-04,USD,US,risk_score,false,1,123.45,0,1,2.00,123.45",
      "",
    ]);
    expect((await lines(await download(shopA.domain, `table=payments&${RANGE}&currency=jpy`))).slice(1)).toEqual(["2026-12-02,JPY,JP,1,1,5000,0,0,0,0,,0", ""]);
    expect((await lines(await download(shopA.domain, `table=disputes&${RANGE}&country=US`))).slice(1)).toEqual([""]);
    // Shop B sees its own.
    expect((await lines(await download(shopB.domain, `table=payments&${RANGE}`))).slice(1)).toEqual([
      "2026-12-01,USD,US,999,999,9999.99,0,0.00,0,0.00,,0.00",
      "",
    ]);
  });

  it("answers 400 with why for a table or range it cannot read, in the staff member's language, and exports nothing", async () => {
    const exports = () => db().auditLog.count({ where: { shopId: shopA.id, action: "insights.export" } });
    const before = await exports();
    const table = await download(shopA.domain, `table=orders&${RANGE}`);
    expect(table.status).toBe(400);
    expect(await table.text()).toBe("Choose the table to export: payments, declines, disputes, holds.");
    const order = await download(shopA.domain, "table=payments&from=2026-12-05&to=2026-12-01");
    expect(order.status).toBe(400);
    expect(await order.text()).toBe("The first day must not be after the last.");
    const future = await download(shopA.domain, "table=holds&from=2026-12-01&to=2999-01-01");
    expect(future.status).toBe(400);
    expect(await future.text()).toMatch(/^The last day cannot be after today \(\d{4}-\d{2}-\d{2}\)\.$/);
    // The admin's language is remembered for the staff member's later requests: asked last.
    const german = await download(shopA.domain, "table=holds&from=2026-12-05&to=2026-12-01&locale=de");
    expect(german.status).toBe(400);
    expect(await german.text()).toBe("Der erste Tag darf nicht nach dem letzten liegen.");
    expect(await exports()).toBe(before);
  });
});
