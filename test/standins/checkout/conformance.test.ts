// The stand-in against Checkout.com's OpenAPI description (NAS, ../shared/reference): request bodies it
// accepts are the ones the spec describes, and every response body it gives has the spec's shape for
// that operation and status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { checkoutEvent, paymentEventData, paymentFixture } from "../../fixtures/checkout-events";
import { storeCustomerRequest, updateCustomerRequest } from "./customers";
import { parseFinancialActionQuery, parseReportQuery } from "./finance";
import { NasSpec } from "./openapi";
import { captureRequest, parseDisputeQuery, parsePaymentListQuery, provideEvidenceRequest, refundRequest, voidRequest } from "./requests";
import { addWorkflowRequest, patchWorkflowRequest, reflowByEventsRequest, reflowBySubjectsRequest } from "./workflows";
import { createCheckoutStandIn, type CheckoutStandIn } from "./server";
import { call, fileForm, nasAccount, OTHER_NAS_KEY, otherNasAccount, SAMPLE_FILES, type ApiAnswer } from "./testing";

const spec = new NasSpec();
let standIn: CheckoutStandIn;

beforeAll(async () => {
  standIn = await createCheckoutStandIn({ accounts: [nasAccount(), otherNasAccount({ reflowScope: false })], actionLatencyMs: 1 });
});
afterAll(() => standIn.stop());

/** Statuses the stand-in answers that the July 2023 spec does not list for the operation, and why. */
const UNDOCUMENTED: Record<string, string> = {
  "POST /payments/{id}/captures 409": "concurrent duplicate idempotency key (Checkout.com's idempotency guide)",
  "POST /payments/{id}/refunds 409": "concurrent duplicate idempotency key (Checkout.com's idempotency guide)",
  "POST /payments/{id}/voids 409": "concurrent duplicate idempotency key (Checkout.com's idempotency guide)",
  "POST /disputes/{dispute_id}/evidence 422": "submission refused: already submitted, past the deadline, or nothing provided",
  "POST /disputes/{dispute_id}/accept 422": "acceptance refused: not awaiting evidence, or past the deadline",
  "GET /disputes/{dispute_id}/evidence 401": "the spec lists only OAuth for this operation; secret keys are refused the same way",
  "GET /workflows/{workflowId} 404": "documented, but with no body schema: Checkout.com's 404s are empty",
};

const answered = new Set<string>();

/** Calls the stand-in and checks the answer against the spec for this operation and status. */
async function probe(method: string, template: string, path: string, options: Parameters<typeof call>[3] = {}, variant?: string): Promise<ApiAnswer> {
  const answer = await call(standIn, method, path, options);
  const key = `${method} ${template} ${answer.status}`;
  answered.add(key);
  const documented = spec.documentedStatuses(method, template).includes(answer.status);
  if (!documented) expect(UNDOCUMENTED[key], `${key} is not in the spec`).toBeDefined();
  const check = documented
    ? spec.checkResponse(method, template, answer.status, answer.body, variant)
    : answer.status === 422
      ? spec.checkComponent("ValidationError", answer.body)
      : { valid: answer.body === undefined, errors: answer.body === undefined ? [] : ["expected an empty body"] };
  expect(check.errors, `${key}: ${answer.text.slice(0, 300)}`).toEqual([]);
  if (answer.status === 422) expect(Object.keys(answer.body).sort()).toEqual(["error_codes", "error_type", "request_id"]);
  return answer;
}

const newPayment = (capture = false, amount = 10_000) => standIn.state.createPayment({ account: "shop_a", amount, capture }).fixture.id;

