// POST /api/zendesk/payments/:paymentId/refund: a full or partial refund asked from a ticket. Once per
// (connection, ticket, payment, amount): asking again answers the first result with `replayed: true`.
import { refundFromZendesk } from "../zendesk/actions.server";
import { refundRequestSchema } from "../zendesk/contract";
import { methodNotAllowed, readBody, zendeskEndpoint, zendeskJson } from "../zendesk/http.server";

export const action = zendeskEndpoint(async ({ request, caller, paymentId }) => {
  const { status, body } = await refundFromZendesk(caller, paymentId, await readBody(request, refundRequestSchema));
  return zendeskJson(body, status);
});

export const loader = methodNotAllowed("POST");
