import type { ActionFunctionArgs } from "@remix-run/node";
import { onlyPost } from "../lib/http";
import { authenticate } from "../shopify.server";
import { markUninstalled } from "../shops/install.server";

// Everything the app does for the shop stops now; its data stays until shop/redact (48 hours later).
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticate.webhook(request);
  await markUninstalled(shop);
  return new Response(null, { status: 200 });
};

export const loader = onlyPost;
