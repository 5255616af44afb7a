// What runs beside the Remix app in the server process: health and readiness endpoints, Checkout.com
// webhooks (answered here, before Remix, for speed) and the webhook worker (when WORKER_IN_PROCESS).
// `handle` answers the requests it owns and returns false for the rest.
import type http from "node:http";
import { db } from "../db.server";
import { env } from "../env.server";
import { CHECKOUT_WEBHOOK_PATH, handleCheckoutWebhook } from "../webhooks/receive.server";
import { createAppWorker } from "../events/registry.server";
import { answerHealthCheck, type Readiness } from "./health.server";

export interface RunningApp {
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  markDraining(): void;
  stop(): Promise<void>;
}

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
    markDraining() {
      draining = true;
    },
    async stop() {
      await worker?.stop();
    },
  };
}
