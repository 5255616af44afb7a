// The app's own Checkout.com client (checkout-sdk-node through app/checkout/client.server.ts) works
// against the stand-in end to end: every call the app makes, its error mapping, and its retries.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCheckoutClient } from "../../../app/checkout/client.server";
import { CheckoutError } from "../../../app/checkout/errors";
import { createCheckoutStandIn, type CheckoutStandIn } from "./server";
import { ABC_TEST_KEY, abcAccount, NAS_SANDBOX_KEY, nasAccount, OTHER_NAS_KEY, otherNasAccount, SAMPLE_FILES } from "./testing";

let standIn: CheckoutStandIn;

beforeAll(async () => {
  standIn = await createCheckoutStandIn({ accounts: [nasAccount(), otherNasAccount(), abcAccount()], actionLatencyMs: 1 });
});
afterAll(() => standIn.stop());
beforeEach(() => standIn.faults.clear());

const noWait = async () => {};
const nasClient = (secretKey = NAS_SANDBOX_KEY) =>
  createCheckoutClient(
    { accountType: "NAS", environment: "sandbox", secretKey, subdomain: "abcd1234" },
    { baseUrl: standIn.url, retry: { retries: 3, baseMs: 1, maxMs: 2 }, wait: noWait },
  );

const requestsTo = (pattern: RegExp) => standIn.requests.filter((r) => pattern.test(r.path));

describe("checkout-sdk-node against the stand-in", () => {
  it("reads a payment and its actions", async () => {
    const stored = standIn.state.createPayment({ account: "shop_a", amount: 6540, currency: "USD", riskScore: 77, capture: true });
    const payment = await nasClient().getPayment(stored.fixture.id);
    expect(payment).toMatchObject({ id: stored.fixture.id, status: "Captured", amount: 6540, risk: { score: 77 }, balances: { available_to_refund: 6540 } });
    const actions = await nasClient().getPaymentActions(stored.fixture.id);
    expect(actions.map((a) => a.type)).toEqual(["Capture", "Authorization"]);
  });

  it("captures, refunds and voids with the idempotency key the app gives", async () => {
    const toCapture = standIn.state.createPayment({ account: "shop_a", amount: 2000 }).fixture.id;
    const captured = await nasClient().capture(toCapture, { amount: 2000, reference: "CAP-1" }, "cap-key-1");
    expect(captured).toMatchObject({ action_id: expect.stringMatching(/^act_/), reference: "CAP-1" });
    const refunded = await nasClient().refund(toCapture, { amount: 500 }, "ref-key-1");
    expect(refunded.action_id).toMatch(/^act_/);
    const toVoid = standIn.state.createPayment({ account: "shop_a" }).fixture.id;
    await nasClient().void(toVoid, { reference: "VOID-1" }, "void-key-1");
    expect((await nasClient().getPayment(toCapture)).status).toBe("Partially Refunded");
    expect((await nasClient().getPayment(toVoid)).status).toBe("Voided");
    expect(
      requestsTo(new RegExp(`(${toCapture}|${toVoid})/(captures|refunds|voids)$`)).map((r) => [r.path.split("/").pop(), r.idempotencyKey, r.status]),
    ).toEqual([
      ["captures", "cap-key-1", 202],
      ["refunds", "ref-key-1", 202],
      ["voids", "void-key-1", 202],
    ]);
  });

  it("lists and reads disputes, uploads a file, provides and submits evidence, accepts another dispute", async () => {
    const payment = standIn.state.createPayment({ account: "shop_a", capture: true, reference: "#2001" });
    const dispute = standIn.state.createDispute({ account: "shop_a", paymentId: payment.fixture.id, category: "product_service_not_received" });
    const toAccept = standIn.state.createDispute({ account: "shop_a" });
    const client = nasClient();

    const list = await client.listDisputes({ limit: 10, payment_id: payment.fixture.id });
    expect(list).toMatchObject({ limit: 10, total_count: 1, data: [{ id: dispute.fixture.id, payment_reference: "#2001" }] });
    expect(await client.getDispute(dispute.fixture.id)).toMatchObject({
      id: dispute.fixture.id,
      status: "evidence_required",
      relevant_evidence: ["proof_of_delivery_or_service", "customer_communication"],
      payment: { id: payment.fixture.id },
    });

    const file = await client.uploadFile({ filename: "proof-of-delivery.pdf", data: SAMPLE_FILES.pdf });
    expect(file.id).toMatch(/^file_/);
    expect(standIn.state.files.get(file.id)).toMatchObject({
      filename: "proof-of-delivery.pdf",
      contentType: "application/pdf",
      size: SAMPLE_FILES.pdf.length,
    });

    await client.provideEvidence(
      dispute.fixture.id,
      { proof_of_delivery_or_service_file: file.id, proof_of_delivery_or_service_text: "Delivered 2026-11-02, signed" },
      "evidence-1",
    );
    expect(standIn.state.disputes.get(dispute.fixture.id)!.evidence).toEqual({
      proof_of_delivery_or_service_file: file.id,
      proof_of_delivery_or_service_text: "Delivered 2026-11-02, signed",
    });
    await client.submitEvidence(dispute.fixture.id, "submit-1");
    expect((await client.getDispute(dispute.fixture.id)).status).toBe("evidence_under_review");
    await client.acceptDispute(toAccept.fixture.id, "accept-1");
    expect((await client.getDispute(toAccept.fixture.id)).status).toBe("accepted");
    const submits = requestsTo(new RegExp(`/disputes/${dispute.fixture.id}/evidence$`)).filter((r) => r.method !== "GET");
    expect(submits.map((r) => [r.method, r.idempotencyKey, r.status])).toEqual([
      ["PUT", "evidence-1", 204],
      ["POST", "submit-1", 204],
    ]);
  });

  it("lists a reference's payments and the open disputes, with values a URL must encode", async () => {
    const reference = "#3001 & more";
    const paid = standIn.state.createPayment({ account: "shop_a", reference, capture: true });
    standIn.state.createPayment({ account: "shop_a", reference: "#3001" });
    const payments = await nasClient().listPayments({ reference, limit: 100 });
    expect(payments).toMatchObject({ limit: 100, skip: 0, total_count: 1, data: [{ id: paid.fixture.id, reference, status: "Captured" }] });

    const open = standIn.state.createDispute({ account: "shop_a", paymentId: paid.fixture.id });
    const closed = standIn.state.createDispute({ account: "shop_a", paymentId: paid.fixture.id });
    standIn.state.setDisputeStatus(closed.fixture.id, "won");
    const listed = await nasClient().listDisputes({ payment_id: paid.fixture.id, statuses: ["evidence_required", "evidence_under_review"] });
    expect(listed.data.map((d) => d.id)).toEqual([open.fixture.id]);
  });

  it("works for an ABC account with its bare secret key", async () => {
    const stored = standIn.state.createPayment({ account: "shop_abc", amount: 1234 });
    const client = createCheckoutClient({ accountType: "ABC", environment: "sandbox", secretKey: ABC_TEST_KEY }, { baseUrl: standIn.url });
    expect(await client.getPayment(stored.fixture.id)).toMatchObject({ id: stored.fixture.id, amount: 1234 });
  });
});

