// Delivers events to an account's webhook URL the way Checkout.com does: POST of the JSON event,
// `Cko-Signature` = hex HMAC-SHA256 of the raw body (NAS: the webhook's signature key; ABC: the
// secret key), the fixed `Authorization` value when one is configured, a 2xx expected within the
// timeout, and retries on anything else until the schedule runs out. Every attempt is recorded.
import http from "node:http";
import https from "node:https";
import { signBody } from "../../fixtures/checkout-events";
import type { Account } from "./state";
import type { WebhookTarget } from "./workflows";

/** Checkout.com's NAS retry schedule: 5m, 10m, 15m, 30m, 1h, 4h, 12h, 12h. */
const CHECKOUT_RETRY_DELAYS_MS = [5, 10, 15, 30, 60, 240, 720, 720].map((m) => m * 60_000);

export interface WebhookOptions {
  /** Wait before the first attempt (the outcome of an action arrives "shortly after" its 202). Default 50 ms. */
  delayMs?: number;
  /** Waits between attempts; the delivery is given up after the last one. Default: Checkout.com's schedule. */
  retryDelaysMs?: number[];
  /** How long the receiver has to answer. Default 10 s, as Checkout.com. */
  timeoutMs?: number;
}

interface DeliveryAttempt {
  at: Date;
  status?: number;
  error?: string;
}

export interface Delivery {
  eventId: string;
  type: string;
  accountId: string;
  url: string;
  /** The raw body as sent; the signature covers exactly these bytes. */
  body: string;
  headers: Record<string, string>;
  attempts: DeliveryAttempt[];
  state: "pending" | "delivered" | "failed";
}

/** The webhook made on the account's dashboard, if any: signed with the signature key (NAS) or the secret key (ABC). */
export function dashboardWebhook(account: Account): WebhookTarget | null {
  if (!account.webhookUrl) return null;
  return {
    url: account.webhookUrl,
    key: account.accountType === "NAS" ? account.signatureKey! : account.secretKey,
    headers: account.authorizationHeader ? { Authorization: account.authorizationHeader } : {},
  };
}

function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === "https:" ? https : http).request(target, {
      method: "POST",
      headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on("response", (response) => {
      response.resume();
      response.on("end", () => {
        clearTimeout(timer);
        resolve(response.statusCode ?? 0);
      });
    });
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}

export function createWebhookSender(options: WebhookOptions, clock: () => Date) {
  const delayMs = options.delayMs ?? 50;
  const retryDelaysMs = options.retryDelaysMs ?? CHECKOUT_RETRY_DELAYS_MS;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deliveries: Delivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let busy = 0;
  let idleWaiters: Array<() => void> = [];
  let stopped = false;

  const settle = () => {
    if (busy === 0 && timers.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  };

  function later(ms: number, run: () => Promise<void>) {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      busy++;
      run().finally(() => {
        busy--;
        settle();
      });
    }, ms);
    timers.add(timer);
  }

  async function attempt(delivery: Delivery): Promise<void> {
    const record: DeliveryAttempt = { at: clock() };
    delivery.attempts.push(record);
    try {
      record.status = await post(delivery.url, delivery.body, delivery.headers, timeoutMs);
    } catch (error) {
      record.error = (error as Error).message;
    }
    if (record.status !== undefined && record.status >= 200 && record.status < 300) {
      delivery.state = "delivered";
      return;
    }
    const wait = retryDelaysMs[delivery.attempts.length - 1];
    if (wait === undefined) delivery.state = "failed";
    else later(wait, () => attempt(delivery));
  }

  function prepare(account: Account, target: WebhookTarget, event: Record<string, unknown>): Delivery {
    const body = JSON.stringify(event);
    const headers: Record<string, string> = {
      ...target.headers,
      "Content-Type": "application/json",
      "Cko-Signature": signBody(body, target.key),
      "User-Agent": "checkout-standin-webhooks",
    };
    const delivery: Delivery = {
      eventId: String(event.id),
      type: String(event.type),
      accountId: account.id,
      url: target.url,
      body,
      headers,
      attempts: [],
      state: "pending",
    };
    deliveries.push(delivery);
    return delivery;
  }

  return {
    /** Sends events to one target in order: each first attempt starts once the previous one has been answered. */
    send(account: Account, target: WebhookTarget, events: Array<Record<string, unknown>>): Delivery[] {
      const batch = events.map((event) => prepare(account, target, event));
      later(delayMs, async () => {
        for (const delivery of batch) await attempt(delivery);
      });
      return batch;
    },
    deliveries: (): readonly Delivery[] => deliveries,
    /** Resolves when nothing is scheduled or in flight: every delivery has been delivered or given up. */
    idle(): Promise<void> {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        settle();
      });
    },
    stop() {
      stopped = true;
      timers.forEach(clearTimeout);
      timers.clear();
      settle();
    },
  };
}
