// GET /api/zendesk/payments/:paymentId: the payment, its dispute, what the shop allows from Zendesk,
// and its timeline (app/zendesk/contract.ts). Another shop's payment is a 404 like a missing one.
import { methodNotAllowed, zendeskEndpoint, zendeskJson } from "../zendesk/http.server";
import { paymentTimeline } from "../zendesk/payments.server";

export const loader = zendeskEndpoint(async ({ caller, paymentId }) => zendeskJson(await paymentTimeline(caller, paymentId)));

export const action = methodNotAllowed("GET");
