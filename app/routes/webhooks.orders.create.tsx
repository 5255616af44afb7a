import type { ActionFunctionArgs } from "@remix-run/node";
import { onlyPost } from "../lib/http";
import { receiveNewOrder } from "../orders/order-webhooks.server";
import { authenticate } from "../shopify.server";

// A new order goes into the order index at once, and may be the one an earlier payment was waiting
// for: matching runs as a durable job. authenticate.webhook answers 401 to a bad HMAC first.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload } = await authenticate.webhook(request);
  const outcome = await receiveNewOrder(shop, payload);
  return outcome.ok ? new Response(null, { status: 200 }) : new Response(outcome.reason, { status: 400 });
};

export const loader = onlyPost;
