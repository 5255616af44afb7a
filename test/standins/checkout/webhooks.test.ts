// Scenarios and payment actions end in signed webhooks delivered the way Checkout.com delivers them.
import { afterEach, describe, expect, it } from "vitest";
import { checkoutEvent, paymentEventData, paymentFixture, signBody } from "../../fixtures/checkout-events";
import { createCheckoutStandIn, type CheckoutStandIn } from "./server";
import { SCENARIOS } from "./scenarios";
import { ABC_TEST_KEY, abcAccount, call, nasAccount, SIGNATURE_KEY, startReceiver } from "./testing";

let standIn: CheckoutStandIn | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

afterEach(async () => {
  await standIn?.stop();
  await receiver?.close();
  standIn = receiver = undefined;
});

async function setUp(answers: Array<number | "hang"> = [200], webhooks = {}) {
  receiver = await startReceiver(answers);
  standIn = await createCheckoutStandIn({
    accounts: [nasAccount({ webhookUrl: receiver.url, authorizationHeader: "Bearer hook-secret-123" }), abcAccount({ webhookUrl: receiver.url })],
    actionLatencyMs: 1,
    webhooks: { delayMs: 0, retryDelaysMs: [20, 20], timeoutMs: 200, ...webhooks },
  });
  return { standIn, receiver };
}

describe("scenarios", () => {
  it.each([
    ["approved", ["payment_approved"]],
    ["approved_flagged", ["payment_approved"]],
    ["soft_decline", ["payment_declined"]],
    ["hard_decline", ["payment_declined"]],
    ["risk_decline", ["payment_declined"]],
    ["captured", ["payment_approved", "payment_captured"]],
    ["refunded", ["payment_approved", "payment_captured", "payment_refunded"]],
    ["dispute", ["payment_approved", "payment_captured", "dispute_received", "dispute_evidence_required"]],
  ] as const)("%s delivers %j in order, signed with the NAS signature key", async (name, types) => {
    const { standIn, receiver } = await setUp();
    const result = standIn.scenarios.play(name, { account: "shop_a", payment: { amount: 4200, currency: "GBP" } });
    await standIn.webhooks.idle();
    expect(receiver.events().map((e) => e.type)).toEqual(types);
    for (const hit of receiver.received) {
      expect(hit.headers["cko-signature"]).toBe(signBody(hit.body, SIGNATURE_KEY));
      expect(hit.headers.authorization).toBe("Bearer hook-secret-123");
      expect(hit.headers["content-type"]).toBe("application/json");
    }
    const [first] = receiver.events();
    expect(first).toMatchObject({ id: expect.stringMatching(/^evt_/), source: "gateway", version: "1.0.0", data: { id: result.payment.fixture.id } });
    expect(standIn.webhooks.deliveries().every((d) => d.state === "delivered" && d.attempts.length === 1)).toBe(true);
  });

  it("carries Checkout.com's response codes and risk for each payment story", async () => {
    const { standIn, receiver } = await setUp();
    const names = ["approved", "approved_flagged", "soft_decline", "hard_decline", "risk_decline"] as const;
    const paymentIds = names.map((name) => standIn.scenarios.play(name).payment.fixture.id);
    await standIn.webhooks.idle();
    // Separate scenarios are delivered concurrently: match events to scenarios by payment.
    const byPayment = new Map(receiver.events().map((e) => [e.data.id, e.data]));
    const data = paymentIds.map((id) => byPayment.get(id)).map((d) => [d.response_code, d.approved, d.risk.flagged, d.risk.score]);
    expect(data).toEqual([
      ["10000", true, false, 12],
      ["10100", true, true, 85],
      ["20051", false, false, 12],
      ["30004", false, false, 12],
      ["40101", false, true, 95],
    ]);
  });

  it("leaves the state the API then shows: the refunded payment and the open dispute", async () => {
    const { standIn } = await setUp();
    const refunded = standIn.scenarios.play("refunded", { payment: { amount: 999 } });
    const disputed = standIn.scenarios.play("dispute", { dispute: { category: "fraudulent" } });
    await standIn.webhooks.idle();
    expect((await call(standIn, "GET", `/payments/${refunded.payment.fixture.id}`)).body).toMatchObject({
      status: "Refunded",
      balances: { total_refunded: 999 },
    });
    const dispute = (await call(standIn, "GET", `/disputes/${disputed.dispute!.fixture.id}`)).body;
    expect(dispute).toMatchObject({ status: "evidence_required", category: "fraudulent", payment: { id: disputed.payment.fixture.id } });
  });

  it("opens a dispute on an existing payment, sending only the dispute events", async () => {
    const { standIn, receiver } = await setUp();
    const payment = standIn.state.createPayment({ capture: true });
    standIn.scenarios.play("dispute", { paymentId: payment.fixture.id });
    await standIn.webhooks.idle();
    expect(receiver.events().map((e) => [e.type, e.data.payment_id])).toEqual([
      ["dispute_received", payment.fixture.id],
      ["dispute_evidence_required", payment.fixture.id],
    ]);
  });

  it("signs ABC webhooks with the secret key, in the ABC envelope", async () => {
    const { standIn, receiver } = await setUp();
    standIn.scenarios.play("approved", { account: "shop_abc" });
    await standIn.webhooks.idle();
    const [hit] = receiver.received;
    expect(hit.headers["cko-signature"]).toBe(signBody(hit.body, ABC_TEST_KEY));
    expect(hit.headers.authorization).toBeUndefined();
    const event = JSON.parse(hit.body);
    expect(event).toHaveProperty("created_on");
    expect(event).toHaveProperty("_links");
    expect(event).not.toHaveProperty("source");
  });

  it("lists every scenario it can play", async () => {
    const { standIn } = await setUp();
    expect(standIn.scenarios.names).toEqual(Object.keys(SCENARIOS));
    expect(() => standIn.scenarios.play("nope" as never)).toThrow(/Unknown scenario/);
  });
});

