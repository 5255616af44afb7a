// A hostile order note, reaching the evidence builder the way it would in production: a customer (or
// a compromised staff account) leaves a note of 1 MB without a single space on a Shopify order, the
// order is disputed, and the merchant rebuilds the evidence. On the REAL production server (the Remix
// build, the in-process worker, Shopify through the relay) the build must answer in seconds with a
// valid, cut PDF, and Checkout.com webhooks sent meanwhile must still be acknowledged at once: the
// PDF is laid out in a worker thread, in linear time, from capped texts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PDFDocument } from "pdf-lib";
import { db } from "../../app/db.server";
import { startBenchApp, type BenchApp } from "../bench/bench-app";
import { checkoutEvent, paymentEventData, paymentFixture } from "../fixtures/checkout-events";
import { postSigned } from "../helpers/checkout-webhooks";
import { deliveredOrderInput } from "../helpers/disputes";
import { createPayment } from "../helpers/holds";
import { sessionToken } from "../helpers/session-token";

const MB = 1024 * 1024;
const EVERY_TYPE = [
  "proof_of_delivery_or_service",
  "invoice_or_receipt",
  "invoice_showing_distinct_transactions",
  "customer_communication",
  "refund_or_cancellation_policy",
  "recurring_transaction_agreement",
  "additional_evidence",
];

let app: BenchApp;

beforeAll(async () => {
  app = await startBenchApp({ env: { LOG_LEVEL: "error" }, onStderr: () => {} });
  // Warm: the first delivery and the first build load modules and start the PDF thread.
  expect(await postSigned(app.webhookUrl, checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture())))).toBe(200);
  expect((await rebuild((await disputeWithNote("Leave with a neighbour.", 0)).id)).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

/** A dispute on an order whose note is `note`, with its payment matched to the order. */
async function disputeWithNote(note: string, n: number) {
  const order = app.shopify.store.createOrder({ shop: app.shop.domain, ...deliveredOrderInput({ note }) });
  const payment = await createPayment(app.shop.id, { status: "Captured", riskFlagged: false, avsCheck: "Y", cvvCheck: "Y" });
  await db().orderLink.create({
    data: { shopId: app.shop.id, paymentId: payment.id, orderGid: order.id, orderName: order.name, matchedBy: "reference_name", confidence: "strong" },
  });
  return db().dispute.create({
    data: {
      shopId: app.shop.id,
      ckoDisputeId: `dsp_hostilenote${String(n).padStart(10, "0")}`,
      paymentId: payment.id,
      ckoPaymentId: payment.ckoPaymentId,
      orderGid: order.id,
      category: "general",
      amount: 9400,
      currency: "USD",
      status: "evidence_required",
      evidenceRequiredBy: new Date(Date.now() + 7 * 86_400_000),
      relevantEvidence: JSON.stringify(EVERY_TYPE),
    },
  });
}

/** The merchant's "Rebuild from the order" on the dispute page, as the embedded admin sends it. */
async function rebuild(disputeId: string) {
  const response = await fetch(`${app.server.url}/app/disputes/${disputeId}?_data=${encodeURIComponent("routes/app.disputes.$id")}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: `Bearer ${sessionToken(app.shop.domain)}`,
      // authenticate.admin answers 410 to user agents isbot flags, as fetch's "node" is.
      "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    },
    body: new URLSearchParams({ intent: "rebuild" }),
  });
  const text = await response.text();
  if (!text.startsWith("{"))
    throw new Error(`rebuild answered ${response.status}: ${JSON.stringify(Object.fromEntries(response.headers))} ${text.slice(0, 300)}`);
  return { status: response.status, body: JSON.parse(text) as { ok: boolean; message: string } };
}

describe("an order note of 1 MB in an evidence build on the production server", () => {
  it.each([
    ["without a space", "x".repeat(MB)],
    ["in words", "Deliver to the back door please and ring twice. ".repeat(Math.ceil(MB / 48)).slice(0, MB)],
  ])(
    "%s: the build answers in seconds with a valid, cut PDF, and webhooks meanwhile are acknowledged at once",
    async (_name, note) => {
      const dispute = await disputeWithNote(note, note.includes(" ") ? 2 : 1);
      let building = true;
      const acks: number[] = [];
      const statuses: Array<number | string> = [];
      const deliveries = (async () => {
        while (building) {
          const event = checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture()));
          const started = performance.now();
          statuses.push(await postSigned(app.webhookUrl, event));
          acks.push(performance.now() - started);
        }
      })();
      const started = performance.now();
      const answer = await rebuild(dispute.id).finally(() => (building = false));
      const buildMs = performance.now() - started;
      await deliveries;

      expect(answer).toEqual({ status: 200, body: { ok: true, message: "Evidence rebuilt from the order." } });
      // Generous bounds: this machine is shared (npm run bench:evidence measures). Before the fix this
      // build never finished: wrapping the unbroken note was cubic in its length, on the event loop.
      expect(buildMs).toBeLessThan(20_000);
      const files = await db().evidenceFile.findMany({ where: { disputeId: dispute.id } });
      expect(files.map((f) => f.field)).toContain("customer_communication_file");
      expect(files.length).toBeGreaterThanOrEqual(5);
      const conversation = files.find((f) => f.field === "customer_communication_file")!;
      expect((await PDFDocument.load(conversation.data, { updateMetadata: false })).getPageCount()).toBeLessThanOrEqual(6);
      // The intake figure (p99 while builds run) is npm run bench:evidence's; here, that every delivery
      // was acknowledged well within Checkout.com's 10 s while the build ran.
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(acks.length).toBeGreaterThan(0);
      expect(Math.max(...acks)).toBeLessThan(5_000);
    },
    60_000,
  );
});
