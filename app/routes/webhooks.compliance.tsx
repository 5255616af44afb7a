import type { ActionFunctionArgs } from "@remix-run/node";
import { ZodError } from "zod";
import { onlyPost } from "../lib/http";
import { redactCustomer, redactShop, reportCustomerData } from "../shops/compliance.server";
import { authenticate } from "../shopify.server";

// Shopify's mandatory compliance topics (shopify.app.toml: compliance_topics). authenticate.webhook
// answers 401 to a bad HMAC before anything here runs.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, payload } = await authenticate.webhook(request);
  try {
    switch (topic) {
      case "CUSTOMERS_DATA_REQUEST":
        await reportCustomerData(shop, payload);
        break;
      case "CUSTOMERS_REDACT":
        await redactCustomer(shop, payload);
        break;
      case "SHOP_REDACT":
        await redactShop(shop);
        break;
      default:
        return new Response(`Unexpected topic ${topic}`, { status: 400 });
    }
  } catch (error) {
    // The request functions parse the payload with their zod schema first.
    if (error instanceof ZodError) return new Response(`The ${topic} payload is not what Shopify documents`, { status: 400 });
    throw error;
  }
  return new Response(null, { status: 200 });
};

export const loader = onlyPost;
