// @vitest-environment jsdom
import "../../test/helpers/jsdom-gaps";
import "@testing-library/jest-dom/vitest";
import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PaymentTimeline } from "#app/zendesk/contract";
import { Sidebar } from "./App";
import { createFakeBackend, paymentTimeline, timelineEntry, type FakeReply } from "./testing/fake-backend";
import { FakeZafClient, type BackendCall, type FakeTicket } from "./testing/fake-zaf-client";

const SETTINGS = { backend_url: "https://companion.example.com", connection_id: "conn_1", payment_field_id: 360001 };

function ticket(field: string | null, email: string | null = "ada@example.com"): FakeTicket {
  return { id: 123, requester: email ? { name: "Ada Lovelace", email } : null, customFields: { 360001: field } };
}

interface Setup {
  ticket?: FakeTicket;
  timelines?: PaymentTimeline[];
  settings?: Record<string, string | number | null>;
  /** Replaces the fake backend's answer for some calls (return undefined to let it answer). */
  intercept?: (call: BackendCall) => FakeReply | Promise<FakeReply> | undefined;
  failNotes?: boolean;
}

function setup(options: Setup & { shopifyRefundable?: Record<string, number> } = {}) {
  const backend = createFakeBackend(options.timelines ?? [paymentTimeline()], undefined, { shopifyRefundable: options.shopifyRefundable });
  const client = new FakeZafClient({
    ticket: options.ticket ?? ticket("pay_captured1"),
    settings: options.settings ?? SETTINGS,
    failNotes: options.failNotes,
    backend: (call) => options.intercept?.(call) ?? backend.handle(call),
  });
  render(<Sidebar client={client} />);
  return { client, backend, user: userEvent.setup() };
}

