import type { ActionFunctionArgs } from "@remix-run/node";
import { onlyPost } from "../lib/http";
import { receiveOrderTransaction } from "../orders/order-webhooks.server";
import { authenticate } from "../shopify.server";

// A new transaction on an order: its ids (Checkout.com's payment and action ids among them) join the
// order's references in the order index, so a payment known only by them is matched locally.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload } = await authenticate.webhook(request);
  const outcome = await receiveOrderTransaction(shop, payload);
  return outcome.ok ? new Response(null, { status: 200 }) : new Response(outcome.reason, { status: 400 });
};

export const loader = onlyPost;
