import type { ActionFunctionArgs } from "@remix-run/node";
import { onlyPost } from "../lib/http";
import { answerOrderWebhook } from "../orders/order-webhooks.server";

// A changed order (email, total, ...): the order index keeps the newer state.
// Production answers before Remix (app/server/lifecycle.server.ts); this route serves development and tests.
export const action = ({ request }: ActionFunctionArgs) => answerOrderWebhook(request, "orders/updated");

export const loader = onlyPost;