const callsTo = (client: FakeZafClient, suffix: string) => client.backendCalls.filter((c) => c.path.endsWith(suffix));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("finding the payment", () => {
  it("looks up the payment id from the ticket field, through the proxy with a signed-token request", async () => {
    const { client } = setup();
    expect(await screen.findByTestId("payment-amount")).toHaveTextContent("€42.34");
    const [lookup] = callsTo(client, "/lookup");
    expect(lookup.body).toEqual({ ticketId: 123, paymentId: "pay_captured1", email: "ada@example.com" });
    expect(lookup.options).toMatchObject({
      url: "https://companion.example.com/api/zendesk/lookup",
      type: "POST",
      contentType: "application/json",
      secure: true,
      headers: { Authorization: "Bearer {{jwt.token}}" },
      jwt: {
        algorithm: "HS256",
        secret_key: "{{setting.shared_secret}}",
        expiry: 300,
        claims: { connection_id: "conn_1", subdomain: "acme", ticket_id: 123, agent_id: 901, agent_email: "jane@support.example", agent_name: "Jane Agent" },
      },
    });
    expect(screen.queryByText(/Matched by email only/)).not.toBeInTheDocument();
  });

  it("reads a bare number in the field as a Shopify order name", async () => {
    const { client } = setup({ ticket: ticket("1001") });
    await screen.findByTestId("payment-amount");
    expect(callsTo(client, "/lookup")[0].body).toEqual({ ticketId: 123, orderName: "#1001", email: "ada@example.com" });
  });

  it("warns when only the requester's email matched", async () => {
    setup({ ticket: ticket(null) });
    expect(await screen.findByText("Matched by email only: verify the customer")).toBeInTheDocument();
    expect(await screen.findByTestId("payment-amount")).toHaveTextContent("€42.34");
  });

  it("lets the agent pick when several payments match, and go back to the list", async () => {
    const first = paymentTimeline({ payment: { paymentId: "pay_first", orderName: "#1001", createdAt: "2026-10-01T10:00:00Z" } });
    const second = paymentTimeline({ payment: { paymentId: "pay_second", orderName: "#1002", amount: 990, capturedAmount: 990, refundableAmount: 990 } });
    const { user, client } = setup({ ticket: ticket(null), timelines: [first, second] });
    const list = await screen.findByRole("region", { name: "Matching payments" });
    expect(within(list).getAllByRole("button")).toHaveLength(2);
    expect(client.backendCalls.some((c) => c.path.includes("/payments/"))).toBe(false);

    await user.click(within(list).getByRole("button", { name: /#1002/ }));
    expect(await screen.findByTestId("payment-amount")).toHaveTextContent("€9.90");
    expect(client.backendCalls.map((c) => c.path)).toContain("/api/zendesk/payments/pay_second");

    await user.click(screen.getByRole("button", { name: "Choose another matching payment" }));
    expect(screen.getByRole("region", { name: "Matching payments" })).toBeInTheDocument();
  });

  it("says what it searched for when nothing matches", async () => {
    setup({ ticket: ticket("1009", "nobody@example.com") });
    expect(await screen.findByText("No payment found for order #1009 or nobody@example.com.")).toBeInTheDocument();
  });

  it("explains a missing setting instead of calling the backend", async () => {
    const { client } = setup({ settings: { ...SETTINGS, backend_url: "" } });
    expect(await screen.findByText(/backend URL is not set/)).toBeInTheDocument();
    expect(client.backendCalls).toHaveLength(0);
  });

  it("looks again when the payment field changes", async () => {
    const { client } = setup();
    await screen.findByTestId("payment-amount");
    expect(client.listeners("ticket.custom_field_360001.changed")).toBe(1);
    act(() => client.emit("ticket.custom_field_360001.changed"));
    await waitFor(() => expect(callsTo(client, "/lookup")).toHaveLength(2));
  });
});

describe("the timeline", () => {
  it("shows every kind of event, newest first, with amounts in their own currency", async () => {
    const timeline = paymentTimeline({
      payment: { paymentId: "pay_kwd", currency: "KWD", amount: 1500, capturedAmount: 1500, refundableAmount: 1500 },
      entries: [
        timelineEntry({ id: "e1", type: "declined", declineClass: "soft", occurredAt: "2026-11-01T09:00:00Z", summary: "Insufficient funds (20051)" }),
        timelineEntry({ id: "e2", type: "authorized", occurredAt: "2026-11-01T09:05:00Z", amount: 1500, currency: "KWD" }),
        timelineEntry({ id: "e3", type: "flagged", occurredAt: "2026-11-01T09:06:00Z", summary: "Risk score 82" }),
        timelineEntry({ id: "e4", type: "held", occurredAt: "2026-11-01T09:07:00Z" }),
        timelineEntry({ id: "e5", type: "released", occurredAt: "2026-11-01T12:00:00Z", actor: "Sam" }),
        timelineEntry({ id: "e6", type: "captured", occurredAt: "2026-11-01T12:01:00Z", amount: 1500, currency: "KWD" }),
        timelineEntry({ id: "e7", type: "partially_refunded", occurredAt: "2026-11-03T08:00:00Z", amount: 250, currency: "KWD" }),
        timelineEntry({ id: "e8", type: "dispute_opened", occurredAt: "2026-11-10T08:00:00Z", amount: 1200, currency: "JPY" }),
        timelineEntry({ id: "e9", type: "evidence_submitted", occurredAt: "2026-11-11T08:00:00Z" }),
        timelineEntry({ id: "e10", type: "dispute_won", occurredAt: "2026-11-20T08:00:00Z" }),
        timelineEntry({ id: "e0", type: "declined", declineClass: "risk", occurredAt: "2026-11-01T08:00:00Z" }),
      ],
    });
    setup({ ticket: ticket("pay_kwd"), timelines: [timeline] });
    const items = await screen.findAllByTestId("timeline-entry");
    const texts = items.map((li) => li.textContent ?? "");
    expect(texts).toHaveLength(11);
    expect(texts[0]).toContain("Dispute won");
    expect(texts[1]).toContain("Evidence submitted");
    expect(texts.at(-1)).toContain("Declined (blocked by fraud checks)");
    const text = texts.join("\n");
    expect(text).toContain("Declined (soft decline: the customer may retry)");
    expect(text).toMatch(/Partially refunded · KWD\s0\.250/);
    expect(text).toContain("Dispute opened · ¥1,200");
    expect(text).toContain("Fulfilment held");
    expect(text).toContain("Hold released");
    expect(text).toContain("Flagged by risk checks");
    expect(text).toContain("Evidence submitted");
    expect(screen.getByTestId("payment-amount")).toHaveTextContent("KWD 1.500");
  });

  it("polls for changes, backing off while nothing changes and speeding up after a change", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { client, backend } = setup();
    await screen.findByTestId("payment-amount");
    const polls = () => callsTo(client, "/payments/pay_captured1").length;
    expect(polls()).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(polls()).toBe(2);
    await act(() => vi.advanceTimersByTimeAsync(19_000));
    expect(polls()).toBe(2);
    backend.timeline("pay_captured1").payment.state = "voided";
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(polls()).toBe(3);
    await waitFor(() => expect(screen.getByLabelText("Payment summary")).toHaveTextContent("Voided"));
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(polls()).toBe(4);
  });

  it("refreshes when the app is activated again", async () => {
    const { client, backend } = setup();
    await screen.findByTestId("payment-amount");
    backend.timeline("pay_captured1").payment.refundedAmount = 1000;
    backend.timeline("pay_captured1").payment.refundableAmount = 3234;
    act(() => client.emit("app.activated"));
    await waitFor(() => expect(screen.getByTestId("refundable")).toHaveTextContent("€32.34"));
  });
});

async function openRefund(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole("button", { name: "Refund" }));
  const form = await screen.findByRole("form", { name: "Refund" });
  return {
    form,
    amount: within(form).getByLabelText(/Amount/),
    reason: within(form).getByLabelText("Reason"),
    details: within(form).getByLabelText(/Details/),
    review: within(form).getByRole("button", { name: "Review refund" }),
  };
}

/** Fills the refund form, reviews it and confirms in the modal. */
async function refund(user: ReturnType<typeof userEvent.setup>, amount: string, reason: string, confirmLabel: string) {
  const f = await openRefund(user);
  await user.type(f.amount, amount);
  await user.selectOptions(f.reason, reason);
  await user.click(f.review);
  await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: confirmLabel }));
}

