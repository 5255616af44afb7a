// POST /api/zendesk/lookup: the ticket's payment, by payment id, order name or requester email
// (app/zendesk/contract.ts). Only the caller's shop is searched.
import { lookupRequestSchema } from "../zendesk/contract";
import { assertSignedTicket, methodNotAllowed, readBody, zendeskEndpoint, zendeskJson } from "../zendesk/http.server";
import { lookupPayments } from "../zendesk/payments.server";

export const action = zendeskEndpoint(async ({ request, caller }) => {
  const query = await readBody(request, lookupRequestSchema);
  assertSignedTicket(caller, query.ticketId);
  return zendeskJson(await lookupPayments(caller.shopId, query));
});

export const loader = methodNotAllowed("POST");
