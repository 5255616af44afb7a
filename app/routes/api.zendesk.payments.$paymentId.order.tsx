// GET /api/zendesk/payments/:paymentId/order: the Shopify order behind the payment (items, fulfilment
// and tracking, shipping address, financial status) and the app's risk hold, for the sidebar's Order
// section. Another shop's payment is a 404 like a missing one; no linked order says so.
import { methodNotAllowed, zendeskEndpoint, zendeskJson } from "../zendesk/http.server";
import { zendeskOrderView } from "../zendesk/order.server";

export const loader = zendeskEndpoint(async ({ caller, paymentId }) => zendeskJson(await zendeskOrderView(caller, paymentId)));

export const action = methodNotAllowed("GET");
