// Money settlement at the stand-in: financial actions with the README's fee schedule, payouts per
// currency, the payout reports and their CSV files, pagination, accounts apart, and faults.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REPORT_COLUMNS } from "./finance";
import { createCheckoutStandIn, type CheckoutStandIn } from "./server";
import { call, nasAccount, OTHER_NAS_KEY, otherNasAccount } from "./testing";

let standIn: CheckoutStandIn;
let now = new Date("2026-03-02T09:00:00.000Z");
/** Moves the stand-in's clock on, so actions are processed in a known order. */
const tick = (seconds = 1) => (now = new Date(now.getTime() + seconds * 1000));

beforeAll(async () => {
  standIn = await createCheckoutStandIn({ accounts: [nasAccount(), otherNasAccount()], actionLatencyMs: 1, clock: () => now });
});
afterAll(() => standIn.stop());
beforeEach(() => standIn.faults.clear());

/** Every financial action of a payment, through the API, following `_links.next`. */
async function actionsOf(paymentId: string, key?: string) {
  const out: any[] = [];
  let path: string | null = `/financial-actions?payment_id=${paymentId}`;
  while (path) {
    const page = await call(standIn, "GET", path, { key });
    expect(page.status).toBe(200);
    out.push(...page.body.data);
    const next: string | undefined = page.body._links.next?.href;
    path = next ? next.slice(standIn.url.length) : null;
  }
  return out;
}

const breakdown = (action: any) => action.breakdown.map((b: any) => [b.breakdown_type, b.holding_currency_amount]);

