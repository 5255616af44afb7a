// The local admin's Orders pages, as a merchant sees orders in Shopify's admin: the shop's orders
// (/store/<store>/orders) and one order (/store/<store>/orders/<legacy id>) with its payment and
// fulfillment status, cancellation, line items with refunded and restocked quantities, transactions
// (with the Checkout.com action id the payments app recorded), refunds, note and a timeline.
// Plain server-rendered HTML, no scripts, no CDN. The local admin runs in the demo or test process
// and the Shopify stand-in in the app process, so the data comes over the stand-in's control API.
import type http from "node:http";
import type { ShopifyControl } from "../control";
import { shopifyControlClient } from "../control";
import { formatDecimal } from "../money";
import { capturableTotal, lineState, netRefundable, shippingRefunded } from "../order-money";
import type { PaymentsAppCall } from "../payments-app";
import { financialStatus, fulfillmentStatus } from "../search";
import { legacyId, orderTotals, type NotificationRecord, type OrderRecord, type TransactionRecord } from "../store";

export interface OrderPagesOptions {
  /** The stand-in's control API: a URL or a client. Can be given later with setControl (the app starts after the admin). */
  shopifyControl?: string | ShopifyControl;
  appHandle: string;
  appName: string;
}

const ORDER_LIST = /^\/store\/([\w-]+)\/orders\/?$/;
const ORDER_PAGE = /^\/store\/([\w-]+)\/orders\/(\d+)\/?$/;

export const escapeHtml = (text: unknown) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const FINANCIAL_LABELS: Record<string, string> = {
  PENDING: "Payment pending",
  AUTHORIZED: "Authorized",
  PARTIALLY_PAID: "Partially paid",
  PAID: "Paid",
  PARTIALLY_REFUNDED: "Partially refunded",
  REFUNDED: "Refunded",
  VOIDED: "Voided",
  EXPIRED: "Expired",
};
const FULFILLMENT_LABELS: Record<string, string> = {
  UNFULFILLED: "Unfulfilled",
  PARTIALLY_FULFILLED: "Partially fulfilled",
  FULFILLED: "Fulfilled",
  ON_HOLD: "On hold",
};
const TONES: Record<string, string> = {
  PAID: "success",
  FULFILLED: "success",
  SUCCESS: "success",
  PENDING: "attention",
  AUTHORIZED: "attention",
  PARTIALLY_PAID: "attention",
  PARTIALLY_REFUNDED: "attention",
  UNFULFILLED: "attention",
  PARTIALLY_FULFILLED: "attention",
  ON_HOLD: "warning",
  FAILURE: "critical",
  ERROR: "critical",
  CANCELLED: "critical",
};

function badge(value: string, label = value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, " ")) {
  return `<span class="badge ${TONES[value] ?? "neutral"}" data-status="${escapeHtml(value)}">${escapeHtml(label)}</span>`;
}

const moneyText = (order: OrderRecord, minor: number) => `${formatDecimal(minor, order.presentmentCurrencyCode)} ${order.presentmentCurrencyCode}`;
const when = (iso: string | null) =>
  iso
    ? escapeHtml(
        iso
          .replace("T", " ")
          .replace(/:\d\dZ$/, " UTC")
          .replace(/Z$/, " UTC"),
      )
    : "";

