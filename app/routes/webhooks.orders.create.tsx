import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { enqueueJob } from "../events/jobs.server";
import { onlyPost } from "../lib/http";
import { authenticate } from "../shopify.server";
import { findShop } from "../shops/shop.server";

const orderSchema = z.object({ id: z.number(), admin_graphql_api_id: z.string(), name: z.string().optional() });

// A new order may be the one an earlier payment was waiting for: matching runs as a durable job.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload } = await authenticate.webhook(request);
  const order = orderSchema.safeParse(payload);
  if (!order.success) return new Response("Payload is not an order", { status: 400 });
  const record = await findShop(shop);
  if (record) {
    await enqueueJob(record.id, "order_created", order.data.admin_graphql_api_id, {
      orderGid: order.data.admin_graphql_api_id,
      name: order.data.name,
    });
  }
  return new Response(null, { status: 200 });
};

export const loader = onlyPost;
