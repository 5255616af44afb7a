// The stand-in's API behaves like Checkout.com's: authentication, accounts kept apart, payment action
// rules, idempotency keys, injected failures, file uploads and dispute evidence.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCheckoutStandIn, type CheckoutStandIn } from "./server";
import { MAX_FILE_BYTES } from "./requests";
import { ABC_TEST_KEY, abcAccount, call, fileForm, nasAccount, OTHER_NAS_KEY, otherNasAccount, SAMPLE_FILES } from "./testing";

let standIn: CheckoutStandIn;
let now: Date;

async function start(overrides: Partial<Parameters<typeof createCheckoutStandIn>[0]> = {}) {
  now = new Date("2026-11-20T10:00:00Z");
  standIn = await createCheckoutStandIn({
    accounts: [nasAccount(), otherNasAccount(), abcAccount()],
    clock: () => now,
    actionLatencyMs: 5,
    ...overrides,
  });
}

beforeEach(() => start());
afterEach(() => standIn.stop());

const authorized = (amount = 1000) => standIn.state.createPayment({ account: "shop_a", amount, currency: "EUR" }).fixture.id;
const captured = (amount = 1000) => standIn.state.createPayment({ account: "shop_a", amount, currency: "EUR", capture: true }).fixture.id;
const paymentBalances = async (id: string) => (await call(standIn, "GET", `/payments/${id}`)).body.balances;

describe("authentication", () => {
  it("answers 401 with an empty body without a key, with an unknown key, or with the wrong scheme", async () => {
    const id = authorized();
    const wrong: Array<Record<string, string>> = [
      {},
      { Authorization: "Bearer sk_sbox_unknownunknownunknownunknown2" },
      { Authorization: nasAccount().secretKey },
      { Authorization: `Bearer ${ABC_TEST_KEY}` },
    ];
    for (const headers of wrong) {
      const answer = await call(standIn, "GET", `/payments/${id}`, { key: null, headers });
      expect(answer.status).toBe(401);
      expect(answer.text).toBe("");
    }
  });

  it("accepts `Bearer sk_...` for NAS and the bare key for ABC", async () => {
    const nas = authorized();
    const abc = standIn.state.createPayment({ account: "shop_abc" }).fixture.id;
    expect((await call(standIn, "GET", `/payments/${nas}`)).status).toBe(200);
    expect((await call(standIn, "GET", `/payments/${abc}`, { key: ABC_TEST_KEY })).status).toBe(200);
  });
});

describe("accounts are kept apart", () => {
  it("gives 404 for another account's payment, actions, dispute, evidence and file, and changes nothing", async () => {
    const id = captured();
    const dispute = standIn.state.createDispute({ account: "shop_a", paymentId: id }).fixture.id;
    const upload = await call(standIn, "POST", "/files", { rawBody: fileForm(SAMPLE_FILES.pdf, "r.pdf") });
    const asB = { key: OTHER_NAS_KEY };
    for (const [method, path, body] of [
      ["GET", `/payments/${id}`],
      ["GET", `/payments/${id}/actions`],
      ["POST", `/payments/${id}/refunds`, { amount: 100 }],
      ["POST", `/payments/${id}/voids`, {}],
      ["GET", `/disputes/${dispute}`],
      ["GET", `/disputes/${dispute}/evidence`],
      ["PUT", `/disputes/${dispute}/evidence`, { additional_evidence_text: "x" }],
      ["POST", `/disputes/${dispute}/evidence`],
      ["POST", `/disputes/${dispute}/accept`],
      ["GET", `/files/${upload.body.id}`],
    ] as const) {
      const answer = await call(standIn, method, path, { ...asB, body });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.text).toBe("");
    }
    expect((await call(standIn, "GET", "/disputes", asB)).body.total_count).toBe(0);
    expect((await paymentBalances(id)).total_refunded).toBe(0);
    expect(standIn.state.disputes.get(dispute)!.fixture.status).toBe("evidence_required");
  });

  it("does not accept another account's file as evidence", async () => {
    const dispute = standIn.state.createDispute({ account: "shop_a" }).fixture.id;
    const bFile = await call(standIn, "POST", "/files", { key: OTHER_NAS_KEY, rawBody: fileForm(SAMPLE_FILES.png, "b.png") });
    const answer = await call(standIn, "PUT", `/disputes/${dispute}/evidence`, { body: { proof_of_delivery_or_service_file: bFile.body.id } });
    expect(answer.status).toBe(422);
    expect(answer.body.error_codes).toEqual(["proof_of_delivery_or_service_file_invalid"]);
  });
});

