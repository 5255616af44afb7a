// POST /api/zendesk/payments/:paymentId/void: voids an authorised, uncaptured payment, once per ticket.
import { voidFromZendesk } from "../zendesk/actions.server";
import { voidRequestSchema } from "../zendesk/contract";
import { methodNotAllowed, readBody, zendeskEndpoint, zendeskJson } from "../zendesk/http.server";

export const action = zendeskEndpoint(async ({ request, caller, paymentId }) => {
  const { status, body } = await voidFromZendesk(caller, paymentId, await readBody(request, voidRequestSchema));
  return zendeskJson(body, status);
});

export const loader = methodNotAllowed("POST");
