import type { ActionFunctionArgs } from "@remix-run/node";
import { onlyPost } from "../lib/http";
import { receiveUpdatedOrder } from "../orders/order-webhooks.server";
import { authenticate } from "../shopify.server";

// A changed order (email, total, ...): the order index keeps the newer state.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload } = await authenticate.webhook(request);
  const outcome = await receiveUpdatedOrder(shop, payload);
  return outcome.ok ? new Response(null, { status: 200 }) : new Response(outcome.reason, { status: 400 });
};

export const loader = onlyPost;
