import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "../db.server";
import { onlyPost } from "../lib/http";
import { authenticate } from "../shopify.server";

// Sessions go at once; the shop's data stays until shop/redact (48 hours later) so a quick reinstall loses nothing.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticate.webhook(request);
  await db().$transaction([
    db().session.deleteMany({ where: { shop } }),
    db().shop.updateMany({ where: { domain: shop }, data: { uninstalledAt: new Date() } }),
  ]);
  return new Response(null, { status: 200 });
};

export const loader = onlyPost;
