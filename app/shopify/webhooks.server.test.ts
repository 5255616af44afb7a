// The webhook check against Shopify's own library: for each delivery, signed or tampered with, the
// verdict of verifyShopifyWebhook must be the verdict of the library's `webhooks.validate` (which
// authenticate.webhook runs), with the same secret.
import "@shopify/shopify-api/adapters/web-api";
import { describe, expect, it } from "vitest";
import { TEST_API_SECRET, TEST_APP_URL } from "../../test/helpers/env";
import { shopifyLibraryLikeTheApp } from "../../test/helpers/shopify-library";
import { webhookHeaders, webhookHmac } from "../../test/standins/shopify/order-webhooks";
import { verifyShopifyWebhook } from "./webhooks.server";

const library = shopifyLibraryLikeTheApp();

const SHOP = "parity.myshopify.com";
const BODY = JSON.stringify({ id: 820982911946154500, name: "#9999", note: "Grüße" });

interface Delivery {
  body: string;
  headers: Record<string, string>;
}

const signed = (body = BODY, secret = TEST_API_SECRET): Delivery => ({ body, headers: webhookHeaders("orders/create", SHOP, webhookHmac(body, secret)) });
const without = (delivery: Delivery, header: string): Delivery => ({
  ...delivery,
  headers: Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => name !== header)),
});
const withHeader = (delivery: Delivery, header: string, value: string): Delivery => ({ ...delivery, headers: { ...delivery.headers, [header]: value } });

const request = ({ body, headers }: Delivery) => new Request(`${TEST_APP_URL}/webhooks/orders/create`, { method: "POST", headers, body });

/** The library's verdict as the status the app answers (its reasons: a bad HMAC is 401, the rest 400). */
async function libraryStatus(delivery: Delivery): Promise<number> {
  const check = await library.webhooks.validate({ rawBody: delivery.body, rawRequest: request(delivery) });
  return check.valid ? 200 : check.reason === "invalid_hmac" ? 401 : 400;
}

async function appStatus(delivery: Delivery): Promise<number> {
  const verified = await verifyShopifyWebhook(request(delivery));
  return verified.ok ? 200 : verified.response.status;
}

describe("verifyShopifyWebhook", () => {
  const good = signed();
  const cases: Array<[string, Delivery, number]> = [
    ["signed with the app's secret", good, 200],
    [
      "the header's name in lower case",
      {
        ...without(good, "X-Shopify-Hmac-Sha256"),
        headers: { ...without(good, "X-Shopify-Hmac-Sha256").headers, "x-shopify-hmac-sha256": good.headers["X-Shopify-Hmac-Sha256"] },
      },
      200,
    ],
    ["signed with another secret", signed(BODY, "another-secret"), 401],
    ["a body changed after signing", { ...good, body: BODY.replace("9999", "9998") }, 401],
    [
      "the HMAC in hex instead of base64",
      withHeader(good, "X-Shopify-Hmac-Sha256", Buffer.from(good.headers["X-Shopify-Hmac-Sha256"], "base64").toString("hex")),
      401,
    ],
    ["the HMAC with characters base64 decoding would skip", withHeader(good, "X-Shopify-Hmac-Sha256", `${good.headers["X-Shopify-Hmac-Sha256"]}!!`), 401],
    ["an empty HMAC", withHeader(good, "X-Shopify-Hmac-Sha256", ""), 400],
    ["no HMAC", without(good, "X-Shopify-Hmac-Sha256"), 400],
    ["no topic", without(good, "X-Shopify-Topic"), 400],
    ["no shop domain", without(good, "X-Shopify-Shop-Domain"), 400],
    ["no API version", without(good, "X-Shopify-API-Version"), 400],
    ["no webhook id", without(good, "X-Shopify-Webhook-Id"), 400],
    ["an empty body", signed(""), 400],
  ];

  it.each(cases)("%s: answered as Shopify's library answers it", async (_name, delivery, status) => {
    expect(await libraryStatus(delivery)).toBe(status);
    expect(await appStatus(delivery)).toBe(status);
  });

  it("gives the shop and the parsed body of a signed webhook", async () => {
    expect(await verifyShopifyWebhook(request(good))).toEqual({ ok: true, shop: SHOP, payload: JSON.parse(BODY) });
  });

  it("answers 400 to a signed body that is not JSON, and 405 to anything but POST", async () => {
    expect(await appStatus(signed("not json"))).toBe(400);
    const get = await verifyShopifyWebhook(new Request(`${TEST_APP_URL}/webhooks/orders/create`, { headers: good.headers }));
    expect(get.ok ? 200 : get.response.status).toBe(405);
  });
});