function receipt(t: TransactionRecord): Record<string, unknown> {
  try {
    const parsed = t.receiptJson ? JSON.parse(t.receiptJson) : null;
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; grid-template: 56px 1fr / 240px 1fr; font: 13px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; background: #f1f1f1; color: #303030; }
#topbar { grid-column: 1 / 3; background: #1a1a1a; color: #e3e3e3; display: flex; align-items: center; gap: 16px; padding: 0 16px; }
#topbar .logo { font-weight: 700; color: #fff; }
#topbar .search { flex: 1; max-width: 480px; margin: 0 auto; background: #303030; border-radius: 8px; padding: 6px 12px; color: #8a8a8a; }
#topbar .shop { background: #303030; border-radius: 8px; padding: 4px 10px; }
nav { background: #ebebeb; padding: 12px 8px; border-right: 1px solid #e3e3e3; }
nav a, nav span { display: block; padding: 5px 10px; border-radius: 8px; color: #303030; text-decoration: none; font-weight: 550; }
nav a.active { background: #fff; }
nav span.section { color: #616161; font-size: 12px; margin-top: 16px; font-weight: 600; }
nav .muted { color: #8a8a8a; font-weight: 450; }
main { padding: 20px 28px; min-width: 0; }
h1 { font-size: 20px; margin: 0 0 4px; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
h2 { font-size: 14px; margin: 0 0 10px; }
.sub { color: #616161; margin-bottom: 16px; }
.grid { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 16px; align-items: start; }
.card { background: #fff; border-radius: 12px; box-shadow: 0 1px 0 rgba(0,0,0,.07), 0 0 0 1px rgba(0,0,0,.04); padding: 14px 16px; margin-bottom: 16px; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #ebebeb; vertical-align: top; }
th { color: #616161; font-weight: 550; font-size: 12px; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
.badge { display: inline-block; border-radius: 8px; padding: 1px 8px; font-size: 12px; font-weight: 550; background: #e3e3e3; }
.badge.success { background: #cdfee1; color: #0c5132; }
.badge.attention { background: #fff1e3; color: #5e4200; }
.badge.warning { background: #ffd6a4; color: #5e4200; }
.badge.critical { background: #fedad9; color: #8e0b21; }
.muted { color: #8a8a8a; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f3f3f3; padding: 0 4px; border-radius: 4px; word-break: break-all; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; margin: 0; }
dt { color: #616161; }
dd { margin: 0; text-align: right; }
ol.timeline { list-style: none; margin: 0; padding: 0; }
ol.timeline li { padding: 6px 0 6px 14px; border-left: 2px solid #e3e3e3; margin-left: 4px; }
ol.timeline time { display: block; color: #8a8a8a; font-size: 12px; }
.refund { border-top: 1px solid #ebebeb; padding-top: 8px; margin-top: 8px; }
.refund:first-of-type { border-top: 0; margin-top: 0; padding-top: 0; }
a { color: #005bd3; }
`;

export function layout(options: OrderPagesOptions, store: string, title: string, body: string) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<header id="topbar"><span class="logo">shopify <span class="muted">· local admin</span></span><span class="search">Search</span><span class="shop">${escapeHtml(`${store}.myshopify.com`)}</span></header>
<nav>
  <span class="muted">Home</span>
  <a class="active" href="/store/${escapeHtml(store)}/orders">Orders</a>
  <span class="muted">Products</span>
  <span class="muted">Customers</span>
  <span class="section">Apps</span>
  <a href="/store/${escapeHtml(store)}/apps/${escapeHtml(options.appHandle)}">${escapeHtml(options.appName)}</a>
</nav>
<main>${body}</main>
</body>
</html>`;
}

function orderList(options: OrderPagesOptions, store: string, orders: OrderRecord[]) {
  const rows = [...orders]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.number - a.number)
    .map((o) => {
      const customer = o.billingAddress?.name ?? o.email ?? "No customer";
      return `<tr data-order="${escapeHtml(o.id)}">
  <td><a href="/store/${escapeHtml(store)}/orders/${legacyId(o.id)}">${escapeHtml(o.name)}</a>${o.cancelledAt ? ` ${badge("CANCELLED", "Canceled")}` : ""}</td>
  <td>${when(o.createdAt)}</td>
  <td>${escapeHtml(customer)}</td>
  <td class="num">${escapeHtml(moneyText(o, orderTotals(o).total))}</td>
  <td>${badge(financialStatus(o), FINANCIAL_LABELS[financialStatus(o)])}</td>
  <td>${badge(fulfillmentStatus(o), FULFILLMENT_LABELS[fulfillmentStatus(o)])}</td>
  <td class="num">${o.lineItems.reduce((s, li) => s + li.quantity, 0)}</td>
</tr>`;
    })
    .join("\n");
  const body = `<h1>Orders</h1><div class="sub">${orders.length} order${orders.length === 1 ? "" : "s"}</div>
<div class="card"><table>
<thead><tr><th>Order</th><th>Date</th><th>Customer</th><th class="num">Total</th><th>Payment status</th><th>Fulfillment status</th><th class="num">Items</th></tr></thead>
<tbody>${rows || `<tr><td colspan="7" class="muted">No orders yet.</td></tr>`}</tbody>
</table></div>`;
  return layout(options, store, `Orders · ${store}`, body);
}

function orderPage(options: OrderPagesOptions, store: string, order: OrderRecord, calls: PaymentsAppCall[], notifications: NotificationRecord[]) {
  const money = (minor: number) => escapeHtml(moneyText(order, minor));
  const totals = orderTotals(order);
  const financial = financialStatus(order);
  const fulfillment = fulfillmentStatus(order);
  const byId = new Map(order.transactions.map((t) => [t.id, t]));

  const canceled = order.cancelledAt
    ? `<div class="card" id="cancellation"><h2>Canceled ${badge("CANCELLED", "Canceled")}</h2><dl>
<dt>Canceled at</dt><dd>${when(order.cancelledAt)}</dd>
<dt>Reason</dt><dd>${escapeHtml(order.cancelReason?.toLowerCase() ?? "")}</dd>
<dt>Staff note</dt><dd>${escapeHtml(order.cancellation?.staffNote ?? "—")}</dd>
<dt>Refund</dt><dd>${order.cancellation?.refund ? "yes" : "no"}</dd>
<dt>Restock</dt><dd>${order.cancellation?.restock ? "yes" : "no"}</dd>
<dt>Customer notified</dt><dd>${order.cancellation?.notifyCustomer ? "yes" : "no"}</dd>
</dl></div>`
    : "";

  const lines = order.lineItems
    .map((li) => {
      const state = lineState(order, li);
      return `<tr data-line="${escapeHtml(li.id)}">
  <td>${escapeHtml(li.title)}${li.variantTitle ? `<div class="muted">${escapeHtml(li.variantTitle)}</div>` : ""}${li.sku ? `<div class="muted">SKU: ${escapeHtml(li.sku)}</div>` : ""}</td>
  <td class="num">${money(li.unitPrice)} × ${li.quantity}</td>
  <td class="num" data-col="refunded">${state.refunded}</td>
  <td class="num" data-col="restocked">${state.restocked}</td>
  <td class="num" data-col="current">${state.current}</td>
  <td class="num" data-col="unfulfilled">${state.unfulfilled}</td>
  <td class="num">${money(li.unitPrice * li.quantity)}</td>
</tr>`;
    })
    .join("\n");

  const transactions = order.transactions
    .map((t) => {
      const r = receipt(t);
      const actionId = typeof r.action_id === "string" ? r.action_id : null;
      const ckoPayment = typeof r.payment_id === "string" ? r.payment_id : typeof r.id === "string" && r.id.startsWith("pay_") ? r.id : null;
      const parent = t.parentId ? byId.get(t.parentId) : undefined;
      return `<tr data-transaction="${escapeHtml(t.id)}">
  <td>${escapeHtml(t.kind.toLowerCase())}${parent ? `<div class="muted">of ${escapeHtml(parent.kind.toLowerCase())} ${legacyId(parent.id)}</div>` : ""}</td>
  <td>${badge(t.status)}${t.errorCode ? `<div class="muted">${escapeHtml(t.errorCode)}</div>` : ""}</td>
  <td>${escapeHtml(t.formattedGateway)} <span class="muted">(${escapeHtml(t.gateway)})</span></td>
  <td class="num">${money(t.amount)}</td>
  <td>${when(t.processedAt)}</td>
  <td>${actionId ? `<code data-col="action">${escapeHtml(actionId)}</code>` : ""}${ckoPayment ? `<div class="muted">payment <code>${escapeHtml(ckoPayment)}</code></div>` : ""}${t.paymentId ? `<div class="muted">Shopify payment id <code>${escapeHtml(t.paymentId)}</code></div>` : ""}</td>
</tr>`;
    })
    .join("\n");

  const refunds = order.refunds
    .map((r) => {
      const refundTransactions = order.transactions.filter((t) => t.refundId === r.id);
      const refundLines = r.lineItems
        .map((l) => {
          const li = order.lineItems.find((x) => x.id === l.lineItemId);
          return `<li>${l.quantity} × ${escapeHtml(li?.title ?? l.lineItemId)} · ${escapeHtml(l.restockType.toLowerCase().replace(/_/g, " "))}${l.restocked ? " · restocked" : ""} · ${money(l.subtotal + l.tax)}</li>`;
        })
        .join("");
      const by = r.source === "orderCancel" ? "cancellation" : r.source === "seed" ? "staff" : "app";
      return `<div class="refund" data-refund="${escapeHtml(r.id)}"><div><strong>Refund ${legacyId(r.id)}</strong> <span class="muted">${when(r.processedAt)} · by ${by}${r.notify ? " · customer notified" : ""}</span></div>
${r.note ? `<div>Note: ${escapeHtml(r.note)}</div>` : ""}
${refundLines ? `<ul>${refundLines}</ul>` : `<div class="muted">No items</div>`}
${r.shipping ? `<div>Shipping: ${money(r.shipping.amount)}</div>` : ""}
<div>${refundTransactions.map((t) => `${money(t.amount)} ${badge(t.status)}`).join(" ") || `<span class="muted">No money moved</span>`}</div></div>`;
    })
    .join("\n");

  type Event = { at: string; text: string };
  const events: Event[] = [{ at: order.createdAt, text: `Order ${escapeHtml(order.name)} placed${order.email ? ` by ${escapeHtml(order.email)}` : ""}` }];
  for (const t of order.transactions) {
    events.push({
      at: t.createdAt,
      text: `${escapeHtml(t.kind.toLowerCase())} of ${money(t.amount)} through ${escapeHtml(t.formattedGateway)}: ${escapeHtml(t.status.toLowerCase())}${t.errorCode ? ` (${escapeHtml(t.errorCode)})` : ""}`,
    });
    if (t.processedAt !== t.createdAt)
      events.push({ at: t.processedAt, text: `${escapeHtml(t.kind.toLowerCase())} of ${money(t.amount)} settled: ${escapeHtml(t.status.toLowerCase())}` });
  }
  for (const call of calls) {
    for (const attempt of call.attempts) {
      events.push({
        at: attempt.at,
        text: `Checkout.com payments app: ${escapeHtml(call.method)} <code>${escapeHtml(call.path ?? "")}</code> → ${escapeHtml(attempt.status ?? attempt.error ?? "")}`,
      });
    }
    if (call.note) events.push({ at: byId.get(call.transactionId)?.createdAt ?? order.updatedAt, text: `Checkout.com payments app: ${escapeHtml(call.note)}` });
  }
  for (const r of order.refunds) {
    const restocked = r.lineItems.filter((l) => l.restocked).reduce((s, l) => s + l.quantity, 0);
    events.push({
      at: r.createdAt,
      text: `Refund ${legacyId(r.id)} recorded${restocked ? `, ${restocked} item${restocked === 1 ? "" : "s"} restocked` : ""}${r.note ? `: ${escapeHtml(r.note)}` : ""}`,
    });
  }
  for (const f of order.fulfillments)
    events.push({
      at: f.createdAt,
      text: `Fulfillment ${escapeHtml(f.name)} (${f.totalQuantity} item${f.totalQuantity === 1 ? "" : "s"})${f.tracking[0]?.number ? `, tracking ${escapeHtml(f.tracking[0].number)}` : ""}`,
    });
  for (const hold of order.fulfillmentOrders.flatMap((fo) => fo.holds))
    events.push({
      at: hold.createdAt,
      text: `Fulfillment held: ${escapeHtml(hold.reason.toLowerCase().replace(/_/g, " "))}${hold.reasonNotes ? ` (${escapeHtml(hold.reasonNotes)})` : ""}`,
    });
  for (const risk of order.riskAssessments) events.push({ at: risk.createdAt, text: `Risk assessment: ${escapeHtml(risk.riskLevel.toLowerCase())}` });
  if (order.cancelledAt)
    events.push({
      at: order.cancelledAt,
      text: `Order canceled (${escapeHtml(order.cancelReason?.toLowerCase() ?? "")})${order.cancellation?.staffNote ? `: ${escapeHtml(order.cancellation.staffNote)}` : ""}`,
    });
  for (const n of notifications) events.push({ at: n.at, text: `${n.kind === "refund" ? "Refund" : "Cancellation"} email sent to ${escapeHtml(n.to)}` });
  const timeline = events
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((e) => `<li><time>${when(e.at)}</time>${e.text}</li>`)
    .join("\n");

  const body = `<div class="sub"><a href="/store/${escapeHtml(store)}/orders">← Orders</a></div>
<h1>${escapeHtml(order.name)} <span id="financial-status">${badge(financial, FINANCIAL_LABELS[financial])}</span> <span id="fulfillment-status">${badge(fulfillment, FULFILLMENT_LABELS[fulfillment])}</span>${order.cancelledAt ? ` ${badge("CANCELLED", "Canceled")}` : ""}</h1>
<div class="sub">${when(order.createdAt)} · ${escapeHtml(order.sourceName)}${order.email ? ` · ${escapeHtml(order.email)}` : ""}</div>
<div class="grid">
<div>
${canceled}
<div class="card" id="line-items"><h2>Items</h2><table>
<thead><tr><th>Item</th><th class="num">Price</th><th class="num">Refunded</th><th class="num">Restocked</th><th class="num">Current</th><th class="num">Unfulfilled</th><th class="num">Total</th></tr></thead>
<tbody>${lines}</tbody></table></div>
<div class="card" id="payment"><h2>Payment ${badge(financial, FINANCIAL_LABELS[financial])}</h2><dl>
<dt>Subtotal</dt><dd>${money(totals.subtotal + order.discount)}</dd>
${order.discount ? `<dt>Discount</dt><dd>−${money(order.discount)}</dd>` : ""}
<dt>Shipping${order.shippingTitle ? ` (${escapeHtml(order.shippingTitle)})` : ""}</dt><dd>${money(order.shippingPrice)}</dd>
<dt>Taxes</dt><dd>${money(order.tax)}</dd>
<dt><strong>Total</strong></dt><dd><strong>${money(totals.total)}</strong></dd>
<dt>Paid</dt><dd>${money(totals.captured)}</dd>
<dt>Refunded</dt><dd>${money(totals.refunded)}${shippingRefunded(order) ? ` <span class="muted">(shipping ${money(shippingRefunded(order))})</span>` : ""}</dd>
<dt>Net payment</dt><dd>${money(totals.captured - totals.refunded)}</dd>
<dt>Refundable</dt><dd>${money(netRefundable(order))}</dd>
<dt>Capturable</dt><dd>${money(capturableTotal(order))}</dd>
</dl></div>
<div class="card" id="transactions"><h2>Transactions</h2>${
    order.transactions.length
      ? `<table>
<thead><tr><th>Kind</th><th>Status</th><th>Gateway</th><th class="num">Amount</th><th>Processed</th><th>Checkout.com</th></tr></thead>
<tbody>${transactions}</tbody></table>`
      : `<div class="muted">No transactions: this order was not paid through Shopify's checkout.</div>`
  }</div>
<div class="card" id="refunds"><h2>Refunds</h2>${refunds || `<div class="muted">No refunds.</div>`}</div>
</div>
<div>
<div class="card" id="note"><h2>Notes</h2>${order.note ? `<div style="white-space: pre-wrap">${escapeHtml(order.note)}</div>` : `<div class="muted">No notes from customer</div>`}</div>
<div class="card" id="customer"><h2>Customer</h2><div>${escapeHtml(order.billingAddress?.name ?? "No customer")}</div><div class="muted">${escapeHtml(order.email ?? "")}</div>${order.tags.length ? `<div>Tags: ${order.tags.map(escapeHtml).join(", ")}</div>` : ""}</div>
<div class="card" id="timeline"><h2>Timeline</h2><ol class="timeline">${timeline}</ol></div>
</div>
</div>`;
  return layout(options, store, `${order.name} · ${store}`, body);
}

export function createOrderPages(options: OrderPagesOptions) {
  let control: ShopifyControl | undefined;
  const setControl = (value: string | ShopifyControl) => {
    control = typeof value === "string" ? shopifyControlClient(value) : value;
  };
  if (options.shopifyControl) setControl(options.shopifyControl);

  const send = (res: http.ServerResponse, status: number, html: string) =>
    res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(html);

  async function render(res: http.ServerResponse, store: string, orderLegacyId: string | undefined) {
    if (!control) {
      send(
        res,
        503,
        layout(
          options,
          store,
          "Orders",
          `<h1>Orders</h1><div class="card">The local admin does not know the Shopify stand-in's control API yet (startLocalAdmin's <code>shopifyControl</code>, or <code>setShopifyControl(url)</code>).</div>`,
        ),
      );
      return;
    }
    const shop = `${store}.myshopify.com`;
    const orders = await control.orders(shop);
    if (orderLegacyId === undefined) {
      send(res, 200, orderList(options, store, orders));
      return;
    }
    const order = orders.find((o) => legacyId(o.id) === orderLegacyId);
    if (!order) {
      send(
        res,
        404,
        layout(
          options,
          store,
          "Order not found",
          `<h1>Order not found</h1><div class="card">${escapeHtml(shop)} has no order ${escapeHtml(orderLegacyId)}. <a href="/store/${escapeHtml(store)}/orders">All orders</a></div>`,
        ),
      );
      return;
    }
    const [calls, notifications] = await Promise.all([control.paymentsAppCalls(order.id), control.notifications(shop)]);
    send(
      res,
      200,
      orderPage(
        options,
        store,
        order,
        calls,
        notifications.filter((n) => n.orderId === order.id),
      ),
    );
  }

  return {
    setControl,
    /** Serves /store/<store>/orders and /store/<store>/orders/<id>; false (and nothing sent) for other paths. */
    handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean {
      const list = ORDER_LIST.exec(url.pathname);
      const page = ORDER_PAGE.exec(url.pathname);
      if (req.method !== "GET" || (!list && !page)) return false;
      const store = (list ?? page)![1];
      render(res, store, page?.[2]).catch((error: Error) => {
        if (!res.headersSent)
          send(
            res,
            502,
            layout(options, store, "Orders", `<h1>Orders</h1><div class="card">The Shopify stand-in did not answer: ${escapeHtml(error.message)}</div>`),
          );
        else res.end();
      });
      return true;
    },
  };
}
