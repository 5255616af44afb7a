// An in-memory stand-in for the /api/zendesk/* routes, for the sidebar's tests and the Zendesk
// stand-in check. It parses every request with the shared contract, so a sidebar that sends
// something the real routes would refuse fails here too, and it answers only contract-valid bodies.
import {
  actionResultSchema,
  cancelOrderRequestSchema,
  evidenceRequestSchema,
  lookupRequestSchema,
  moneyPlanSchema,
  orderViewSchema,
  paymentTimelineSchema,
  refundRequestSchema,
  voidRequestSchema,
  type ActionResult,
  type LookupResponse,
  type MoneyPlanView,
  type OrderView,
  type PaymentCandidate,
  type PaymentTimeline,
  type TimelineEntry,
  type ZendeskError,
} from "#app/zendesk/contract";
import { formatMoney } from "#app/lib/money";

interface FakeRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeReply {
  status: number;
  body: unknown;
}

const fail = (status: number, code: ZendeskError["error"]["code"], message: string): FakeReply => ({
  status,
  body: { error: { code, message } } satisfies ZendeskError,
});

type TimelineOverrides = Partial<Omit<PaymentTimeline, "payment">> & { payment?: Partial<PaymentTimeline["payment"]> };

/** A contract-valid timeline: a captured EUR 42.34 card payment for order #1001, unless overridden. */
export function paymentTimeline(overrides: TimelineOverrides = {}): PaymentTimeline {
  return paymentTimelineSchema.parse({
    dispute: null,
    permissions: { refund: true, void: true, submitEvidence: true, maxRefundAmount: null },
    entries: [],
    ...overrides,
    payment: {
      paymentId: "pay_captured1",
      reference: "1001",
      orderName: "#1001",
      state: "captured",
      amount: 4234,
      currency: "EUR",
      capturedAmount: 4234,
      refundedAmount: 0,
      refundableAmount: 4234,
      canVoid: false,
      riskFlagged: false,
      customerName: "Ada Lovelace",
      customerEmail: "ada@example.com",
      cardScheme: "Visa",
      cardLast4: "4242",
      createdAt: "2026-11-02T10:00:00.000Z",
      ...overrides.payment,
    },
  });
}

export function timelineEntry(entry: Partial<TimelineEntry> & Pick<TimelineEntry, "id" | "type">): TimelineEntry {
  return { occurredAt: "2026-11-02T10:00:00.000Z", summary: "", amount: null, currency: null, actor: null, declineClass: null, ...entry };
}

type OrderOverrides = Partial<Omit<OrderView, "order">> & { order?: Partial<NonNullable<OrderView["order"]>> | null };

/** A contract-valid order view: order #1001, paid, unshipped, two items, for Ada in Paris, unless overridden. */
export function orderView(overrides: OrderOverrides = {}): OrderView {
  const { order, ...rest } = overrides;
  return orderViewSchema.parse({
    missing: order === null ? "not_linked" : null,
    hold: null,
    canCancel: false,
    ...rest,
    order:
      order === null
        ? null
        : {
            name: "#1001",
            createdAt: "2026-11-02T09:58:00.000Z",
            cancelledAt: null,
            financialStatus: "PAID",
            fulfillmentStatus: "UNFULFILLED",
            total: { amount: 4234, currency: "EUR" },
            lineItems: [
              { title: "Linen shirt", variantTitle: "M / Blue", quantity: 1, unitPrice: { amount: 3234, currency: "EUR" } },
              { title: "Gift wrap", variantTitle: null, quantity: 1, unitPrice: { amount: 1000, currency: "EUR" } },
            ],
            moreLineItems: false,
            fulfillments: [],
            shippingAddress: { name: "Ada Lovelace", company: null, lines: ["12 Rue de Rivoli", "75001 Paris"], country: "France" },
            ...order,
          },
  });
}

function candidate(t: PaymentTimeline): PaymentCandidate {
  const p = t.payment;
  return {
    paymentId: p.paymentId,
    orderName: p.orderName,
    amount: p.amount,
    currency: p.currency,
    state: p.state,
    createdAt: p.createdAt,
    customerName: p.customerName,
    customerEmail: p.customerEmail,
    cardLast4: p.cardLast4,
  };
}

export interface FakeBackend {
  handle(request: FakeRequest): FakeReply;
  timeline(paymentId: string): PaymentTimeline;
  /** Money actions that reached "Checkout.com" (replays are not repeated). */
  readonly actions: ActionResult[];
}

/**
 * The money plan the real backend would answer: a payment with an order goes through Shopify, one
 * without straight to Checkout.com. `shopifyRefundable` makes Shopify's figure differ.
 */
