// Where a Shopify webhook answered before Remix (the order topics, app/orders/order-webhooks.server.ts)
// is verified: the checks of Shopify's library (`webhooks.validate`, which authenticate.webhook runs),
// done here. The body's HMAC-SHA256 under the app's client secret, in base64, must equal
// X-Shopify-Hmac-Sha256 (compared in constant time), and the headers every webhook carries must be
// there. In a sale these webhooks arrive as fast as payments do, and the library's check was 8% of the
// app's CPU in bench:webhooks: it canonicalizes every header name again for each header it adds, and
// imports the key through WebCrypto on every call. The test holds this to the library's verdicts.
import crypto from "node:crypto";
import { env } from "../env.server";

export type VerifiedWebhook = { ok: true; shop: string; payload: unknown } | { ok: false; response: Response };

/** The headers the library requires of a webhook besides the HMAC. */
const REQUIRED_HEADERS = ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"];

const refused = (status: 400 | 401, message: string) => ({ ok: false as const, response: new Response(message, { status }) });

/** Whether `hmac` is the body's HMAC under the app's secret, spelled as Shopify spells it (base64). */
function signedByShopify(body: Buffer, hmac: string): boolean {
  const expected = Buffer.from(crypto.createHmac("sha256", env().SHOPIFY_API_SECRET).update(body).digest("base64"));
  const given = Buffer.from(hmac);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

export async function verifyShopifyWebhook(request: Request): Promise<VerifiedWebhook> {
  if (request.method !== "POST") return { ok: false, response: new Response("Only POST", { status: 405, headers: { Allow: "POST" } }) };
  const body = Buffer.from(await request.arrayBuffer());
  const hmac = request.headers.get("X-Shopify-Hmac-Sha256");
  if (!body.length || !hmac) return refused(400, "Bad Request");
  if (!signedByShopify(body, hmac)) return refused(401, "Unauthorized");
  const shop = request.headers.get("X-Shopify-Shop-Domain");
  if (!shop || REQUIRED_HEADERS.some((name) => !request.headers.get(name))) return refused(400, "Bad Request");
  try {
    return { ok: true, shop, payload: JSON.parse(body.toString("utf8")) };
  } catch {
    return refused(400, "The body is not JSON");
  }
}
