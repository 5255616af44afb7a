// The local admin's charge confirmation page: where appSubscriptionCreate's confirmationUrl leads
// (billing.ts), as Shopify's admin shows it to the merchant. "Approve" makes the subscription ACTIVE
// and "Decline" leaves it DECLINED; either way the merchant goes back to the subscription's returnUrl
// with `charge_id`, as on Shopify (its admin.shopify.com address opened in this local admin). The
// subscription lives in the app process's stand-in, so it is read and answered over the control API.
import type http from "node:http";
import { shopifyControlClient, type ShopifyControl } from "../control";
import type { AppSubscriptionRecord } from "../store";
import { escapeHtml, layout, type OrderPagesOptions } from "./order-pages";

const CHARGE_PAGE = /^\/store\/([\w-]+)\/charges\/([\w-]+)\/(\d+)\/RecurringApplicationCharge\/confirm_recurring_application_charge\/?$/;

const INTERVALS: Record<string, string> = { EVERY_30_DAYS: "every 30 days", ANNUAL: "every year" };

function chargeCard(subscription: AppSubscriptionRecord, appName: string): string {
  const { price, interval } = subscription.lineItems[0].plan.pricingDetails;
  const pending = subscription.status === "PENDING";
  return `<h1>Approve subscription${subscription.test ? ' <span class="badge attention" data-test-charge="true">Test charge</span>' : ""}</h1>
<div class="sub">${escapeHtml(appName)} is asking to charge this store.</div>
<div class="card">
  <dl>
    <dt>Plan</dt><dd data-plan>${escapeHtml(subscription.name)}</dd>
    <dt>Price</dt><dd data-price>${escapeHtml(`${price.currencyCode} ${Number(price.amount).toFixed(2)} ${INTERVALS[interval] ?? interval}`)}</dd>
    ${subscription.trialDays ? `<dt>Free trial</dt><dd>${subscription.trialDays} days</dd>` : ""}
    <dt>Status</dt><dd data-status="${escapeHtml(subscription.status)}">${escapeHtml(subscription.status.toLowerCase())}</dd>
  </dl>
  ${subscription.test ? "<p>This is a test charge: the store will not be billed.</p>" : ""}
  ${
    pending
      ? `<form method="post" style="display:flex;gap:8px;justify-content:flex-end">
    <button type="submit" name="decision" value="decline">Decline</button>
    <button type="submit" name="decision" value="approve">Approve</button>
  </form>`
      : `<p>This charge was already answered.</p>`
  }
</div>`;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

export function createChargePages(options: OrderPagesOptions) {
  let control: ShopifyControl | undefined;
  const setControl = (value: string | ShopifyControl) => {
    control = typeof value === "string" ? shopifyControlClient(value) : value;
  };
  if (options.shopifyControl) setControl(options.shopifyControl);

  const send = (res: http.ServerResponse, status: number, store: string, title: string, body: string) =>
    res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(layout(options, store, title, body));

  async function respond(req: http.IncomingMessage, res: http.ServerResponse, store: string, chargeId: string) {
    if (!control)
      return send(res, 503, store, "Charge", `<h1>Charge</h1><div class="card">The local admin does not know the Shopify stand-in's control API yet.</div>`);
    const id = `gid://shopify/AppSubscription/${chargeId}`;
    const subscription = await control.appSubscription(id);
    if (!subscription || subscription.shop !== `${store}.myshopify.com`) {
      return send(res, 404, store, "Charge not found", `<h1>Charge not found</h1><div class="card">This store has no charge ${escapeHtml(chargeId)}.</div>`);
    }
    if (req.method === "GET") return send(res, 200, store, `Approve ${subscription.name}`, chargeCard(subscription, options.appName));
    const decision = (await readForm(req)).get("decision");
    if (decision !== "approve" && decision !== "decline") {
      return send(res, 400, store, "Charge", `<h1>Charge</h1><div class="card">Choose Approve or Decline.</div>`);
    }
    const { redirectTo } = await control.decideAppSubscription(id, decision);
    // Shopify's admin host is this local admin.
    const location = redirectTo.replace(/^https:\/\/admin\.shopify\.com\/store\//, `http://${req.headers.host}/store/`);
    res.writeHead(303, { Location: location, "Cache-Control": "no-store" }).end();
  }

  return {
    setControl,
    /** Serves the charge confirmation page (GET) and the merchant's answer (POST); false for other paths. */
    handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean {
      const page = CHARGE_PAGE.exec(url.pathname);
      if (!page || (req.method !== "GET" && req.method !== "POST")) return false;
      respond(req, res, page[1], page[3]).catch((error: Error) => {
        if (res.headersSent) return void res.end();
        send(res, 422, page[1], "Charge", `<h1>Charge</h1><div class="card">${escapeHtml(error.message)}</div>`);
      });
      return true;
    },
  };
}