function moneyPlanOf(t: PaymentTimeline, options: { shopifyRefundable?: number } = {}): MoneyPlanView {
  const p = t.payment;
  const shopify = p.orderName ? (options.shopifyRefundable ?? p.refundableAmount) : null;
  return moneyPlanSchema.parse({
    via: p.orderName ? "shopify" : "checkout",
    directReason: p.orderName ? null : "No Shopify order is linked to this payment, so it is made directly at Checkout.com.",
    orderName: p.orderName,
    currency: p.currency,
    refundable: { checkout: p.refundableAmount, shopify, limit: Math.min(p.refundableAmount, shopify ?? p.refundableAmount) },
    canVoid: p.canVoid,
  });
}

export function createFakeBackend(
  timelines: PaymentTimeline[],
  now: () => Date = () => new Date(),
  plans: { shopifyRefundable?: Record<string, number>; orders?: Record<string, OrderView> } = {},
): FakeBackend {
  const store = new Map(timelines.map((t) => [t.payment.paymentId, structuredClone(t)]));
  // Each payment's order: as given, else #1001-like for a payment with an order name, else none linked.
  const orders = new Map(
    timelines.map((t) => [
      t.payment.paymentId,
      structuredClone(plans.orders?.[t.payment.paymentId] ?? orderView(t.payment.orderName ? { order: { name: t.payment.orderName } } : { order: null })),
    ]),
  );
  const actions: ActionResult[] = [];
  const done = new Map<string, ActionResult>();
  let sequence = 0;

  const addEntry = (t: PaymentTimeline, entry: Omit<TimelineEntry, "id" | "occurredAt" | "declineClass">) =>
    t.entries.push({ id: `act_${++sequence}`, occurredAt: now().toISOString(), declineClass: null, ...entry });

  function once(key: string, act: () => ActionResult): FakeReply {
    const previous = done.get(key);
    if (previous) return { status: 200, body: { ...previous, replayed: true } };
    const result = actionResultSchema.parse(act());
    done.set(key, result);
    actions.push(result);
    return { status: 202, body: result };
  }

  function lookup(body: unknown): FakeReply {
    const query = lookupRequestSchema.safeParse(body);
    if (!query.success) return fail(400, "invalid_request", query.error.issues[0].message);
    const all = [...store.values()];
    const tries: Array<[LookupResponse["matchedBy"], (t: PaymentTimeline) => boolean]> = [
      ["payment_id", (t) => t.payment.paymentId === query.data.paymentId],
      ["order_name", (t) => t.payment.orderName === query.data.orderName],
      ["email", (t) => t.payment.customerEmail?.toLowerCase() === query.data.email],
    ];
    for (const [matchedBy, test] of tries) {
      const found = all.filter(test);
      if (found.length > 0) return { status: 200, body: { matchedBy, payments: found.map(candidate) } satisfies LookupResponse };
    }
    return { status: 200, body: { matchedBy: null, payments: [] } satisfies LookupResponse };
  }

  function refund(t: PaymentTimeline, body: unknown): FakeReply {
    const req = refundRequestSchema.safeParse(body);
    if (!req.success) return fail(400, "invalid_request", req.error.issues[0].message);
    const p = t.payment;
    if (!t.permissions.refund) return fail(403, "forbidden", "Refunds from Zendesk are turned off for this store.");
    if (req.data.currency !== p.currency) return fail(400, "invalid_request", `This payment is in ${p.currency}.`);
    const limit = moneyPlanOf(t, { shopifyRefundable: plans.shopifyRefundable?.[p.paymentId] }).refundable.limit;
    if (req.data.amount > limit) {
      return fail(422, "amount_too_large", `You can refund at most ${formatMoney(limit, p.currency)}.`);
    }
    return once(`${req.data.ticketId}|${p.paymentId}|refund|${req.data.amount}`, () => {
      p.refundedAmount += req.data.amount;
      p.refundableAmount -= req.data.amount;
      p.state = p.refundableAmount === 0 ? "refunded" : "partially_refunded";
      const via = p.orderName
        ? ` through Shopify order ${p.orderName}${req.data.restock ? ", unshipped items restocked" : ""}${req.data.notifyCustomer ? ", customer notified" : ""}`
        : " directly at Checkout.com";
      addEntry(t, {
        type: "refund_requested",
        summary: `Refund requested from Zendesk${via}: ${req.data.reason}`,
        amount: req.data.amount,
        currency: p.currency,
        actor: "Zendesk",
      });
      return {
        action: "refund",
        status: "accepted",
        paymentId: p.paymentId,
        amount: req.data.amount,
        currency: p.currency,
        reference: `act_${sequence}`,
        replayed: false,
      };
    });
  }

  function voidPayment(t: PaymentTimeline, body: unknown): FakeReply {
    const req = voidRequestSchema.safeParse(body);
    if (!req.success) return fail(400, "invalid_request", req.error.issues[0].message);
    const p = t.payment;
    if (!p.canVoid) return fail(422, "not_voidable", "Only an authorised payment that has not been captured can be voided.");
    return once(`${req.data.ticketId}|${p.paymentId}|void`, () => {
      p.canVoid = false;
      p.state = "voided";
      addEntry(t, { type: "void_requested", summary: "Void requested from Zendesk", amount: p.amount, currency: p.currency, actor: "Zendesk" });
      return {
        action: "void",
        status: "accepted",
        paymentId: p.paymentId,
        amount: p.amount,
        currency: p.currency,
        reference: `act_${sequence}`,
        replayed: false,
      };
    });
  }

  function evidence(t: PaymentTimeline, body: unknown): FakeReply {
    const req = evidenceRequestSchema.safeParse(body);
    if (!req.success) return fail(400, "invalid_request", req.error.issues[0].message);
    const d = t.dispute;
    if (!d || d.disputeId !== req.data.disputeId) return fail(404, "not_found", "This payment has no such dispute.");
    if (!d.isOpen || d.evidenceSubmittedAt) return fail(422, "dispute_closed", "This dispute no longer accepts evidence.");
    if (!d.evidenceReady) return fail(422, "evidence_not_ready", "The evidence for this dispute is not complete yet.");
    return once(`${req.data.ticketId}|${t.payment.paymentId}|evidence|${d.disputeId}`, () => {
      d.evidenceSubmittedAt = now().toISOString();
      addEntry(t, { type: "evidence_submitted", summary: "Evidence submitted from Zendesk", amount: null, currency: null, actor: "Zendesk" });
      return { action: "evidence", status: "succeeded", paymentId: t.payment.paymentId, amount: null, currency: null, reference: d.disputeId, replayed: false };
    });
  }

  function cancelOrder(t: PaymentTimeline, body: unknown): FakeReply {
    const req = cancelOrderRequestSchema.safeParse(body);
    if (!req.success) return fail(400, "invalid_request", req.error.issues[0].message);
    const view = orders.get(t.payment.paymentId)!;
    const p = t.payment;
    if (!view.canCancel) return fail(403, "forbidden", "This store does not allow canceling orders from Zendesk.");
    if (!view.order) return fail(422, "not_cancelable", "No Shopify order is linked to this payment, so there is no order to cancel.");
    const key = `${req.data.ticketId}|${p.paymentId}|cancel`;
    if (view.order.cancelledAt && !done.has(key)) return fail(409, "conflict", `Order ${view.order.name} is already canceled.`);
    return once(key, () => {
      const voided = p.canVoid;
      const amount = voided ? p.amount : p.refundableAmount;
      view.order!.cancelledAt = now().toISOString();
      if (voided) p.state = "voided";
      else p.state = "refunded";
      p.canVoid = false;
      p.refundableAmount = 0;
      addEntry(t, { type: "order_canceled", summary: `Order canceled from Zendesk: ${req.data.reason}`, amount: null, currency: null, actor: "Zendesk" });
      return { action: "cancel", status: "accepted", paymentId: p.paymentId, amount, currency: p.currency, reference: `act_${sequence}`, replayed: false };
    });
  }

  function handle({ method, path, body }: FakeRequest): FakeReply {
    if (method === "POST" && path === "/api/zendesk/lookup") return lookup(body);
    const match = /^\/api\/zendesk\/payments\/([^/]+)(?:\/(refund|void|evidence|money-plan|order|cancel))?$/.exec(path);
    const t = match ? store.get(decodeURIComponent(match[1])) : undefined;
    if (!match) return fail(404, "not_found", "No such route.");
    if (!t) return fail(404, "not_found", "This store has no payment with that id.");
    if (!match[2] && method === "GET") return { status: 200, body: t };
    if (match[2] === "money-plan" && method === "GET")
      return { status: 200, body: moneyPlanOf(t, { shopifyRefundable: plans.shopifyRefundable?.[t.payment.paymentId] }) };
    if (match[2] === "order" && method === "GET") return { status: 200, body: orders.get(t.payment.paymentId) };
    if (method !== "POST") return fail(400, "invalid_request", "Use POST for actions.");
    if (match[2] === "cancel") return cancelOrder(t, body);
    if (match[2] === "refund") return refund(t, body);
    if (match[2] === "void") return voidPayment(t, body);
    return evidence(t, body);
  }

  return {
    handle,
    actions,
    timeline: (paymentId) => {
      const t = store.get(paymentId);
      if (!t) throw new Error(`no payment ${paymentId}`);
      return t;
    },
  };
}
