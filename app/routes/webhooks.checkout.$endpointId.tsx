import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { receiveWebhookRequest } from "../webhooks/receive.server";

// Checkout.com webhooks. In production server.ts answers this path before Remix (same function
// underneath, app/webhooks/receive.server.ts); this route serves `remix vite:dev` and keeps the URL
// discoverable among the routes.
export const action = ({ request, params }: ActionFunctionArgs) => receiveWebhookRequest(request, params.endpointId ?? "");

export const loader = ({ request }: LoaderFunctionArgs) => receiveWebhookRequest(request, "");
