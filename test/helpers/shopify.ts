// Requests as Shopify sends them: HMAC-signed webhooks, for route tests.
import type { ActionFunctionArgs } from "@remix-run/node";
import { webhookHeaders, webhookHmac } from "../standins/shopify/order-webhooks";
import { TEST_API_SECRET, TEST_APP_URL } from "./env";

export function shopifyWebhookRequest(path: string, topic: string, shop: string, payload: unknown, options: { secret?: string; hmac?: string } = {}) {
  const body = JSON.stringify(payload);
  const hmac = options.hmac ?? webhookHmac(body, options.secret ?? TEST_API_SECRET);
  return new Request(`${TEST_APP_URL}${path}`, { method: "POST", body, headers: shopifyWebhookHeaders(topic, shop, hmac) });
}

/** The headers Shopify sends with a webhook; `hmac` null leaves X-Shopify-Hmac-Sha256 out. */
export const shopifyWebhookHeaders = webhookHeaders;

/** Calls a Remix action and returns its Response, whether it was returned, returned as data() or thrown. */
export async function callAction(action: (args: ActionFunctionArgs) => unknown, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    const result = await action({ request, params, context: {} });
    if (result instanceof Response) return result;
    const wrapped = result as { type?: string; data?: unknown; init?: ResponseInit | null };
    if (wrapped?.type === "DataWithResponseInit") return Response.json(wrapped.data, wrapped.init ?? {});
    return Response.json(result);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