describe("the app's error handling against the stand-in", () => {
  it("maps a wrong key to authentication and another account's payment to not_found", async () => {
    const stored = standIn.state.createPayment({ account: "shop_a" });
    const wrongKey = await nasClient("sk_sbox_unknownunknownunknownunknown2")
      .getPayment(stored.fixture.id)
      .catch((e) => e);
    expect(wrongKey).toMatchObject({ kind: "authentication", status: 401 });
    const otherAccount = await nasClient(OTHER_NAS_KEY)
      .getPayment(stored.fixture.id)
      .catch((e) => e);
    expect(otherAccount).toBeInstanceOf(CheckoutError);
    expect(otherAccount).toMatchObject({ kind: "not_found", status: 404 });
  });

  it("reports a refund beyond the balance as a validation error with Checkout.com's code", async () => {
    const stored = standIn.state.createPayment({ account: "shop_a", amount: 1000, capture: true });
    const error = await nasClient()
      .refund(stored.fixture.id, { amount: 1001 }, "too-much")
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "validation", status: 422, codes: ["refund_amount_exceeds_balance"] });
  });

  it("retries a refund through 503s with its key and refunds once", async () => {
    const stored = standIn.state.createPayment({ account: "shop_a", amount: 1000, capture: true });
    standIn.faults.set({ status: 503, count: 2, paths: /\/refunds$/ });
    await nasClient().refund(stored.fixture.id, { amount: 400 }, "retry-through-503");
    expect(requestsTo(new RegExp(`${stored.fixture.id}/refunds$`)).map((r) => r.status)).toEqual([503, 503, 202]);
    expect(stored.refunded).toBe(400);
  });

  it("retries a refund whose answer was lost and gets the first result: one refund", async () => {
    const stored = standIn.state.createPayment({ account: "shop_a", amount: 1000, capture: true });
    standIn.faults.set({ status: 502, count: 1, when: "after", paths: /\/refunds$/ });
    const result = await nasClient().refund(stored.fixture.id, { amount: 400 }, "lost-answer");
    expect(requestsTo(new RegExp(`${stored.fixture.id}/refunds$`)).map((r) => r.status)).toEqual([502, 202]);
    expect(stored.refunded).toBe(400);
    expect(result.action_id).toBe(stored.actions.find((a) => a.type === "Refund")!.id);
  });

  it("retries reads on 429", async () => {
    const stored = standIn.state.createPayment({ account: "shop_a" });
    standIn.faults.set({ status: 429, count: 1, methods: ["GET"] });
    await expect(nasClient().getPayment(stored.fixture.id)).resolves.toMatchObject({ id: stored.fixture.id });
    expect(requestsTo(new RegExp(`${stored.fixture.id}$`)).map((r) => r.status)).toEqual([429, 200]);
  });
});
