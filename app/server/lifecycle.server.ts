// What runs beside the Remix app in the server process: health and readiness endpoints, Checkout.com
// and Shopify order webhooks (answered here, before Remix, for speed: they arrive as fast as a sale
// goes) and the webhook worker (when WORKER_IN_PROCESS). `handle` answers the requests it owns before
// any body is read; `webhookDoor` gives the listener for a Shopify order webhook (after the server's
// body-size guard), or null for Remix.
import type http from "node:http";
import { createRequestListener } from "@mjackson/node-fetch-server";
import { db } from "../db.server";
import { env } from "../env.server";
import { CHECKOUT_WEBHOOK_PATH, handleCheckoutWebhook } from "../webhooks/receive.server";
import { createAppWorker } from "../events/registry.server";
import { answerOrderWebhook, ORDER_WEBHOOK_PATHS, type OrderWebhookTopic } from "../orders/order-webhooks.server";
import { answerHealthCheck, type Readiness } from "./health.server";

export interface RunningApp {
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  webhookDoor(url: string): http.RequestListener | null;
  markDraining(): void;
  stop(): Promise<void>;
}

const orderWebhookListeners = Object.fromEntries(
  Object.values(ORDER_WEBHOOK_PATHS).map((topic) => [topic, createRequestListener((request) => answerOrderWebhook(request, topic))]),
) as Record<OrderWebhookTopic, http.RequestListener>;

export async function startApp(): Promise<RunningApp> {
  let draining = false;
  const worker = env().WORKER_IN_PROCESS ? createAppWorker() : null;
  worker?.start();
  // Ready to take traffic: not shutting down, and the database answers.
  const readiness = async (): Promise<Readiness> => {
    if (draining) return { ready: false, reason: "shutting down" };
    return db()
      .$queryRawUnsafe("SELECT 1")
      .then(
        () => ({ ready: true as const }),
        () => ({ ready: false as const, reason: "database unavailable" }),
      );
  };
  return {
    handle(req, res) {
      const url = req.url ?? "/";
      if (url.startsWith(CHECKOUT_WEBHOOK_PATH)) {
        handleCheckoutWebhook(req, res);
        return true;
      }
      return answerHealthCheck(req, res, readiness);
    },
    webhookDoor(url) {
      const topic = ORDER_WEBHOOK_PATHS[url.split("?")[0]];
      return topic ? orderWebhookListeners[topic] : null;
    },
    markDraining() {
      draining = true;
    },
    async stop() {
      await worker?.stop();
    },
  };
}