/** RFC 4180 rows: fields split on commas outside quotes, `""` a quote inside them, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const cells = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|$)/g;
  const rows: string[][] = [[]];
  for (const [, cell, end] of text.matchAll(cells)) {
    rows[rows.length - 1].push(cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell);
    if (end === "\r\n") rows.push([]);
    if (end === "") break;
  }
  return rows.filter((row) => row.length > 1);
}

describe("financial actions", () => {
  it("a sale's capture, a partial refund and a lost dispute: one action each, fees by the schedule", async () => {
    const payment = standIn.state.createPayment({ account: "shop_a", amount: 6540, currency: "USD", reference: "#1001", capture: true });
    const id = payment.fixture.id;
    tick();
    const refund = await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 1000, reference: "RF-1" } });
    tick();
    const dispute = standIn.state.createDispute({ account: "shop_a", paymentId: id });
    standIn.state.setDisputeStatus(dispute.fixture.id, "lost");

    const actions = await actionsOf(id);
    expect(actions.map((a) => a.action_type)).toEqual(["Chargeback", "Refund", "Capture"]);
    const [chargeback, refunded, captured] = actions;
    expect(breakdown(captured)).toEqual([
      ["Capture", 65.4],
      ["Interchange Variable Fee", -0.1308],
      ["Scheme Variable Fee", -0.0654],
      ["Scheme Fixed Fee", -0.02],
      ["Gateway Fixed Fee", -0.1],
    ]);
    expect(breakdown(refunded)).toEqual([
      ["Refund", -10],
      ["Refund Fixed Fee", -0.1],
    ]);
    expect(breakdown(chargeback)).toEqual([
      ["Chargeback (ADJM)", -65.4],
      ["Chargeback Fee", -15],
    ]);
    expect(captured).toMatchObject({
      action_id: payment.actions.find((a) => a.type === "Capture")!.id,
      payment_id: id,
      reference: "#1001",
      response_code: "10000",
      processed_on: "2026-03-02T09:00:00.000Z",
      payment_method: "VISA",
    });
    expect(refunded).toMatchObject({ action_id: refund.body.action_id, reference: "RF-1", processed_on: "2026-03-02T09:00:01.000Z" });
    expect(chargeback).toMatchObject({ reference: "#1001", processed_on: "2026-03-02T09:00:02.000Z" });
    for (const a of actions) {
      expect(a).toMatchObject({
        entity_id: captured.entity_id,
        currency_account_id: captured.currency_account_id,
        processing_channel_id: captured.processing_channel_id,
      });
      for (const line of a.breakdown) expect(line).toMatchObject({ fx_rate_applied: 1, holding_currency: "USD", processing_currency: "USD" });
    }
    expect(captured.entity_id).toMatch(/^ent_[a-z2-7]{26}$/);

    const byAction = await call(standIn, "GET", `/financial-actions?action_id=${refund.body.action_id}`);
    expect(byAction.body.data.map((a: any) => a.action_type)).toEqual(["Refund"]);
    const byReference = await call(standIn, "GET", `/financial-actions?reference=${encodeURIComponent("#1001")}&payment_id=${id}`);
    expect(byReference.body.data.map((a: any) => a.action_type)).toEqual(["Chargeback", "Capture"]);
  });

  it("amounts keep the currency's decimals and up to 8: JPY has none, KWD three", async () => {
    const yen = standIn.state.createPayment({ account: "shop_a", amount: 12_345, currency: "JPY", capture: true, processingChannelId: "pc_yen" });
    const dinar = standIn.state.createPayment({ account: "shop_a", amount: 1_234, currency: "KWD", capture: true });
    const [yenCapture] = await actionsOf(yen.fixture.id);
    expect(yenCapture.processing_channel_id).toBe("pc_yen");
    expect(breakdown(yenCapture)).toEqual([
      ["Capture", 12345],
      ["Interchange Variable Fee", -24.69],
      ["Scheme Variable Fee", -12.345],
      ["Scheme Fixed Fee", -0.02],
      ["Gateway Fixed Fee", -0.1],
    ]);
    expect(breakdown((await actionsOf(dinar.fixture.id))[0]).slice(0, 3)).toEqual([
      ["Capture", 1.234],
      ["Interchange Variable Fee", -0.002468],
      ["Scheme Variable Fee", -0.001234],
    ]);
  });

  it("declines, voids and open disputes record nothing; a win after the loss credits the chargeback back, once", async () => {
    const declined = standIn.state.createPayment({ account: "shop_a", amount: 500 });
    standIn.state.declineNext(declined.fixture.id, "Capture");
    expect((await call(standIn, "POST", `/payments/${declined.fixture.id}/captures`, { body: {} })).status).toBe(202);
    const voided = standIn.state.createPayment({ account: "shop_a", amount: 500 });
    await call(standIn, "POST", `/payments/${voided.fixture.id}/voids`, { body: {} });
    expect(await actionsOf(declined.fixture.id)).toEqual([]);
    expect(await actionsOf(voided.fixture.id)).toEqual([]);

    const payment = standIn.state.createPayment({ account: "shop_a", amount: 2000, currency: "EUR", capture: true });
    const dispute = standIn.state.createDispute({ account: "shop_a", paymentId: payment.fixture.id }).fixture.id;
    standIn.state.setDisputeStatus(dispute, "evidence_under_review");
    standIn.state.setDisputeStatus(dispute, "won");
    expect((await actionsOf(payment.fixture.id)).map((a) => a.action_type)).toEqual(["Capture"]);

    const lost = standIn.state.createDispute({ account: "shop_a", paymentId: payment.fixture.id }).fixture.id;
    for (const status of ["lost", "arbitration_under_review", "arbitration_lost", "arbitration_won", "won", "lost"] as const) {
      tick();
      standIn.state.setDisputeStatus(lost, status);
    }
    const [reversal, debit] = await actionsOf(payment.fixture.id);
    expect(breakdown(debit)).toEqual([
      ["Chargeback (ADJM)", -20],
      ["Chargeback Fee", -15],
    ]);
    expect([reversal.action_type, breakdown(reversal)]).toEqual(["Chargeback", [["Chargeback (ARBW)", 20]]]);
    expect(await actionsOf(payment.fixture.id)).toHaveLength(3);

    // Accepting a dispute through the API loses it too.
    const accepted = standIn.state.createDispute({ account: "shop_a", paymentId: payment.fixture.id }).fixture.id;
    expect((await call(standIn, "POST", `/disputes/${accepted}/accept`)).status).toBe(204);
    expect((await actionsOf(payment.fixture.id))[0].breakdown[0]).toMatchObject({ breakdown_type: "Chargeback (ADJM)", holding_currency_amount: -20 });
  });

  it("pages through 250 actions of one payment, each once, latest first, even as new ones arrive", async () => {
    const payment = standIn.state.createPayment({ account: "shop_a", amount: 1_000_000, capture: true });
    for (let i = 0; i < 249; i++) standIn.state.refund("shop_a", payment.fixture.id, { amount: 1 });
    const expected = [...(await actionsOf(payment.fixture.id)).map((a) => a.action_id)];
    expect(expected).toHaveLength(250);
    expect(expected.at(-1)).toBe(payment.actions.find((a) => a.type === "Capture")!.id);

    const seen: string[] = [];
    let path: string | null = `/financial-actions?payment_id=${payment.fixture.id}&limit=100`;
    const sizes: number[] = [];
    while (path) {
      const page = await call(standIn, "GET", path);
      expect(page.body.count).toBe(page.body.data.length);
      sizes.push(page.body.count);
      seen.push(...page.body.data.map((a: any) => a.action_id));
      // A refund made meanwhile is newer than every page still to come: it does not shift them.
      if (sizes.length === 1) standIn.state.refund("shop_a", payment.fixture.id, { amount: 1 });
      path = page.body._links.next ? page.body._links.next.href.slice(standIn.url.length) : null;
    }
    expect(sizes).toEqual([100, 100, 50]);
    expect(seen).toEqual(expected);
  });
});

describe("payouts", () => {
  it("settle pays every unpaid action once, one payout per currency, with a report and its CSV", async () => {
    const usd = standIn.state.createPayment({ account: "shop_b", amount: 10_000, currency: "USD", capture: true, reference: 'Order "7", left' });
    tick();
    standIn.state.refund("shop_b", usd.fixture.id, { amount: 2_500 });
    const gbp = standIn.state.createPayment({ account: "shop_b", amount: 3_000, currency: "GBP", capture: true });
    tick();
    const payouts = standIn.state.settle("shop_b", { payoutDate: "2026-03-03" });
    expect(payouts.map((p) => p.currency)).toEqual(["GBP", "USD"]);
    const [gbpPayout, usdPayout] = payouts;
    for (const p of payouts) expect(p.id).toMatch(/^[0-9A-Z]{12}$/);
    expect(usdPayout.actions.map((a) => a.type)).toEqual(["Capture", "Refund"]);
    expect(gbpPayout.actions.map((a) => a.paymentId)).toEqual([gbp.fixture.id]);
    // 100 - 0.20 - 0.10 - 0.02 - 0.10 - 25 - 0.10
    expect(usdPayout.net).toBe("74.48");
    expect(gbpPayout.net).toBe("29.79");
    expect(standIn.state.settle("shop_b")).toEqual([]);

    // The report, through the API: it covers its actions' processing times.
    const actions = (await actionsOf(usd.fixture.id, OTHER_NAS_KEY)).reverse();
    const [capture, refund] = actions;
    const reports = await call(standIn, "GET", "/reports", { key: OTHER_NAS_KEY });
    const report = reports.body.data.find((r: any) => r.id === usdPayout.report.id);
    expect(report).toMatchObject({
      type: "FinancialActionsByPayoutId",
      tags: [`payout_id:${usdPayout.id}`],
      account: { entity_id: capture.entity_id, client_id: expect.stringMatching(/^cli_/) },
      created_on: now.toISOString(),
      from: capture.processed_on,
      to: refund.processed_on,
      files: [{ format: "CSV", filename: `financial-actions_${capture.entity_id}_20260303_${usdPayout.id}_1.csv` }],
    });

    // Its CSV, through the 302: one row per breakdown line, the same values as the API's actions.
    const file = await call(standIn, "GET", `/reports/${report.id}/files/${report.files[0].id}`, { key: OTHER_NAS_KEY, redirect: "manual" });
    expect(file.status).toBe(302);
    const download = await fetch(file.headers.get("location")!);
    expect(download.headers.get("content-type")).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(await download.text());
    expect(header).toEqual([...REPORT_COLUMNS]);
    const col = (row: string[], name: (typeof REPORT_COLUMNS)[number]) => row[header.indexOf(name)];
    const expectedRows = actions.flatMap((a) =>
      a.breakdown.map((b: any) => [a.action_id, a.action_type, a.payment_id, a.reference, a.processed_on, b.breakdown_type, b.holding_currency_amount]),
    );
    expect(
      rows.map((row) => [
        col(row, "Action ID"),
        col(row, "Action Type"),
        col(row, "Payment ID"),
        col(row, "Reference"),
        col(row, "Processed On"),
        col(row, "Breakdown Type"),
        Number(col(row, "Holding Currency Amount")),
      ]),
    ).toEqual(expectedRows);
    for (const row of rows) {
      expect(col(row, "Payout ID")).toBe(usdPayout.id);
      expect(col(row, "Client Entity ID")).toBe(capture.entity_id);
      expect([col(row, "Holding Currency"), col(row, "Processing Currency")]).toEqual(["USD", "USD"]);
      expect(col(row, "Processing Currency Amount")).toBe(col(row, "Holding Currency Amount"));
    }
    expect(rows.map((row) => col(row, "Holding Currency Amount"))).toEqual(["100.00", "-0.20", "-0.10", "-0.02", "-0.10", "-25.00", "-0.10"]);
    expect(col(rows[0], "Reference")).toBe('Order "7", left');

    // Only what is new goes into the next payout; a currency filter leaves the others unpaid.
    tick();
    standIn.state.refund("shop_b", usd.fixture.id, { amount: 500 });
    standIn.state.createPayment({ account: "shop_b", amount: 700, currency: "GBP", capture: true });
    const [onlyUsd] = standIn.state.settle("shop_b", { currency: "USD" });
    expect(onlyUsd.actions.map((a) => [a.type, a.currency])).toEqual([["Refund", "USD"]]);
    expect(standIn.state.settle("shop_b").map((p) => p.currency)).toEqual(["GBP"]);
  });

  it("another account sees none of it", async () => {
    const payment = standIn.state.createPayment({ account: "shop_a", amount: 900, currency: "CHF", capture: true });
    const [payout] = standIn.state.settle("shop_a", { currency: "CHF" });
    const { report } = payout;
    expect((await call(standIn, "GET", `/financial-actions?payment_id=${payment.fixture.id}`, { key: OTHER_NAS_KEY })).body).toMatchObject({
      count: 0,
      data: [],
    });
    const theirs = await call(standIn, "GET", "/reports", { key: OTHER_NAS_KEY });
    expect(theirs.body.data.map((r: any) => r.id)).not.toContain(report.id);
    const mine = await call(standIn, "GET", "/reports");
    const entity = mine.body.data.find((r: any) => r.id === report.id).account.entity_id;
    expect((await call(standIn, "GET", `/reports?entity_id=${entity}`, { key: OTHER_NAS_KEY })).body.data).toEqual([]);
    const details = await call(standIn, "GET", `/reports/${report.id}`, { key: OTHER_NAS_KEY });
    expect([details.status, details.body.error_codes]).toEqual([404, ["report_not_found"]]);
    const file = await call(standIn, "GET", `/reports/${report.id}/files/${report.file.id}`, { key: OTHER_NAS_KEY, redirect: "manual" });
    expect(file.status).toBe(404);
    expect(file.headers.get("location")).toBeNull();
  });

  it("the control route settles too, and refuses malformed input", async () => {
    standIn.state.createPayment({ account: "shop_a", amount: 1_500, currency: "SEK", capture: true });
    const settle = (body: unknown) => fetch(`${standIn.url}/_standin/settle`, { method: "POST", body: JSON.stringify(body) });
    const answer = await settle({ account: "shop_a", currency: "SEK", payoutDate: "2026-03-04" });
    expect(answer.status).toBe(201);
    const { payouts } = await answer.json();
    expect(payouts).toEqual([
      {
        payout_id: expect.stringMatching(/^[0-9A-Z]{12}$/),
        currency: "SEK",
        payout_date: "2026-03-04",
        net_amount: 14.835,
        action_ids: [expect.stringMatching(/^act_/)],
        report_id: expect.stringMatching(/^rpt_/),
        file_id: expect.stringMatching(/^file_/),
      },
    ]);
    expect((await (await settle({ account: "shop_a", currency: "SEK" })).json()).payouts).toEqual([]);
    expect((await settle({ payoutDate: "4 March" })).status).toBe(400);
    expect((await settle({ account: "nobody" })).status).toBe(422);
  });
});

describe("faults", () => {
  it("make the financial-actions and reports endpoints answer 401, 429 and 5xx, then recover", async () => {
    const payment = standIn.state.createPayment({ account: "shop_a", amount: 800, currency: "NOK", capture: true });
    const [{ report }] = standIn.state.settle("shop_a", { currency: "NOK" });
    const paths = [`/financial-actions?payment_id=${payment.fixture.id}`, "/reports", `/reports/${report.id}`, `/reports/${report.id}/files/${report.file.id}`];
    for (const status of [401, 429, 500, 503] as const) {
      standIn.faults.set({ status, paths: /^\/(financial-actions|reports)/ });
      for (const path of paths) {
        const answer = await call(standIn, "GET", path, { redirect: "manual" });
        expect([path, answer.status, answer.text]).toEqual([path, status, ""]);
      }
    }
    standIn.faults.set({ status: 429, count: 1, paths: /^\/reports/ });
    expect((await call(standIn, "GET", "/reports")).status).toBe(429);
    expect((await call(standIn, "GET", "/reports")).status).toBe(200);
    standIn.faults.clear();
    expect((await call(standIn, "GET", paths[3], { redirect: "manual" })).status).toBe(302);
  });
});
