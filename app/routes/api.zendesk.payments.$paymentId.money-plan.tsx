// GET /api/zendesk/payments/:paymentId/money-plan: read by the sidebar before a refund or void is
// confirmed: whether it goes through the Shopify order or straight to Checkout.com, and the limits.
import { methodNotAllowed, zendeskEndpoint, zendeskJson } from "../zendesk/http.server";
import { zendeskMoneyPlan } from "../zendesk/payments.server";

export const loader = zendeskEndpoint(async ({ caller, paymentId }) => zendeskJson(await zendeskMoneyPlan(caller, paymentId)));

export const action = methodNotAllowed("GET");
