// GET /api/order-block/:orderId: the Checkout.com side of one order, for the order page block
// (extensions/checkout-order-block). The block calls it from Shopify's extension sandbox with the
// admin's ID token as a Bearer header; authenticate.admin verifies it, answers the CORS preflight, and
// names the shop. Only that shop's rows are read, so another shop's order id is a 404 like any order
// without a Checkout.com payment.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { orderBlockData } from "../order-block/order-block.server";
import { authenticate } from "../shopify.server";
import { noteOrderBlockSeen } from "../shops/onboarding.server";
import { findShop } from "../shops/shop.server";

const paramsSchema = z.object({
  orderId: z.string().regex(/^\d{1,20}$/, "The order id must be the numeric id from gid://shopify/Order/<id>."),
});

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const reply = (body: unknown, status = 200) => cors(Response.json(body, { status, headers: { "Cache-Control": "private, no-store" } }));

  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) return reply({ error: parsed.error.issues[0].message }, 400);
  const shop = await findShop(session.shop);
  const data = shop ? await orderBlockData(shop.id, `gid://shopify/Order/${parsed.data.orderId}`) : null;
  if (!shop || !data) return reply({ error: "No Checkout.com payment is linked to this order." }, 404);
  // The block shows a payment on the merchant's order page: Home's setup checklist ticks it. (Only on
  // an answer: a refused or empty request writes nothing.)
  await noteOrderBlockSeen(shop.id);
  return reply(data);
};
