// Where a Shopify webhook is verified: Shopify's library checks the HMAC (the app's API secret) and
// the headers, as authenticate.webhook does, without loading the shop's session, which webhooks that
// only write to our own tables never need.
import { WebhookValidationErrorReason } from "@shopify/shopify-api";
import { shopifyWebhooks } from "../shopify.server";

export type VerifiedWebhook = { ok: true; shop: string; topic: string; payload: unknown } | { ok: false; response: Response };

export async function verifyShopifyWebhook(request: Request): Promise<VerifiedWebhook> {
  if (request.method !== "POST") return { ok: false, response: new Response("Only POST", { status: 405, headers: { Allow: "POST" } }) };
  const rawBody = await request.text();
  const check = await shopifyWebhooks().validate({ rawBody, rawRequest: request });
  if (!check.valid) {
    const invalidHmac = check.reason === WebhookValidationErrorReason.InvalidHmac;
    return { ok: false, response: new Response(invalidHmac ? "Unauthorized" : "Bad Request", { status: invalidHmac ? 401 : 400 }) };
  }
  try {
    return { ok: true, shop: check.domain, topic: check.topic, payload: JSON.parse(rawBody) };
  } catch {
    return { ok: false, response: new Response("The body is not JSON", { status: 400 }) };
  }
}
