// POST /api/zendesk/payments/:paymentId/cancel: cancels the payment's Shopify order and voids or refunds
// the payment, once per ticket and order; 403 unless the store allows it, 409 when already canceled.
import { cancelOrderRequestSchema } from "../zendesk/contract";
import { methodNotAllowed, readBody, zendeskEndpoint, zendeskJson } from "../zendesk/http.server";
import { cancelOrderFromZendesk } from "../zendesk/order-cancel.server";

export const action = zendeskEndpoint(async ({ request, caller, paymentId }) => {
  const { status, body } = await cancelOrderFromZendesk(caller, paymentId, await readBody(request, cancelOrderRequestSchema));
  return zendeskJson(body, status);
});

export const loader = methodNotAllowed("POST");
