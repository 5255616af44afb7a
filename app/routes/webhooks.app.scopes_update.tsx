import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "../db.server";
import { onlyPost } from "../lib/http";
import { authenticate } from "../shopify.server";

const payloadSchema = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload, session } = await authenticate.webhook(request);
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return new Response("Payload has no current scopes", { status: 400 });
  if (session) await db().session.update({ where: { id: session.id }, data: { scope: parsed.data.current.join(",") } });
  return new Response(null, { status: 200 });
};

export const loader = onlyPost;
