// POST /api/zendesk/payments/:paymentId/evidence: submits the dispute evidence the store prepared.
import { submitEvidenceFromZendesk } from "../zendesk/actions.server";
import { evidenceRequestSchema } from "../zendesk/contract";
import { methodNotAllowed, readBody, zendeskEndpoint, zendeskJson } from "../zendesk/http.server";

export const action = zendeskEndpoint(async ({ request, caller, paymentId }) => {
  const { status, body } = await submitEvidenceFromZendesk(caller, paymentId, await readBody(request, evidenceRequestSchema));
  return zendeskJson(body, status);
});

export const loader = methodNotAllowed("POST");