describe("payments by reference", () => {
  it("lists the account's payments with that reference, most recent first, with paging", async () => {
    const first = standIn.state.createPayment({ account: "shop_a", reference: "#1042" }).fixture.id;
    now = new Date(now.getTime() + 60_000);
    const retried = standIn.state.createPayment({ account: "shop_a", reference: "#1042", capture: true }).fixture.id;
    standIn.state.createPayment({ account: "shop_a", reference: "#1043" });
    standIn.state.createPayment({ account: "shop_b", reference: "#1042" });

    const all = (await call(standIn, "GET", `/payments?reference=${encodeURIComponent("#1042")}`)).body;
    expect(all).toMatchObject({ limit: 10, skip: 0, total_count: 2 });
    expect(all.data.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
      [retried, "Captured"],
      [first, "Authorized"],
    ]);
    const page = (await call(standIn, "GET", `/payments?reference=%231042&limit=1&skip=1`)).body;
    expect(page).toMatchObject({ limit: 1, skip: 1, total_count: 2, data: [{ id: first }] });
    expect((await call(standIn, "GET", "/payments?reference=1042")).body).toMatchObject({ total_count: 0, data: [] });
    expect((await call(standIn, "GET", "/payments?reference=%231042", { key: OTHER_NAS_KEY })).body.total_count).toBe(1);
  });

  it("refuses a missing reference and bad paging with 422, and no key with 401", async () => {
    for (const [query, code] of [
      ["", "reference_required"],
      ["reference=", "reference_required"],
      ["reference=R&limit=0", "paging_limit_invalid"],
      ["reference=R&limit=101", "paging_limit_invalid"],
      ["reference=R&skip=-1", "paging_skip_invalid"],
    ]) {
      const refused = await call(standIn, "GET", `/payments?${query}`);
      expect(refused.status, query).toBe(422);
      expect(refused.body.error_codes).toEqual([code]);
    }
    const anonymous = await call(standIn, "GET", "/payments?reference=R", { key: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).toBe("");
  });
});

