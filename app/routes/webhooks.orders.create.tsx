import type { ActionFunctionArgs } from "@remix-run/node";
import { onlyPost } from "../lib/http";
import { answerOrderWebhook } from "../orders/order-webhooks.server";

// A new order goes into the order index at once, and may be the one an earlier payment was waiting
// for: matching runs as a durable job. A bad HMAC is answered 401.
// Production answers before Remix (app/server/lifecycle.server.ts); this route serves development and tests.
export const action = ({ request }: ActionFunctionArgs) => answerOrderWebhook(request, "orders/create");

export const loader = onlyPost;