describe("request bodies", () => {
  it.each([
    ["POST", "/payments/{id}/captures", captureRequest],
    ["POST", "/payments/{id}/refunds", refundRequest],
    ["POST", "/payments/{id}/voids", voidRequest],
    ["PUT", "/disputes/{dispute_id}/evidence", provideEvidenceRequest],
  ] as const)("%s %s accepts exactly the fields the spec lists", (method, template, schema) => {
    expect(Object.keys((schema as z.AnyZodObject).shape).sort()).toEqual(spec.requestFields(method, template));
  });

  it("GET /payments reads the spec's query parameters", () => {
    const query = parsePaymentListQuery(new URLSearchParams("reference=%231001&limit=10&skip=5"));
    expect(Object.keys(query).sort()).toEqual(spec.queryParameters("GET", "/payments").sort());
  });

  it("GET /disputes reads the spec's query parameters", () => {
    const query = parseDisputeQuery(
      new URLSearchParams("limit=10&skip=5&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&id=dsp_x&statuses=won,lost&payment_id=pay_x&payment_reference=R1"),
    );
    const names = spec.queryParameters("GET", "/disputes");
    for (const used of Object.keys(query)) expect(names).toContain(used);
  });

  // Each body with whether the stand-in accepts it (202/204) or refuses it (422). The spec's schema
  // must give the same verdict, except where `stricter` names a rule the spec states only in prose
  // (there the schema allows what the stand-in refuses).
  type Case = { body: unknown; allowed: boolean; stricter?: string };
  const specShouldAllow = (c: Case) => c.allowed || c.stricter !== undefined;
  const long = (n: number) => "x".repeat(n);
  const amountCases: Case[] = [
    { body: {}, allowed: true },
    { body: { amount: 500 }, allowed: true },
    { body: { amount: "500" }, allowed: false },
    { body: { amount: 1.5 }, allowed: false },
    { body: { amount: -1 }, allowed: false },
    { body: { amount: null }, allowed: false },
  ];
  const commonCases: Case[] = [
    { body: { reference: "ORD-5023-4E89" }, allowed: true },
    { body: { reference: long(50) }, allowed: true },
    { body: { reference: long(51) }, allowed: false },
    { body: { reference: 5023 }, allowed: false },
    { body: { metadata: { coupon_code: "NY2018", partner_id: 123989, gift: true } }, allowed: true },
    { body: { metadata: "coupon" }, allowed: false },
    { body: { metadata: { nested: { a: 1 } } }, allowed: false, stricter: "metadata holds one level of primitives (spec prose)" },
    { body: { unknown_field: 1 }, allowed: false },
  ];
  const cases: Record<string, Case[]> = {
    "/payments/{id}/captures": [
      ...amountCases,
      ...commonCases,
      { body: { amount: 500, capture_type: "NonFinal" }, allowed: true },
      { body: { capture_type: "Partial" }, allowed: false },
      { body: { description: long(100) }, allowed: true },
      { body: { description: long(101) }, allowed: false },
      { body: { items: [] }, allowed: true },
      { body: { items: {} }, allowed: false },
    ],
    "/payments/{id}/refunds": [...amountCases, ...commonCases, { body: { amount_allocations: "all" }, allowed: false }],
    "/payments/{id}/voids": [...commonCases, { body: { amount: 500 }, allowed: false }],
  };

  it.each(Object.entries(cases))("POST %s: the stand-in accepts what the spec allows and refuses the rest", async (template, list) => {
    const fields = spec.requestFields("POST", template);
    for (const c of list) {
      const { body, allowed } = c;
      const check = spec.check(spec.requestSchema("POST", template), body);
      const specAllows = check.valid && Object.keys(body as object).every((k) => fields.includes(k));
      expect(specAllows, `spec verdict for ${JSON.stringify(body)}`).toBe(specShouldAllow(c));
      const payment = newPayment(template.endsWith("refunds"));
      const answer = await probe("POST", template, template.replace("{id}", payment), { body });
      expect(answer.status, `stand-in verdict for ${JSON.stringify(body)}: ${answer.text}`).toBe(allowed ? 202 : 422);
    }
  });

  it("PUT /disputes/{id}/evidence: the stand-in accepts what the spec allows and refuses the rest", async () => {
    const file = (await call(standIn, "POST", "/files", { rawBody: fileForm(SAMPLE_FILES.pdf, "pod.pdf") })).body.id;
    const list: Case[] = [
      { body: { proof_of_delivery_or_service_text: long(500) }, allowed: true },
      { body: { proof_of_delivery_or_service_text: long(501) }, allowed: false },
      { body: { proof_of_delivery_or_service_date_text: "Delivered on 2026-11-02" }, allowed: true },
      { body: { invoice_or_receipt_file: file, invoice_or_receipt_text: "Invoice #1001" }, allowed: true },
      { body: { invoice_or_receipt_file: 12 }, allowed: false },
      { body: { additional_evidence_text: null }, allowed: false },
      { body: { tracking_number: "1Z999" }, allowed: false },
      { body: { invoice_or_receipt_file: "file_notuploaded" }, allowed: false, stricter: "file ids must name files uploaded by this account" },
      { body: {}, allowed: false, stricter: "at least one evidence type (spec prose)" },
    ];
    const schema = spec.requestSchema("PUT", "/disputes/{dispute_id}/evidence");
    const fields = spec.requestFields("PUT", "/disputes/{dispute_id}/evidence");
    for (const c of list) {
      const { body, allowed } = c;
      const check = spec.check(schema, body);
      expect(check.valid && Object.keys(body as object).every((k) => fields.includes(k)), `spec verdict for ${JSON.stringify(body)}`).toBe(specShouldAllow(c));
      const dispute = standIn.state.createDispute({ account: "shop_a" }).fixture.id;
      const answer = await probe("PUT", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`, { body });
      expect(answer.status, `stand-in verdict for ${JSON.stringify(body)}: ${answer.text}`).toBe(allowed ? 204 : 422);
    }
  });
});

describe("response bodies", () => {
  it("GET /payments/{id} and /actions in every payment state", async () => {
    const ids = [
      newPayment(),
      newPayment(true),
      standIn.state.createPayment({ account: "shop_a", flagged: true, riskScore: 91 }).fixture.id,
      standIn.state.createPayment({ account: "shop_a", responseCode: "20051", responseSummary: "Insufficient Funds" }).fixture.id,
    ];
    const refunded = newPayment(true);
    await call(standIn, "POST", `/payments/${refunded}/refunds`, { body: { amount: 100 } });
    const voided = newPayment();
    await call(standIn, "POST", `/payments/${voided}/voids`, {});
    for (const id of [...ids, refunded, voided]) {
      const payment = await probe("GET", "/payments/{id}", `/payments/${id}`, {}, "PaymentDetails");
      expect(spec.checkComponent("01_PaymentResponseCardSource", payment.body.source).errors).toEqual([]);
      await probe("GET", "/payments/{id}/actions", `/payments/${id}/actions`, {}, "PaymentActionsResponse");
    }
    await probe("GET", "/payments/{id}", "/payments/pay_unknown", {}, "PaymentDetails");
    await probe("GET", "/payments/{id}", `/payments/${ids[0]}`, { key: OTHER_NAS_KEY }, "PaymentDetails");
    await probe("GET", "/payments/{id}/actions", "/payments/pay_unknown/actions", {}, "PaymentActionsResponse");
    await probe("GET", "/payments/{id}", `/payments/${ids[0]}`, { key: null }, "PaymentDetails");
  });

  it("GET /payments (payments by reference): 200, 401, 422", async () => {
    const reference = "#conformance-1";
    standIn.state.createPayment({ account: "shop_a", reference });
    standIn.state.createPayment({ account: "shop_a", reference, capture: true });
    standIn.state.createPayment({ account: "shop_a", reference, flagged: true, riskScore: 91 });
    const listed = await probe("GET", "/payments", `/payments?reference=${encodeURIComponent(reference)}&limit=100`);
    expect(listed.body.data).toHaveLength(3);
    await probe("GET", "/payments", "/payments?reference=nothing-paid-with-this");
    await probe("GET", "/payments", "/payments?reference=R&limit=101");
    await probe("GET", "/payments", "/payments");
    await probe("GET", "/payments", "/payments?reference=R", { key: null });
    for (const status of [200, 401, 422]) expect(answered).toContain(`GET /payments ${status}`);
  });

  it("POST captures, refunds and voids: 202, 401, 403, 404, 422 (and 409 when duplicates meet)", async () => {
    for (const action of ["captures", "refunds", "voids"]) {
      const template = `/payments/{id}/${action}`;
      const ready = newPayment(action === "refunds");
      await probe("POST", template, `/payments/${ready}/${action}`, { body: { reference: "ORD-1" } });
      await probe("POST", template, `/payments/${ready}/${action}`, { body: {} }); // nothing left: 403 or 422
      await probe("POST", template, `/payments/${newPayment(action === "refunds")}/${action}`, { body: { bogus: true } });
      await probe("POST", template, `/payments/pay_unknown/${action}`, { body: {} });
      await probe("POST", template, `/payments/${ready}/${action}`, { key: null, body: {} });
      const payment = newPayment(action === "refunds");
      const twice = { body: { reference: "R" }, idempotencyKey: `${action}-twice` };
      await Promise.all([1, 2].map(() => probe("POST", template, `/payments/${payment}/${action}`, twice)));
    }
    for (const action of ["captures", "refunds", "voids"]) {
      for (const status of [202, 401, 404, 422]) expect(answered).toContain(`POST /payments/{id}/${action} ${status}`);
    }
    expect(answered).toContain("POST /payments/{id}/voids 403");
  });

  it("GET /disputes, /disputes/{id} and evidence; submit and accept", async () => {
    const payment = newPayment(true);
    const dispute = standIn.state.createDispute({ account: "shop_a", paymentId: payment }).fixture.id;
    const other = standIn.state.createDispute({ account: "shop_a" }).fixture.id;
    await probe("GET", "/disputes", "/disputes");
    await probe("GET", "/disputes", `/disputes?limit=1&skip=0&statuses=evidence_required&payment_id=${payment}`);
    await probe("GET", "/disputes", "/disputes?limit=500");
    await probe("GET", "/disputes", "/disputes", { key: null });
    await probe("GET", "/disputes/{dispute_id}", `/disputes/${dispute}`);
    await probe("GET", "/disputes/{dispute_id}", "/disputes/dsp_unknown");
    await probe("GET", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`);
    await probe("PUT", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`, { body: { additional_evidence_text: "Signed slip" } });
    await probe("GET", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`);
    await probe("POST", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`);
    await probe("POST", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`);
    await probe("POST", "/disputes/{dispute_id}/evidence", "/disputes/dsp_unknown/evidence");
    await probe("GET", "/disputes/{dispute_id}/evidence", `/disputes/${dispute}/evidence`, { key: null });
    await probe("POST", "/disputes/{dispute_id}/accept", `/disputes/${other}/accept`);
    await probe("POST", "/disputes/{dispute_id}/accept", `/disputes/${other}/accept`);
    await probe("POST", "/disputes/{dispute_id}/accept", "/disputes/dsp_unknown/accept");
    await probe("GET", "/disputes/{dispute_id}", `/disputes/${dispute}`);
  });

  it("POST /files and GET /files/{id}", async () => {
    const uploaded = await probe("POST", "/files", "/files", { rawBody: fileForm(SAMPLE_FILES.jpg, "photo.jpg") });
    await probe("POST", "/files", "/files", { rawBody: fileForm(Buffer.from("plain text"), "notes.pdf") });
    await probe("POST", "/files", "/files", { key: null, rawBody: fileForm(SAMPLE_FILES.jpg, "photo.jpg") });
    await probe("GET", "/files/{file_id}", `/files/${uploaded.body.id}`);
    await probe("GET", "/files/{file_id}", "/files/file_unknown");
  });
});

describe("money settlement", () => {
  it("GET /financial-actions and GET /reports read exactly the spec's query parameters", () => {
    const actions = parseFinancialActionQuery(new URLSearchParams("payment_id=pay_x&action_id=act_x&reference=R&limit=5"));
    expect(Object.keys(actions).sort()).toEqual(spec.queryParameters("GET", "/financial-actions").sort());
    const reports = parseReportQuery(new URLSearchParams("created_after=2026-01-01T00:00:00Z&entity_id=ent_x&limit=5"));
    expect(Object.keys(reports).sort()).toEqual(spec.queryParameters("GET", "/reports").sort());
  });

  it("GET /financial-actions: 200 (a page with a next link, the last page), 401, 422", async () => {
    const payment = standIn.state.createPayment({ account: "shop_a", amount: 10_000, capture: true, reference: "#settle-conformance" });
    const id = payment.fixture.id;
    await call(standIn, "POST", `/payments/${id}/refunds`, { body: { amount: 2_500 } });
    standIn.state.setDisputeStatus(standIn.state.createDispute({ account: "shop_a", paymentId: id }).fixture.id, "lost");
    const first = await probe("GET", "/financial-actions", `/financial-actions?payment_id=${id}&limit=2`);
    expect(first.body).toMatchObject({ count: 2, limit: 2 });
    const next = new URL(first.body._links.next.href);
    const last = await probe("GET", "/financial-actions", `${next.pathname}${next.search}`);
    expect(last.body._links.next).toBeUndefined();
    await probe("GET", "/financial-actions", `/financial-actions?action_id=${payment.actions[1].id}`);
    await probe("GET", "/financial-actions", `/financial-actions?reference=${encodeURIComponent("#settle-conformance")}`);
    for (const query of ["", "?limit=5", `?payment_id=${id}&limit=0`, `?payment_id=${id}&limit=101`, `?payment_id=${id}&pagination_token=bogus`]) {
      expect((await probe("GET", "/financial-actions", `/financial-actions${query}`)).status).toBe(422);
    }
    await probe("GET", "/financial-actions", `/financial-actions?payment_id=${id}`, { key: null });
    for (const status of [200, 401, 422]) expect(answered).toContain(`GET /financial-actions ${status}`);
  });

  it("GET /reports, /reports/{id} and the report file: 200, 302, 401, 404, 422", async () => {
    standIn.state.createPayment({ account: "shop_a", amount: 4_200, currency: "EUR", capture: true });
    const [payout] = standIn.state.settle("shop_a", { currency: "EUR" });
    const { report } = payout;
    const listed = await probe("GET", "/reports", "/reports?limit=1");
    expect(listed.body.data).toHaveLength(1);
    await probe(
      "GET",
      "/reports",
      `/reports?created_after=2020-01-01T00:00:00&created_before=2100-01-01T00:00:00Z&entity_id=${listed.body.data[0].account.entity_id}`,
    );
    for (const query of ["?limit=0", "?created_after=yesterday", "?entity_id=cli_abc", "?pagination_token=%25%25"]) {
      expect((await probe("GET", "/reports", `/reports${query}`)).status).toBe(422);
    }
    await probe("GET", "/reports", "/reports", { key: null });
    const details = await probe("GET", "/reports/{id}", `/reports/${report.id}`);
    expect(details.body).toMatchObject({ type: "FinancialActionsByPayoutId", tags: [`payout_id:${payout.id}`] });
    await probe("GET", "/reports/{id}", "/reports/rpt_unknown");
    await probe("GET", "/reports/{id}", `/reports/${report.id}`, { key: OTHER_NAS_KEY });
    await probe("GET", "/reports/{id}", `/reports/${report.id}`, { key: null });
    const file = `/reports/${report.id}/files/${report.file.id}`;
    const redirect = await probe("GET", "/reports/{id}/files/{fileId}", file, { redirect: "manual" });
    expect(redirect.headers.get("location")).toMatch(new RegExp(`^${standIn.url}/_standin/downloads/${report.file.id}/`));
    await probe("GET", "/reports/{id}/files/{fileId}", `/reports/${report.id}/files/file_unknown`);
    await probe("GET", "/reports/{id}/files/{fileId}", file, { key: OTHER_NAS_KEY, redirect: "manual" });
    await probe("GET", "/reports/{id}/files/{fileId}", file, { key: null, redirect: "manual" });
    for (const status of [200, 401, 422]) expect(answered).toContain(`GET /reports ${status}`);
    for (const status of [200, 401, 404]) expect(answered).toContain(`GET /reports/{id} ${status}`);
    for (const status of [302, 401, 404]) expect(answered).toContain(`GET /reports/{id}/files/{fileId} ${status}`);
  });
});

describe("workflows", () => {
  const webhook = { type: "webhook", url: "https://shop.example.com/webhooks/checkout/abc", signature: { method: "HMACSHA256", key: "k".repeat(32) } };
  const events = { type: "event", events: { gateway: ["payment_approved", "payment_captured"], dispute: ["dispute_evidence_required"] } };
  const channel = { type: "processing_channel", processing_channels: ["pc_axclravnqf5u5ejkweijnp5zc4"] };

  it.each([
    ["POST", "/workflows", addWorkflowRequest],
    ["PATCH", "/workflows/{workflowId}", patchWorkflowRequest],
  ] as const)("%s %s accepts exactly the fields the spec lists", (method, template, schema) => {
    expect(Object.keys((schema as z.AnyZodObject).shape).sort()).toEqual(spec.requestFields(method, template));
  });

  it("POST /workflows: the stand-in accepts what the spec allows and refuses the rest", async () => {
    type Case = { body: unknown; allowed: boolean; stricter?: string };
    const list: Case[] = [
      { body: { name: "Shop", conditions: [events], actions: [webhook] }, allowed: true },
      { body: { name: "Shop", active: true, conditions: [events, channel], actions: [{ ...webhook, headers: { Authorization: "secret" } }] }, allowed: true },
      { body: { name: "Shop", conditions: [], actions: [webhook] }, allowed: false },
      { body: { name: "Shop", conditions: [events], actions: [] }, allowed: false },
      // The spec's webhook-action requires a URL, behind a discriminator the schema checker does not follow.
      { body: { name: "Shop", conditions: [events], actions: [{ type: "webhook" }] }, allowed: false, stricter: "webhook-action.url is required" },
      { body: { name: "Shop", conditions: [events], actions: [{ ...webhook, url: "not a url" }] }, allowed: false, stricter: "webhook-action.url is a URI" },
      { body: { name: "Shop", conditions: [events, events], actions: [webhook] }, allowed: false, stricter: "one condition of each type (spec prose)" },
      {
        body: { name: "Shop", conditions: [{ type: "event", events: { gateway: ["payment_teleported"] } }], actions: [webhook] },
        allowed: false,
        stricter: "event types the source raises (GET /workflows/event-types)",
      },
    ];
    const schema = spec.requestSchema("POST", "/workflows");
    for (const c of list) {
      expect(spec.check(schema, c.body).valid, `spec verdict for ${JSON.stringify(c.body)}`).toBe(c.allowed || c.stricter !== undefined);
      const answer = await probe("POST", "/workflows", "/workflows", { body: c.body });
      expect(answer.status, `stand-in verdict for ${JSON.stringify(c.body)}: ${answer.text}`).toBe(c.allowed ? 201 : 422);
    }
  });

  it("every workflow operation answers in the spec's shape", async () => {
    const created = await probe("POST", "/workflows", "/workflows", { body: { name: "Shop", conditions: [events], actions: [webhook] } });
    const id = created.body.id as string;
    expect(id).toMatch(/^wf_[a-z2-7]{26}$/);
    await probe("GET", "/workflows", "/workflows");
    await probe("GET", "/workflows", "/workflows", { key: null });
    await probe("GET", "/workflows/event-types", "/workflows/event-types");
    await probe("GET", "/workflows/{workflowId}", `/workflows/${id}`);
    await probe("GET", "/workflows/{workflowId}", `/workflows/${id}`, { key: OTHER_NAS_KEY });
    await probe("PATCH", "/workflows/{workflowId}", `/workflows/${id}`, { body: { name: "Renamed", conditions: [events, channel] } });
    await probe("PATCH", "/workflows/{workflowId}", `/workflows/${id}`, { body: { conditions: [] } });
    await probe("PATCH", "/workflows/{workflowId}", "/workflows/wf_unknown", { body: { name: "x" } });
    await probe("POST", "/workflows/{workflowId}/test", `/workflows/${id}/test`, { body: { event_types: ["payment_approved"] } });
    await probe("POST", "/workflows/{workflowId}/test", `/workflows/${id}/test`, { body: { event_types: ["payment_teleported"] } });
    await probe("DELETE", "/workflows/{workflowId}", `/workflows/${id}`);
    await probe("DELETE", "/workflows/{workflowId}", `/workflows/${id}`);
    for (const status of [200, 401]) expect(answered).toContain(`GET /workflows ${status}`);
    for (const status of [200, 404, 422]) expect(answered).toContain(`PATCH /workflows/{workflowId} ${status}`);
    for (const status of [204, 404]) expect(answered).toContain(`DELETE /workflows/{workflowId} ${status}`);
  });
});

describe("reflow", () => {
  const REFLOW = "/workflows/events/reflow";
  /**
   * An event of shop_a about a new payment, kept by the stand-in though no webhook takes it (a type no
   * workflow here subscribes to, so nothing is sent anywhere), and a workflow to name.
   */
  async function world() {
    const event = checkoutEvent("card_verified", paymentEventData("card_verified", paymentFixture()));
    expect(standIn.deliverEvent("shop_a", event)).toBeUndefined();
    const hook = { type: "webhook", url: "https://shop.example.com/webhooks/checkout/abc", signature: { key: "k".repeat(32) } };
    const workflow = await call(standIn, "POST", "/workflows", {
      body: { name: "Shop", conditions: [{ type: "event", events: { gateway: ["payment_declined"] } }], actions: [hook] },
    });
    return { paymentId: (event.data as { id: string }).id, eventId: event.id as string, workflowId: workflow.body.id as string };
  }

  it.each([
    ["reflow-events-by-event-and-workflow-ids", reflowByEventsRequest],
    ["reflow-events-by-subject-and-workflow-ids", reflowBySubjectsRequest],
  ] as const)("the body %s has exactly the spec's fields", (name, schema) => {
    expect(Object.keys(schema.shape).sort()).toEqual(Object.keys(spec.componentSchema(name).properties as object).sort());
  });

  it("POST /workflows/events/reflow: the stand-in accepts what the spec allows and refuses the rest", async () => {
    const { paymentId, workflowId } = await world();
    type Case = { body: unknown; allowed: boolean; stricter?: string };
    const list: Case[] = [
      { body: { subjects: [paymentId] }, allowed: true },
      { body: { subjects: [paymentId], workflows: [workflowId] }, allowed: true },
      { body: { subjects: [paymentId], workflows: [] }, allowed: true },
      { body: { subjects: ["pay-123"] }, allowed: false },
      { body: { subjects: paymentId }, allowed: false },
      { body: { subjects: [paymentId], workflows: ["workflow_1"] }, allowed: false },
      { body: { events: [paymentId] }, allowed: false },
      { body: { subjects: [paymentId], events: [] }, allowed: false },
      { body: { workflows: [workflowId] }, allowed: false },
      { body: { subjects: [paymentId], reason: "outage" }, allowed: false },
    ];
    const schema = spec.requestSchema("POST", REFLOW);
    const fields = ["events", "subjects", "workflows"];
    for (const c of list) {
      const specAllows = spec.check(schema, c.body).valid && Object.keys(c.body as object).every((k) => fields.includes(k));
      expect(specAllows, `spec verdict for ${JSON.stringify(c.body)}`).toBe(c.allowed || c.stricter !== undefined);
      const answer = await probe("POST", REFLOW, REFLOW, { body: c.body });
      expect(answer.status, `stand-in verdict for ${JSON.stringify(c.body)}: ${answer.text}`).toBe(c.allowed ? 202 : 422);
    }
  });

  it("every reflow operation answers in the spec's shape: 202, 401 (no flow:reflow scope), 404 (nothing kept), 422", async () => {
    const { paymentId, eventId, workflowId } = await world();
    const unknownPayment = "pay_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    const unknownEvent = "evt_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    await probe("POST", REFLOW, REFLOW, { body: { events: [eventId], workflows: [workflowId] } });
    await probe("POST", REFLOW, REFLOW, { body: { subjects: [unknownPayment] } });
    await probe("POST", REFLOW, REFLOW, { body: { subjects: [paymentId] }, key: OTHER_NAS_KEY });
    await probe("POST", REFLOW, REFLOW, { body: { subjects: ["pay-123"] } });
    const paths: Array<[template: string, found: string, missing: string]> = [
      ["/workflows/events/subject/{subjectId}/reflow", `/workflows/events/subject/${paymentId}/reflow`, `/workflows/events/subject/${unknownPayment}/reflow`],
      [
        "/workflows/events/subject/{subjectId}/workflow/{workflowId}/reflow",
        `/workflows/events/subject/${paymentId}/workflow/${workflowId}/reflow`,
        `/workflows/events/subject/${paymentId}/workflow/wf_aaaaaaaaaaaaaaaaaaaaaaaaaa/reflow`,
      ],
      ["/workflows/events/{eventId}/reflow", `/workflows/events/${eventId}/reflow`, `/workflows/events/${unknownEvent}/reflow`],
      [
        "/workflows/events/{eventId}/workflow/{workflowId}/reflow",
        `/workflows/events/${eventId}/workflow/${workflowId}/reflow`,
        `/workflows/events/${unknownEvent}/workflow/${workflowId}/reflow`,
      ],
    ];
    for (const [template, found, missing] of paths) {
      await probe("POST", template, found);
      await probe("POST", template, missing);
      await probe("POST", template, found, { key: OTHER_NAS_KEY });
      for (const status of [202, 401, 404]) expect(answered).toContain(`POST ${template} ${status}`);
    }
    for (const status of [202, 401, 404, 422]) expect(answered).toContain(`POST ${REFLOW} ${status}`);
  });
});

describe("customers", () => {
  let seq = 0;
  const newEmail = () => `customer-${++seq}-${Date.now()}@example.com`;
  const newCustomer = async (email = newEmail()) => (await call(standIn, "POST", "/customers", { body: { email } })).body.id as string;
  const long = (n: number) => "x".repeat(n);
  const pairs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key_${i}`, i]));

  it.each([
    ["POST", "/customers", storeCustomerRequest],
    ["PATCH", "/customers/{identifier}", updateCustomerRequest],
  ] as const)("%s %s accepts exactly the fields the spec lists", (method, template, schema) => {
    expect(Object.keys(schema.shape).sort()).toEqual(spec.requestFields(method, template));
  });

  // As for the payment actions above: the stand-in's verdict, and the spec's unless `stricter` names
  // the rule from the spec's prose (or Checkout.com's behaviour) that its schema does not state.
  type Case = { body: unknown; allowed: boolean; stricter?: string };
  const metadataCases = (base: () => Record<string, unknown>): Case[] => [
    { body: { ...base(), metadata: { coupon_code: "NY2018", partner_id: 123989 } }, allowed: true },
    { body: { ...base(), metadata: pairs(10) }, allowed: true },
    { body: { ...base(), metadata: "coupon" }, allowed: false },
    { body: { ...base(), metadata: pairs(11) }, allowed: false, stricter: "at most 10 key-value pairs (spec prose)" },
    { body: { ...base(), metadata: { note: long(101) } }, allowed: false, stricter: "values up to 100 characters (spec prose)" },
    { body: { ...base(), metadata: { [long(101)]: 1 } }, allowed: false, stricter: "keys up to 100 characters (spec prose)" },
    { body: { ...base(), metadata: { nested: { a: 1 } } }, allowed: false, stricter: "key-value pairs of primitives (spec prose)" },
  ];
  const detailCases = (base: () => Record<string, unknown>): Case[] => [
    { body: { ...base(), name: "Bruce Wayne", phone: { country_code: "+1", number: "415 555 2671" } }, allowed: true },
    { body: { ...base(), name: long(255) }, allowed: true },
    { body: { ...base(), name: long(256) }, allowed: false },
    { body: { ...base(), name: 5 }, allowed: false },
    { body: { ...base(), phone: { number: "12345" } }, allowed: false },
    { body: { ...base(), phone: { country_code: "+1234567" } }, allowed: false },
    { body: { ...base(), phone: "415 555 2671" }, allowed: false },
    { body: { ...base(), instruments: [] }, allowed: true },
    {
      body: { ...base(), instruments: ["src_wmlfc3zyhqzehihu7giusaaawu"] },
      allowed: false,
      stricter: "instruments must be stored ones; the stand-in stores none",
    },
    { body: { ...base(), default: "src_wmlfc3zyhqzehihu7giusaaawu" }, allowed: false, stricter: "instruments must be stored ones; the stand-in stores none" },
    { body: { ...base(), unknown_field: 1 }, allowed: false },
    ...metadataCases(base),
  ];

  /** Both verdicts for each body: the spec's schema, then the stand-in's answer to `send`. */
  async function verdicts(method: "POST" | "PATCH", template: string, list: Case[], send: (body: unknown) => Promise<ApiAnswer>, accepted: number) {
    const fields = spec.requestFields(method, template);
    for (const c of list) {
      const check = spec.check(spec.requestSchema(method, template), c.body);
      const specAllows = check.valid && Object.keys(c.body as object).every((k) => fields.includes(k));
      expect(specAllows, `spec verdict for ${JSON.stringify(c.body)}`).toBe(c.allowed || c.stricter !== undefined);
      const answer = await send(c.body);
      expect(answer.status, `stand-in verdict for ${JSON.stringify(c.body)}: ${answer.text}`).toBe(c.allowed ? accepted : 422);
    }
  }

  it("POST /customers: the stand-in accepts what the spec allows and refuses the rest", async () => {
    const taken = newEmail();
    await newCustomer(taken);
    const list: Case[] = [
      { body: { email: newEmail() }, allowed: true },
      { body: {}, allowed: false },
      { body: { name: "No Email" }, allowed: false },
      { body: { email: "not-an-email" }, allowed: false },
      { body: { email: `${long(250)}@example.com` }, allowed: false },
      { body: { email: taken }, allowed: false, stricter: "one customer per email in an account" },
      { body: { email: taken.toUpperCase() }, allowed: false, stricter: "one customer per email in an account, whatever the case" },
      ...detailCases(() => ({ email: newEmail() })),
    ];
    await verdicts("POST", "/customers", list, (body) => probe("POST", "/customers", "/customers", { body }), 201);
  });

  it("PATCH /customers/{identifier}: the stand-in accepts what the spec allows and refuses the rest", async () => {
    const taken = newEmail();
    await newCustomer(taken);
    const list: Case[] = [
      { body: {}, allowed: true },
      { body: { email: newEmail() }, allowed: true },
      { body: { email: "not-an-email" }, allowed: false },
      { body: { email: taken }, allowed: false, stricter: "one customer per email in an account" },
      ...detailCases(() => ({})),
    ];
    const template = "/customers/{identifier}";
    await verdicts("PATCH", template, list, async (body) => probe("PATCH", template, `/customers/${await newCustomer()}`, { body }), 204);
  });

  it("every customer operation answers in the spec's shape, and one account never sees another's customers", async () => {
    const email = newEmail();
    const created = await probe("POST", "/customers", "/customers", {
      body: { email, name: "Bruce Wayne", phone: { country_code: "+1", number: "415 555 2671" }, metadata: { coupon_code: "NY2018", partner_id: 123989 } },
    });
    const id = created.body.id as string;
    expect(id).toMatch(/^cus_[a-z2-7]{26}$/);
    await probe("POST", "/customers", "/customers", { body: { email: "bogus" } });
    await probe("POST", "/customers", "/customers", { key: null, body: { email: newEmail() } });

    const template = "/customers/{identifier}";
    const byId = await probe("GET", template, `/customers/${id}`);
    expect(byId.body).toEqual({
      id,
      email,
      name: "Bruce Wayne",
      phone: { country_code: "+1", number: "415 555 2671" },
      metadata: { coupon_code: "NY2018", partner_id: 123989 },
      instruments: [],
    });
    expect((await probe("GET", template, `/customers/${encodeURIComponent(email.toUpperCase())}`)).body.id).toBe(id);
    await probe("GET", template, "/customers/cus_aaaaaaaaaaaaaaaaaaaaaaaaaa");
    await probe("GET", template, `/customers/${id}`, { key: null });

    // The other account: neither by id nor by email, and the email is free there.
    expect((await probe("GET", template, `/customers/${id}`, { key: OTHER_NAS_KEY })).status).toBe(404);
    expect((await probe("GET", template, `/customers/${email}`, { key: OTHER_NAS_KEY })).status).toBe(404);
    expect((await probe("PATCH", template, `/customers/${id}`, { key: OTHER_NAS_KEY, body: { name: "Joker" } })).status).toBe(404);
    expect((await probe("DELETE", template, `/customers/${id}`, { key: OTHER_NAS_KEY })).status).toBe(404);
    const theirs = await probe("POST", "/customers", "/customers", { key: OTHER_NAS_KEY, body: { email } });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(id);

    await probe("PATCH", template, `/customers/${id}`, { body: { name: "Batman", metadata: { alias: "bat" } } });
    expect((await probe("GET", template, `/customers/${id}`)).body).toMatchObject({ name: "Batman", metadata: { alias: "bat" } });
    await probe("PATCH", template, `/customers/${id}`, { body: { phone: { number: "1" } } });
    // PATCH and DELETE take the id, as the spec says; an email names no customer there.
    expect((await probe("PATCH", template, `/customers/${email}`, { body: { name: "x" } })).status).toBe(404);
    await probe("PATCH", template, `/customers/${id}`, { key: null, body: { name: "x" } });
    await probe("DELETE", template, `/customers/${id}`, { key: null });
    await probe("DELETE", template, `/customers/${id}`);
    await probe("DELETE", template, `/customers/${id}`);
    await probe("GET", template, `/customers/${id}`);
    await probe("PATCH", template, `/customers/${id}`, { body: { name: "x" } });

    for (const status of [201, 401, 422]) expect(answered).toContain(`POST /customers ${status}`);
    for (const status of [200, 401, 404]) expect(answered).toContain(`GET ${template} ${status}`);
    for (const status of [204, 401, 404, 422]) expect(answered).toContain(`PATCH ${template} ${status}`);
    for (const status of [204, 401, 404]) expect(answered).toContain(`DELETE ${template} ${status}`);
  });
});