describe("payment actions", () => {
  it("captures in parts with NonFinal, refuses more than what remains, and updates balances and status", async () => {
    const id = authorized(1000);
    expect((await call(standIn, "POST", `/payments/${id}/captures`, { body: { amount: 1200 } })).body.error_codes).toEqual([
      "capture_value_greater_than_authorized",
    ]);
    expect((await call(standIn, "POST", `/payments/${id}/captures`, { body: { amount: 400, capture_type: "NonFinal" } })).status).toBe(202);
    const tooMuch = await call(standIn, "POST", `/payments/${id}/captures`, { body: { amount: 700 } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error_codes).toEqual(["capture_value_greater_than_remaining_authorized"]);
    expect((await call(standIn, "GET", `/payments/${id}`)).body).toMatchObject({
      status: "Partially Captured",
      balances: { total_captured: 400, available_to_capture: 600, available_to_refund: 400, available_to_void: 0 },
    });
    expect((await call(standIn, "POST", `/payments/${id}/captures`, {})).status).toBe(202);
    expect((await call(standIn, "GET", `/payments/${id}`)).body).toMatchObject({
      status: "Captured",
      balances: { total_captured: 1000, available_to_capture: 0 },
    });
    expect((await call(standIn, "POST", `/payments/${id}/captures`, { body: { amount: 1 } })).status).toBe(403);
  });

  it("closes the authorization after a Final (default) partial capture", async () => {
    const id = authorized(1000);
    expect((await call(standIn, "POST", `/payments/${id}/captures`, { body: { amount: 300 } })).status).toBe(202);
    expect((await paymentBalances(id)).available_to_capture).toBe(0);
    expect((await call(standIn, "POST", `/payments/${id}/captures`, { body: { amount: 100 } })).status).toBe(403);
  });

  it("refunds only captured money and never more than what is left", async () => {
    const onlyAuthorized = authorized();
    expect((await call(standIn, "POST", `/payments/${onlyAuthorized}/refunds`, { body: { amount: 100 } })).status).toBe(403);

    const id = captured(1000);
    const first = await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 600, reference: "R-1" } });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      action_id: expect.stringMatching(/^act_/),
      reference: "R-1",
      _links: { payment: { href: `${standIn.url}/payments/${id}` } },
    });
    const second = await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 600 } });
    expect(second.status).toBe(422);
    expect(second.body).toEqual({ request_id: expect.any(String), error_type: "request_invalid", error_codes: ["refund_amount_exceeds_balance"] });
    expect((await call(standIn, "GET", `/payments/${id}`)).body).toMatchObject({
      status: "Partially Refunded",
      balances: { total_refunded: 600, available_to_refund: 400 },
    });
    expect((await call(standIn, "POST", `/payments/${id}/refunds`, {})).status).toBe(202); // the rest
    expect((await call(standIn, "GET", `/payments/${id}`)).body).toMatchObject({
      status: "Refunded",
      balances: { total_refunded: 1000, available_to_refund: 0 },
    });
    expect((await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 1 } })).body.error_codes).toEqual(["refund_amount_exceeds_balance"]);
  });

  it("voids only an authorized, uncaptured payment", async () => {
    const id = authorized();
    expect((await call(standIn, "POST", `/payments/${id}/voids`, { body: { reference: "V-1" } })).status).toBe(202);
    expect((await call(standIn, "GET", `/payments/${id}`)).body).toMatchObject({
      status: "Voided",
      balances: { total_voided: 1000, available_to_capture: 0, available_to_void: 0 },
    });
    expect((await call(standIn, "POST", `/payments/${id}/voids`, {})).status).toBe(403);
    expect((await call(standIn, "POST", `/payments/${id}/captures`, {})).status).toBe(403);
    expect((await call(standIn, "POST", `/payments/${captured()}/voids`, {})).status).toBe(403);
    const declined = standIn.state.createPayment({ account: "shop_a", responseCode: "20051", responseSummary: "Insufficient Funds" }).fixture.id;
    expect((await call(standIn, "POST", `/payments/${declined}/voids`, {})).status).toBe(403);
  });

  it("lists actions latest first, including the authorization", async () => {
    const id = captured(1000);
    await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 250 } });
    const actions = (await call(standIn, "GET", `/payments/${id}/actions`)).body;
    expect(actions.map((a: { type: string; amount: number }) => [a.type, a.amount])).toEqual([
      ["Refund", 250],
      ["Capture", 1000],
      ["Authorization", 1000],
    ]);
  });

  it("refuses bodies the API does not describe with 422 request_invalid, and acts on none of them", async () => {
    const id = captured(1000);
    const cases: Array<[unknown, string[]]> = [
      [{ amount: 100, reason: "customer asked" }, ["reason_invalid"]],
      [{ amount: "100" }, ["amount_invalid"]],
      [{ amount: 10.5 }, ["amount_invalid"]],
      [{ amount: -1 }, ["amount_invalid"]],
      [{ reference: "x".repeat(51) }, ["reference_invalid"]],
      [{ metadata: { nested: { a: 1 } } }, ["metadata_invalid"]],
      [[100], ["request_invalid"]],
    ];
    for (const [body, codes] of cases) {
      const answer = await call(standIn, "POST", `/payments/${id}/refunds`, { body });
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error_codes).toEqual(codes);
    }
    const notJson = await call(standIn, "POST", `/payments/${id}/refunds`, { rawBody: "{amount:1", headers: { "Content-Type": "application/json" } });
    expect(notJson.body.error_codes).toEqual(["request_json_invalid"]);
    expect((await call(standIn, "POST", `/payments/${authorized()}/voids`, { body: { amount: 100 } })).body.error_codes).toEqual(["amount_invalid"]);
    expect((await paymentBalances(id)).total_refunded).toBe(0);
  });

  it("answers 404 for an unknown payment and an unknown route", async () => {
    expect((await call(standIn, "GET", "/payments/pay_doesnotexist")).status).toBe(404);
    expect((await call(standIn, "GET", "/nothing-here")).status).toBe(404);
  });
});

