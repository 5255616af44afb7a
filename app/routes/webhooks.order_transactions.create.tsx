import type { ActionFunctionArgs } from "@remix-run/node";
import { onlyPost } from "../lib/http";
import { answerOrderWebhook } from "../orders/order-webhooks.server";

// A new transaction on an order: its ids (Checkout.com's payment and action ids among them) join the
// order's references in the order index, so a payment known only by them is matched locally.
// Production answers before Remix (app/server/lifecycle.server.ts); this route serves development and tests.
export const action = ({ request }: ActionFunctionArgs) => answerOrderWebhook(request, "order_transactions/create");

export const loader = onlyPost;