describe("outcomes of API actions", () => {
  it("delivers payment_refunded for the action the 202 named, once, even when the request is repeated", async () => {
    const { standIn, receiver } = await setUp();
    const payment = standIn.state.createPayment({ capture: true, amount: 5000 });
    const request = { body: { amount: 1500 }, idempotencyKey: "refund-once" };
    const accepted = await call(standIn, "POST", `/payments/${payment.fixture.id}/refunds`, request);
    await call(standIn, "POST", `/payments/${payment.fixture.id}/refunds`, request);
    await standIn.webhooks.idle();
    expect(receiver.events().map((e) => [e.type, e.data.id, e.data.action_id, e.data.amount])).toEqual([
      ["payment_refunded", payment.fixture.id, accepted.body.action_id, 1500],
    ]);
  });

  it.each([
    ["captures", "Capture", false, "payment_captured"],
    ["voids", "Void", false, "payment_voided"],
    ["captures", "Capture", true, "payment_capture_declined"],
    ["voids", "Void", true, "payment_void_declined"],
  ] as const)("POST %s (%s, declined: %s) delivers %s", async (path, type, decline, eventType) => {
    const { standIn, receiver } = await setUp();
    const payment = standIn.state.createPayment({ amount: 3000 });
    if (decline) standIn.state.declineNext(payment.fixture.id, type);
    expect((await call(standIn, "POST", `/payments/${payment.fixture.id}/${path}`, { body: {} })).status).toBe(202);
    await standIn.webhooks.idle();
    expect(receiver.events().map((e) => e.type)).toEqual([eventType]);
    expect(receiver.events()[0].data.response_code).toBe(decline ? "20005" : "10000");
  });

  it("a declined refund leaves the balance untouched", async () => {
    const { standIn, receiver } = await setUp();
    const payment = standIn.state.createPayment({ capture: true, amount: 3000 });
    standIn.state.declineNext(payment.fixture.id, "Refund");
    await call(standIn, "POST", `/payments/${payment.fixture.id}/refunds`, { body: { amount: 3000 } });
    await standIn.webhooks.idle();
    expect(receiver.events().map((e) => e.type)).toEqual(["payment_refund_declined"]);
    expect((await call(standIn, "GET", `/payments/${payment.fixture.id}`)).body.balances).toMatchObject({ total_refunded: 0, available_to_refund: 3000 });
  });

  it("delivers dispute_evidence_submitted and dispute_accepted", async () => {
    const { standIn, receiver } = await setUp();
    const a = standIn.state.createDispute();
    const b = standIn.state.createDispute();
    await call(standIn, "PUT", `/disputes/${a.fixture.id}/evidence`, { body: { additional_evidence_text: "Receipt" } });
    await call(standIn, "POST", `/disputes/${a.fixture.id}/evidence`);
    await call(standIn, "POST", `/disputes/${b.fixture.id}/accept`);
    await standIn.webhooks.idle();
    expect(
      receiver
        .events()
        .map((e) => [e.type, e.data.id, e.data.status])
        .sort(),
    ).toEqual([
      ["dispute_accepted", b.fixture.id, "accepted"],
      ["dispute_evidence_submitted", a.fixture.id, "evidence_under_review"],
    ]);
  });
});

describe("delivery", () => {
  it("retries after a non-2xx answer until one succeeds", async () => {
    const { standIn, receiver } = await setUp([500, 503, 200]);
    standIn.scenarios.play("approved");
    await standIn.webhooks.idle();
    const [delivery] = standIn.webhooks.deliveries();
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(delivery.state).toBe("delivered");
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1); // the same event, byte for byte
  });

  it("gives up after the last retry", async () => {
    const { standIn, receiver } = await setUp([500]);
    standIn.scenarios.play("approved");
    await standIn.webhooks.idle();
    expect(standIn.webhooks.deliveries()[0]).toMatchObject({ state: "failed" });
    expect(receiver.received).toHaveLength(3);
  });

  it("treats a receiver that does not answer in time as a failure and retries", async () => {
    const { standIn } = await setUp(["hang", 200], { timeoutMs: 100 });
    standIn.scenarios.play("approved");
    await standIn.webhooks.idle();
    const [delivery] = standIn.webhooks.deliveries();
    expect(delivery.attempts[0].error).toMatch(/no answer within 100 ms/);
    expect(delivery.attempts[1].status).toBe(200);
  });

  it("records a refused connection and retries", async () => {
    const { standIn, receiver } = await setUp();
    await receiver.close();
    standIn.scenarios.play("approved");
    await standIn.webhooks.idle();
    const [delivery] = standIn.webhooks.deliveries();
    expect(delivery.state).toBe("failed");
    expect(delivery.attempts.every((a) => a.error && a.status === undefined)).toBe(true);
  });

  it("delivers any event given to it, signed", async () => {
    const { standIn, receiver } = await setUp();
    const event = checkoutEvent("payment_pending", paymentEventData("payment_pending", paymentFixture()));
    standIn.deliverEvent("shop_a", event);
    await standIn.webhooks.idle();
    expect(receiver.received[0].body).toBe(JSON.stringify(event));
    expect(receiver.received[0].headers["cko-signature"]).toBe(signBody(JSON.stringify(event), SIGNATURE_KEY));
  });

  it("sends nothing for an account without a webhook URL", async () => {
    standIn = await createCheckoutStandIn({ accounts: [nasAccount()], webhooks: { delayMs: 0 } });
    expect(standIn.scenarios.play("captured").deliveries).toEqual([]);
    expect(standIn.webhooks.deliveries()).toEqual([]);
  });
});