describe("Cko-Idempotency-Key", () => {
  it("answers a repeat with the first status and body and does not refund twice", async () => {
    const id = captured(1000);
    const first = await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 400 }, idempotencyKey: "refund-1" });
    const again = await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 400 }, idempotencyKey: "refund-1" });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.text).toBe(first.text);
    expect((await paymentBalances(id)).total_refunded).toBe(400);
    const refunds = standIn.state.payments.get(id)!.actions.filter((a) => a.type === "Refund");
    expect(refunds).toHaveLength(1);
  });

  it("gives 409 to a duplicate that arrives while the first is in flight; only one acts", async () => {
    await standIn.stop();
    await start({ actionLatencyMs: 60 });
    const id = captured(1000);
    const [a, b] = await Promise.all([
      call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 300 }, idempotencyKey: "double-click" }),
      call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 300 }, idempotencyKey: "double-click" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    expect([a, b].find((r) => r.status === 409)!.text).toBe("");
    expect((await paymentBalances(id)).total_refunded).toBe(300);
    const later = await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 300 }, idempotencyKey: "double-click" });
    expect(later.text).toBe([a, b].find((r) => r.status === 202)!.text);
  });

  it("saves nothing for a refused request, so the same key can be used again", async () => {
    const id = captured(1000);
    const refused = await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 5000 }, idempotencyKey: "k" });
    expect(refused.status).toBe(422);
    const retried = await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 500 }, idempotencyKey: "k" });
    expect(retried.status).toBe(202);
  });

  it("refuses the key for a different request", async () => {
    const id = captured(1000);
    await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 100 }, idempotencyKey: "k" });
    const other = await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 200 }, idempotencyKey: "k" });
    expect(other.status).toBe(422);
    expect(other.body.error_codes).toEqual(["idempotency_key_reused"]);
    expect((await paymentBalances(id)).total_refunded).toBe(100);
  });

  it("forgets keys after 24 hours", async () => {
    const id = captured(1000);
    const request = { body: { amount: 100 }, idempotencyKey: "daily" };
    await call(standIn, "POST", `/payments/${id}/refunds`, request);
    now = new Date(now.getTime() + 24 * 3600_000 - 1000);
    await call(standIn, "POST", `/payments/${id}/refunds`, request);
    expect((await paymentBalances(id)).total_refunded).toBe(100);
    now = new Date(now.getTime() + 2000);
    await call(standIn, "POST", `/payments/${id}/refunds`, request);
    expect((await paymentBalances(id)).total_refunded).toBe(200);
  });

  it("keeps keys per account", async () => {
    const a = captured(1000);
    const b = standIn.state.createPayment({ account: "shop_b", capture: true }).fixture.id;
    await call(standIn, "POST", `/payments/${a}/voids`, { idempotencyKey: "same" });
    const onB = await call(standIn, "POST", `/payments/${b}/refunds`, { key: OTHER_NAS_KEY, body: { amount: 10 }, idempotencyKey: "same" });
    expect(onB.status).toBe(202);
  });
});