describe("refunds", () => {
  it("refuses an amount above what is still refundable, and a missing reason", async () => {
    const { user, client } = setup({ timelines: [paymentTimeline({ payment: { refundedAmount: 1000, refundableAmount: 3234 } })] });
    const f = await openRefund(user);
    await user.type(f.amount, "32.35");
    await user.click(f.review);
    expect(within(f.form).getByText("You can refund at most €32.34.")).toBeInTheDocument();
    expect(within(f.form).getByText("Choose a reason for the refund.")).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(callsTo(client, "/refund")).toHaveLength(0);
  });

  it("refuses more decimals than the currency has, and amounts above the shop's limit", async () => {
    const jpy = paymentTimeline({
      payment: { paymentId: "pay_jpy", currency: "JPY", amount: 12000, capturedAmount: 12000, refundableAmount: 12000 },
      permissions: { refund: true, void: true, submitEvidence: true, maxRefundAmount: 5000 },
    });
    const { user } = setup({ ticket: ticket("pay_jpy"), timelines: [jpy] });
    const f = await openRefund(user);
    await user.type(f.amount, "12.5");
    await user.click(f.review);
    expect(within(f.form).getByText("JPY has no decimal places.")).toBeInTheDocument();
    await user.clear(f.amount);
    await user.type(f.amount, "6000");
    await user.click(f.review);
    expect(within(f.form).getByText("Refunds above ¥5,000 must be made by a store admin in Shopify.")).toBeInTheDocument();
  });

  it("asks for confirmation and does nothing when the agent cancels", async () => {
    const { user, client } = setup();
    const f = await openRefund(user);
    await user.type(f.amount, "12.34");
    await user.selectOptions(f.reason, "Duplicate charge");
    await user.click(f.review);
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText("Refund €12.34?")).toBeInTheDocument();
    expect(within(dialog).getByText(/card •••• 4242 for order #1001/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(callsTo(client, "/refund")).toHaveLength(0);
  });

  it("refunds once while disabled, then writes the internal note and refreshes", async () => {
    const gate = deferred<void>();
    let backendRef: ReturnType<typeof createFakeBackend> | undefined;
    const { user, client, backend } = setup({
      intercept: (call) => (call.path.endsWith("/refund") ? gate.promise.then(() => backendRef!.handle(call)) : undefined),
    });
    backendRef = backend;
    const f = await openRefund(user);
    await user.type(f.amount, "12,34");
    await user.selectOptions(f.reason, "Duplicate charge");
    await user.type(f.details, "charged twice on 2 Nov");
    await user.click(f.review);
    const dialog = await screen.findByRole("dialog");
    const confirm = within(dialog).getByRole("button", { name: "Refund €12.34" });
    await user.click(confirm);

    const running = within(dialog).getByRole("button", { name: /Refunding/ });
    expect(running).toBeDisabled();
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toBeDisabled();
    await user.click(running);
    expect(callsTo(client, "/refund")).toHaveLength(1);
    expect(callsTo(client, "/refund")[0].body).toEqual({
      ticketId: 123,
      amount: 1234,
      currency: "EUR",
      reason: "Duplicate charge: charged twice on 2 Nov",
      restock: true,
      notifyCustomer: false,
    });

    gate.resolve();
    expect(await screen.findByText("Refund requested")).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(backend.actions).toHaveLength(1);
    expect(client.notes).toEqual([
      {
        ticketId: 123,
        public: false,
        body: [
          "Partial refund of EUR 12.34 (of EUR 42.34 captured) requested on payment pay_captured1 (order #1001).",
          "Reason: Duplicate charge: charged twice on 2 Nov",
          "Made through Shopify order #1001 (unshipped items restocked, customer not emailed).",
          "Shopify took the request; its Checkout.com payments app carries it out and Checkout.com will confirm it shortly.",
          "Checkout.com reference: act_1",
          "Done by Jane Agent with the Checkout.com payments app.",
        ].join("\n"),
      },
    ]);
    await waitFor(() => expect(screen.getByTestId("refundable")).toHaveTextContent("€30.00"));
    expect(screen.getAllByTestId("timeline-entry")[0]).toHaveTextContent("Refund requested · €12.34");
  });

  it("fills in the full refundable amount and calls it a full refund in the note", async () => {
    const { user, client } = setup();
    const f = await openRefund(user);
    await user.click(within(f.form).getByRole("button", { name: "Refund everything refundable" }));
    expect(f.amount).toHaveValue("42.34");
    await user.selectOptions(f.reason, "Item returned");
    await user.click(f.review);
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Refund €42.34" }));
    await screen.findByText("Refund requested");
    expect(client.notes[0].body).toMatch(/^Full refund of EUR 42\.34 requested on payment pay_captured1/);
  });

  it("shows the backend's refusal in its own words and writes no note", async () => {
    const { user, client } = setup({
      intercept: (call) =>
        call.path.endsWith("/refund")
          ? { status: 403, body: { error: { code: "forbidden", message: "Refunds above EUR 10.00 must be made by a store admin." } } }
          : undefined,
    });
    await refund(user, "12.34", "Goodwill gesture", "Refund €12.34");
    expect(await screen.findByText("Nothing was done")).toBeInTheDocument();
    expect(screen.getByText("Refunds above EUR 10.00 must be made by a store admin.")).toBeInTheDocument();
    expect(client.notes).toHaveLength(0);
  });

  it("says the result is unknown when the backend fails, and that retrying is safe", async () => {
    const { user } = setup({ intercept: (call) => (call.path.endsWith("/refund") ? { status: 502, body: "Bad gateway" } : undefined) });
    await refund(user, "1", "Goodwill gesture", "Refund €1.00");
    expect(await screen.findByText("Could not confirm the result")).toBeInTheDocument();
    expect(screen.getByText(/trying again will not repeat an action/)).toBeInTheDocument();
  });

  it("tells the agent to add the note by hand when Zendesk refuses it", async () => {
    const { user, backend } = setup({ failNotes: true });
    await refund(user, "5", "Goodwill gesture", "Refund €5.00");
    expect(await screen.findByText(/internal note could not be added; please add one by hand/)).toBeInTheDocument();
    expect(backend.actions).toHaveLength(1);
  });

  it("explains a rejected signature as a setup problem", async () => {
    setup({ intercept: () => ({ status: 401, body: { error: { code: "unauthorized", message: "bad signature" } } }) });
    expect(await screen.findByText(/did not accept this Zendesk app's signature/)).toBeInTheDocument();
  });
});

describe("void and evidence", () => {
  const authorised = paymentTimeline({
    payment: { paymentId: "pay_auth", state: "authorized", amount: 5000, currency: "USD", capturedAmount: 0, refundableAmount: 0, canVoid: true },
  });

  it("offers void only for an authorised, uncaptured payment", async () => {
    setup();
    await screen.findByTestId("payment-amount");
    expect(screen.queryByRole("button", { name: "Void authorisation" })).not.toBeInTheDocument();
  });

  it("voids after confirmation and notes it on the ticket", async () => {
    const { user, client } = setup({ ticket: ticket("pay_auth"), timelines: [authorised] });
    await user.click(await screen.findByRole("button", { name: "Void authorisation" }));
    expect(screen.queryByRole("button", { name: "Refund" })).not.toBeInTheDocument();
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Void payment" }));
    expect(await screen.findByText("Payment voided")).toBeInTheDocument();
    expect(callsTo(client, "/void")[0].body).toEqual({ ticketId: 123 });
    expect(client.notes[0].body).toContain("Authorisation of USD 50.00 voided on payment pay_auth (order #1001). The customer will not be charged.");
    await waitFor(() => expect(screen.queryByRole("button", { name: "Void authorisation" })).not.toBeInTheDocument());
  });

  it("says why an action is unavailable when the shop does not allow it", async () => {
    setup({ ticket: ticket("pay_auth"), timelines: [{ ...authorised, permissions: { ...authorised.permissions, void: false } }] });
    expect(await screen.findByRole("button", { name: "Void authorisation" })).toBeDisabled();
    expect(screen.getByText("This store does not allow voids from Zendesk.")).toBeInTheDocument();
  });

  const dueBy = new Date(Date.now() + 3 * 86_400_000 + 3_600_000).toISOString();
  const disputed = (evidenceReady: boolean) =>
    paymentTimeline({
      dispute: {
        disputeId: "dsp_abc",
        status: "evidence_required",
        category: "product_service_not_received",
        amount: 4234,
        currency: "EUR",
        isOpen: true,
        evidenceDueBy: dueBy,
        evidenceReady,
        evidenceSubmittedAt: null,
      },
    });

  it("shows the deadline and keeps evidence submission off until the evidence is ready", async () => {
    setup({ timelines: [disputed(false)] });
    expect(await screen.findByTestId("evidence-deadline")).toHaveTextContent(/Evidence due by .*\(3 days left\)/);
    expect(screen.getByRole("button", { name: "Submit evidence" })).toBeDisabled();
    expect(screen.getByText(/has not finished the evidence yet/)).toBeInTheDocument();
  });

  it("submits ready evidence after confirmation and notes it", async () => {
    const { user, client } = setup({ timelines: [disputed(true)] });
    await user.click(await screen.findByRole("button", { name: "Submit evidence" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/3 days left/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Submit evidence" }));
    expect(await screen.findByText("Evidence submitted", { selector: "[role=status] *" })).toBeInTheDocument();
    expect(callsTo(client, "/evidence")[0].body).toEqual({ ticketId: 123, disputeId: "dsp_abc" });
    expect(client.notes[0].body).toMatch(
      /^Dispute evidence submitted to Checkout\.com for dispute dsp_abc on payment pay_captured1 \(order #1001\) \(deadline /,
    );
    await waitFor(() => expect(screen.queryByRole("button", { name: "Submit evidence" })).not.toBeInTheDocument());
  });
});

describe("the path a refund takes", () => {
  it("says the refund goes through the Shopify order, and sends the restock and email choices", async () => {
    const { user, client } = setup();
    const f = await openRefund(user);
    expect(within(f.form).getByTestId("money-path")).toHaveTextContent("Goes through Shopify order #1001");
    await user.click(within(f.form).getByLabelText("Restock items that have not shipped"));
    await user.click(within(f.form).getByLabelText("Email the customer about the refund"));
    await user.type(f.amount, "10");
    await user.selectOptions(f.reason, "Item returned");
    await user.click(f.review);
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Nothing is restocked. Shopify emails the customer.");
    await user.click(within(dialog).getByRole("button", { name: "Refund €10.00" }));
    await screen.findByText("Refund requested");
    expect(callsTo(client, "/money-plan")).toHaveLength(1);
    expect(callsTo(client, "/refund")[0].body).toMatchObject({ amount: 1000, restock: false, notifyCustomer: true });
    expect(client.notes[0].body).toContain("Made through Shopify order #1001 (nothing restocked, customer emailed by Shopify).");
  });

  it("says why a payment without a Shopify order is refunded directly at Checkout.com, with no restock or email choice", async () => {
    const { user, client } = setup({ timelines: [paymentTimeline({ payment: { orderName: null } })] });
    const f = await openRefund(user);
    expect(within(f.form).getByTestId("money-path")).toHaveTextContent("No Shopify order is linked to this payment, so it is made directly at Checkout.com.");
    expect(within(f.form).queryByLabelText("Restock items that have not shipped")).not.toBeInTheDocument();
    await user.type(f.amount, "5");
    await user.selectOptions(f.reason, "Goodwill gesture");
    await user.click(f.review);
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Refund €5.00" }));
    await screen.findByText("Refund requested");
    expect(callsTo(client, "/refund")[0].body).toMatchObject({ amount: 500, restock: false, notifyCustomer: false });
    expect(client.notes[0].body).toContain("Made directly at Checkout.com: the Shopify order was not changed.");
  });

  it("shows both figures when Shopify allows less than Checkout.com, and keeps to the lower", async () => {
    const { user, client } = setup({ shopifyRefundable: { pay_captured1: 2000 } });
    const f = await openRefund(user);
    expect(within(f.form).getByTestId("money-limits")).toHaveTextContent("Shopify allows €20.00, Checkout.com €42.34: the lower applies.");
    await user.type(f.amount, "30");
    await user.selectOptions(f.reason, "Item returned");
    await user.click(f.review);
    expect(await within(f.form).findByText("You can refund at most €20.00.")).toBeInTheDocument();
    expect(callsTo(client, "/refund")).toHaveLength(0);
  });

  it("does nothing when the order cannot be checked in Shopify, and says so", async () => {
    const { user, client } = setup({
      intercept: (call) =>
        call.path.endsWith("/money-plan")
          ? {
              status: 502,
              body: {
                error: { code: "upstream_error", message: "Shopify could not be asked about the order (Shopify is unavailable). Try again in a moment." },
              },
            }
          : undefined,
    });
    await user.click(await screen.findByRole("button", { name: "Refund" }));
    expect(await screen.findByText(/Shopify could not be asked about the order/)).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Refund" })).not.toBeInTheDocument();
    expect(callsTo(client, "/refund")).toHaveLength(0);
  });
});
