// The client's money-settlement reads (financial actions, reports, report files) against the
// Checkout.com stand-in: paging by token, the CSV behind a report's 302, retries and error kinds.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCheckoutClient } from "./client.server";
import { CheckoutError } from "./errors";
import { createCheckoutStandIn, type CheckoutStandIn } from "../../test/standins/checkout/server";
import { NAS_SANDBOX_KEY, nasAccount } from "../../test/standins/checkout/testing";

let standIn: CheckoutStandIn;

beforeAll(async () => {
  standIn = await createCheckoutStandIn({ accounts: [nasAccount()], actionLatencyMs: 1 });
});
afterAll(() => standIn.stop());
beforeEach(() => standIn.faults.clear());

const client = (secretKey = NAS_SANDBOX_KEY) =>
  createCheckoutClient(
    { accountType: "NAS", environment: "sandbox", secretKey, subdomain: "abcd1234" },
    { baseUrl: standIn.url, retry: { retries: 3, baseMs: 1, maxMs: 2 }, wait: async () => {} },
  );

const requestsTo = (pattern: RegExp) => standIn.requests.filter((r) => pattern.test(r.path));

describe("money settlement reads", () => {
  it("pages through a payment's financial actions with the next token", async () => {
    const payment = standIn.state.createPayment({ account: "shop_a", amount: 10_000, currency: "EUR", reference: "#5001", capture: true });
    for (let i = 0; i < 6; i++) standIn.state.refund("shop_a", payment.fixture.id, { amount: 100 });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client().listFinancialActions({ paymentId: payment.fixture.id, limit: 3, paginationToken: token });
      seen.push(...page.data.map((a) => a.action_id));
      token = page.nextPaginationToken ?? undefined;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    const capture = (await client().listFinancialActions({ reference: "#5001" })).data.find((a) => a.action_type === "Capture")!;
    expect(capture.breakdown.map((b) => [b.breakdown_type, b.holding_currency, b.holding_currency_amount])).toEqual([
      ["Capture", "EUR", 100],
      ["Interchange Variable Fee", "EUR", -0.2],
      ["Scheme Variable Fee", "EUR", -0.1],
      ["Scheme Fixed Fee", "EUR", -0.02],
      ["Gateway Fixed Fee", "EUR", -0.1],
    ]);
    expect(seen.at(-1)).toBe(capture.action_id);
    // The reference went out encoded ("#" would end the URL).
    expect(requestsTo(/^\/financial-actions$/).some((r) => r.query === "?reference=%235001")).toBe(true);
  });

  it("lists reports, reads one and downloads its CSV through the 302", async () => {
    standIn.state.createPayment({ account: "shop_a", amount: 2_500, currency: "GBP", capture: true });
    const [payout] = standIn.state.settle("shop_a", { currency: "GBP", payoutDate: "2026-04-01" });
    const list = await client().listReports({ createdAfter: new Date(Date.now() - 60_000).toISOString(), limit: 100 });
    const listed = list.data.find((r) => r.tags.includes(`payout_id:${payout.id}`))!;
    expect(listed).toMatchObject({ type: "FinancialActionsByPayoutId", files: [{ format: "CSV" }] });
    expect(list.nextPaginationToken).toBeNull();
    expect((await client().listReports({ createdAfter: "2100-01-01T00:00:00Z" })).data).toEqual([]);

    const report = await client().getReport(listed.id);
    expect(report.files[0].filename).toBe(`financial-actions_${report.account?.entity_id}_20260401_${payout.id}_1.csv`);
    const csv = await client().getReportFile(report.id, report.files[0].id);
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toMatch(/^Client Entity ID,.*,Holding Currency Amount,Processing Currency,Processing Currency Amount$/);
    expect(lines.slice(1).map((line) => line.split(",").at(-1))).toEqual(["25.00", "-0.05", "-0.025", "-0.02", "-0.10"]);
    expect(lines.slice(1).every((line) => line.includes(payout.id))).toBe(true);
  });

  it("retries a 429 on reads, then succeeds", async () => {
    const payment = standIn.state.createPayment({ account: "shop_a", amount: 700, capture: true });
    const [{ report }] = standIn.state.settle("shop_a", { currency: "USD" });
    const before = requestsTo(/^\/(financial-actions|reports)/).length;
    standIn.faults.set({ status: 429, count: 1, paths: /^\/financial-actions/ });
    expect((await client().listFinancialActions({ paymentId: payment.fixture.id })).data).toHaveLength(1);
    standIn.faults.set({ status: 503, count: 1, paths: /\/files\// });
    expect(await client().getReportFile(report.id, report.file.id)).toContain(payment.fixture.id);
    standIn.faults.set({ status: 429, count: 1, paths: /^\/reports$/ });
    await client().listReports();
    expect(requestsTo(/^\/(financial-actions|reports)/).length - before).toBe(6);
  });

  it("maps a refused key to authentication (not retried) and an unknown report to not_found", async () => {
    const before = requestsTo(/^\/reports/).length;
    const refused = await client("sk_sbox_" + "z".repeat(26) + "9")
      .listReports()
      .catch((e) => e);
    expect(refused).toBeInstanceOf(CheckoutError);
    expect(refused.kind).toBe("authentication");
    expect(requestsTo(/^\/reports/).length - before).toBe(1);
    const missing = await client()
      .getReport("rpt_unknown")
      .catch((e) => e);
    expect([missing.kind, missing.codes]).toEqual(["not_found", ["report_not_found"]]);
    const refusedQuery = await client()
      .listFinancialActions({ limit: 5 })
      .catch((e) => e);
    expect([refusedQuery.kind, refusedQuery.codes]).toEqual(["validation", ["payment_id_or_action_id_or_reference_required"]]);
  });
});