describe("fault injection", () => {
  it("fails the next N matching requests, then answers normally", async () => {
    const id = authorized();
    standIn.faults.set({ status: 503, count: 2, paths: /^\/payments\// });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(standIn, "GET", `/payments/${id}`)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await call(standIn, "GET", "/disputes")).status).toBe(200);
    expect(standIn.faults.injected).toBe(2);
  });

  it("fails the given share of requests", async () => {
    await standIn.stop();
    const draws = [0.1, 0.9, 0.3, 0.7];
    let i = 0;
    await start({ random: () => draws[i++ % draws.length] });
    standIn.faults.set({ status: 429, rate: 0.5 });
    const statuses = [];
    for (let n = 0; n < 4; n++) statuses.push((await call(standIn, "GET", "/disputes")).status);
    expect(statuses).toEqual([429, 200, 429, 200]);
  });

  it("fails before acting by default: the refund does not happen", async () => {
    const id = captured(1000);
    standIn.faults.set({ status: 500, methods: ["POST"] });
    expect((await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 100 } })).status).toBe(500);
    standIn.faults.clear();
    expect((await paymentBalances(id)).total_refunded).toBe(0);
  });

  it("with when: after, acts and loses the answer; a retry with the same key gets the first result", async () => {
    const id = captured(1000);
    standIn.faults.set({ status: 502, count: 1, when: "after", methods: ["POST"] });
    const lost = await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 100 }, idempotencyKey: "r1" });
    expect(lost.status).toBe(502);
    expect((await paymentBalances(id)).total_refunded).toBe(100);
    const retried = await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 100 }, idempotencyKey: "r1" });
    expect(retried.status).toBe(202);
    expect((await paymentBalances(id)).total_refunded).toBe(100);
    expect(retried.body.action_id).toBe(standIn.state.payments.get(id)!.actions.at(-1)!.id);
  });
});

describe("files", () => {
  it("accepts PDF, PNG and JPG evidence and describes it", async () => {
    for (const [name, data] of [
      ["receipt.pdf", SAMPLE_FILES.pdf],
      ["photo.png", SAMPLE_FILES.png],
      ["scan.jpg", SAMPLE_FILES.jpg],
    ] as const) {
      const upload = await call(standIn, "POST", "/files", { rawBody: fileForm(data, name) });
      expect(upload.status).toBe(200);
      expect(upload.body).toEqual({ id: expect.stringMatching(/^file_/), _links: { self: { href: `${standIn.url}/files/${upload.body.id}` } } });
      const info = await call(standIn, "GET", `/files/${upload.body.id}`);
      expect(info.body).toMatchObject({ id: upload.body.id, filename: name, purpose: "dispute_evidence", size: data.length, uploaded_on: now.toISOString() });
      const download = await fetch(info.body._links.download.href);
      expect(Buffer.from(await download.arrayBuffer())).toEqual(data);
    }
  });

  it("judges the type by content, not by name", async () => {
    const fake = await call(standIn, "POST", "/files", {
      rawBody: fileForm(Buffer.from("just text, not a PDF"), "invoice.pdf", "dispute_evidence", "application/pdf"),
    });
    expect(fake.status).toBe(422);
    expect(fake.body.error_codes).toEqual(["file_type_not_supported"]);
    const gif = await call(standIn, "POST", "/files", { rawBody: fileForm(Buffer.from("GIF89a...."), "a.gif") });
    expect(gif.body.error_codes).toEqual(["file_type_not_supported"]);
  });

  it("accepts 4 MB and refuses one byte more", async () => {
    const exactly = Buffer.concat([SAMPLE_FILES.png, Buffer.alloc(MAX_FILE_BYTES - SAMPLE_FILES.png.length)]);
    expect((await call(standIn, "POST", "/files", { rawBody: fileForm(exactly, "big.png") })).status).toBe(200);
    const over = await call(standIn, "POST", "/files", { rawBody: fileForm(Buffer.concat([exactly, Buffer.from([0])]), "bigger.png") });
    expect(over.status).toBe(422);
    expect(over.body.error_codes).toEqual(["file_size_too_large"]);
  });

  it("requires the file and purpose=dispute_evidence, as multipart", async () => {
    expect((await call(standIn, "POST", "/files", { rawBody: fileForm(SAMPLE_FILES.pdf, "a.pdf", null) })).body.error_codes).toEqual(["purpose_required"]);
    expect((await call(standIn, "POST", "/files", { rawBody: fileForm(SAMPLE_FILES.pdf, "a.pdf", "avatar") })).body.error_codes).toEqual(["purpose_invalid"]);
    const noFile = new FormData();
    noFile.append("purpose", "dispute_evidence");
    expect((await call(standIn, "POST", "/files", { rawBody: noFile })).body.error_codes).toEqual(["file_required"]);
    expect((await call(standIn, "POST", "/files", { body: { file: "x", purpose: "dispute_evidence" } })).status).toBe(422);
  });
});

describe("disputes", () => {
  const openDispute = (overrides: Parameters<CheckoutStandIn["state"]["createDispute"]>[0] = {}) =>
    standIn.state.createDispute({ account: "shop_a", paymentId: captured(2500), category: "product_service_not_received", ...overrides });

  it("shows a dispute with its payment and relevant evidence", async () => {
    const dispute = openDispute();
    const answer = await call(standIn, "GET", `/disputes/${dispute.fixture.id}`);
    expect(answer.body).toMatchObject({
      id: dispute.fixture.id,
      status: "evidence_required",
      amount: 2500,
      category: "product_service_not_received",
      relevant_evidence: ["proof_of_delivery_or_service", "customer_communication"],
      payment: { id: dispute.fixture.paymentId, amount: 2500 },
      evidence_required_by: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
    });
  });

  it("lists disputes latest update first, with filters and paging", async () => {
    const older = openDispute();
    standIn.state.setDisputeStatus(older.fixture.id, "won");
    now = new Date(now.getTime() + 60_000);
    const newer = openDispute();
    standIn.state.createDispute({ account: "shop_b" });
    const all = (await call(standIn, "GET", "/disputes")).body;
    expect(all).toMatchObject({ limit: 50, skip: 0, total_count: 2 });
    expect(all.data.map((d: { id: string }) => d.id)).toEqual([newer.fixture.id, older.fixture.id]);
    expect((await call(standIn, "GET", "/disputes?statuses=won,lost")).body.data.map((d: { id: string }) => d.id)).toEqual([older.fixture.id]);
    expect((await call(standIn, "GET", `/disputes?payment_id=${newer.fixture.paymentId}`)).body.total_count).toBe(1);
    const page = (await call(standIn, "GET", "/disputes?limit=1&skip=1")).body;
    expect(page).toMatchObject({ limit: 1, skip: 1, total_count: 2 });
    expect(page.data.map((d: { id: string }) => d.id)).toEqual([older.fixture.id]);
    now = new Date(now.getTime() + 60_000);
    standIn.state.setDisputeStatus(older.fixture.id, "lost"); // an update moves it to the front
    expect((await call(standIn, "GET", "/disputes")).body.data[0].id).toBe(older.fixture.id);
    for (const [query, code] of [
      ["limit=0", "paging_limit_invalid"],
      ["limit=251", "paging_limit_invalid"],
      ["skip=-1", "paging_skip_invalid"],
      ["from=yesterday", "paging_from_invalid"],
    ]) {
      const refused = await call(standIn, "GET", `/disputes?${query}`);
      expect(refused.status, query).toBe(422);
      expect(refused.body.error_codes).toEqual([code]);
    }
  });

  it("validates every evidence field: text up to 500 characters, files uploaded by this account, known fields only", async () => {
    const { id } = openDispute().fixture;
    const file = (await call(standIn, "POST", "/files", { rawBody: fileForm(SAMPLE_FILES.pdf, "pod.pdf") })).body.id;
    const refusals: Array<[Record<string, unknown>, string[]]> = [
      [{ proof_of_delivery_or_service_text: "x".repeat(501) }, ["proof_of_delivery_or_service_text_invalid"]],
      [{ customer_communication_text: 42 }, ["customer_communication_text_invalid"]],
      [{ tracking_number: "1Z999" }, ["tracking_number_invalid"]],
      [{ invoice_or_receipt_file: "file_unknown" }, ["invoice_or_receipt_file_invalid"]],
      [{}, ["evidence_required"]],
    ];
    for (const [body, codes] of refusals) {
      const answer = await call(standIn, "PUT", `/disputes/${id}/evidence`, { body });
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error_codes).toEqual(codes);
    }
    expect((await call(standIn, "GET", `/disputes/${id}/evidence`)).body).toEqual({});
    const text = "y".repeat(500);
    expect(
      (await call(standIn, "PUT", `/disputes/${id}/evidence`, { body: { proof_of_delivery_or_service_file: file, proof_of_delivery_or_service_text: text } }))
        .status,
    ).toBe(204);
    expect((await call(standIn, "PUT", `/disputes/${id}/evidence`, { body: { customer_communication_text: "Emails attached" } })).status).toBe(204);
    expect((await call(standIn, "GET", `/disputes/${id}/evidence`)).body).toEqual({
      proof_of_delivery_or_service_file: file,
      proof_of_delivery_or_service_text: text,
      customer_communication_text: "Emails attached",
    });
  });

  it("submits once; afterwards the dispute is under review and nothing can change", async () => {
    const { id } = openDispute().fixture;
    expect((await call(standIn, "POST", `/disputes/${id}/evidence`)).body.error_codes).toEqual(["evidence_required"]);
    await call(standIn, "PUT", `/disputes/${id}/evidence`, { body: { additional_evidence_text: "Signed delivery slip" } });
    expect((await call(standIn, "POST", `/disputes/${id}/evidence`)).status).toBe(204);
    expect((await call(standIn, "GET", `/disputes/${id}`)).body.status).toBe("evidence_under_review");
    for (const [method, path, body] of [
      ["POST", `/disputes/${id}/evidence`],
      ["PUT", `/disputes/${id}/evidence`, { additional_evidence_text: "More" }],
      ["POST", `/disputes/${id}/accept`],
    ] as const) {
      const answer = await call(standIn, method, path, { body });
      expect(answer.status, `${method} ${path}`).toBe(422);
      expect(answer.body.error_codes).toEqual(["dispute_status_invalid"]);
    }
    expect((await call(standIn, "GET", `/disputes/${id}/evidence`)).body).toEqual({ additional_evidence_text: "Signed delivery slip" });
  });

  it("refuses evidence, submission and acceptance after evidence_required_by", async () => {
    const { id } = openDispute({ evidenceRequiredBy: new Date(now.getTime() + 3600_000).toISOString() }).fixture;
    expect((await call(standIn, "PUT", `/disputes/${id}/evidence`, { body: { additional_evidence_text: "in time" } })).status).toBe(204);
    now = new Date(now.getTime() + 3600_000 + 1);
    for (const [method, path, body] of [
      ["PUT", `/disputes/${id}/evidence`, { additional_evidence_text: "late" }],
      ["POST", `/disputes/${id}/evidence`],
      ["POST", `/disputes/${id}/accept`],
    ] as const) {
      const answer = await call(standIn, method, path, { body });
      expect(answer.status, `${method} ${path}`).toBe(422);
      expect(answer.body.error_codes).toEqual(["dispute_expired"]);
    }
  });

  it("accepts a dispute, which closes it", async () => {
    const { id } = openDispute().fixture;
    expect((await call(standIn, "POST", `/disputes/${id}/accept`)).status).toBe(204);
    expect((await call(standIn, "GET", `/disputes/${id}`)).body.status).toBe("accepted");
    expect((await call(standIn, "POST", `/disputes/${id}/accept`)).status).toBe(422);
  });
});
