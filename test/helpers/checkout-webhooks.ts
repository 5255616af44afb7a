// Delivering Checkout.com webhooks to the app in tests, as Checkout.com does: a signed POST to
// /webhooks/checkout/<endpointId>, through the same node:http handler server.ts uses.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { CheckoutConnection } from "@prisma/client";
import { db } from "../../app/db.server";
import { eventPaymentId, eventPriority } from "../../app/webhooks/envelope";
import { storeInboxEvent } from "../../app/webhooks/inbox-writer.server";
import { handleCheckoutWebhook } from "../../app/webhooks/receive.server";
import { signBody } from "../fixtures/checkout-events";
import { SIGNATURE_KEY } from "./factories";

export interface WebhookServer {
  url: string;
  close(): Promise<void>;
}

export async function startWebhookServer(): Promise<WebhookServer> {
  const server = http.createServer((req, res) => handleCheckoutWebhook(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface DeliveryOptions {
  /** Signing key; the factories' NAS signature key by default. */
  key?: string;
  /** An explicit Cko-Signature value, or null to send none. */
  signature?: string | null;
  authorization?: string;
}

/** The POST Checkout.com makes for `event` (an object, serialised once, or the exact body text). */
function signedDelivery(event: unknown, options: DeliveryOptions = {}): RequestInit {
  const body = typeof event === "string" || Buffer.isBuffer(event) ? event : JSON.stringify(event);
  const signature = options.signature === undefined ? signBody(body, options.key ?? SIGNATURE_KEY) : options.signature;
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (signature !== null) headers["Cko-Signature"] = signature;
  if (options.authorization !== undefined) headers.Authorization = options.authorization;
  return { method: "POST", headers, body: typeof body === "string" ? body : new Uint8Array(body) };
}

/** Delivers `event` to the test webhook server, signed like Checkout.com; the status and the JSON answer. */
export async function deliver(server: WebhookServer, endpointId: string, event: unknown, options: DeliveryOptions = {}) {
  const response = await fetch(`${server.url}/webhooks/checkout/${endpointId}`, signedDelivery(event, options));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * A delivery's answer: the HTTP status, "refused" when no connection could be made (the app is not
 * listening), or "error" when the connection failed during the request (reset, closed).
 */
export type DeliveryAnswer = number | "refused" | "error";

export const accepted = (answer: DeliveryAnswer | undefined) => typeof answer === "number" && answer >= 200 && answer < 300;

/** POSTs one event to a webhook URL, signed like Checkout.com; its answer. */
export async function postSigned(webhookUrl: string, event: unknown, options: DeliveryOptions = {}): Promise<DeliveryAnswer> {
  try {
    const response = await fetch(webhookUrl, signedDelivery(event, options));
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED" ? "refused" : "error";
  }
}

/**
 * Delivers events over `connections` parallel connections, each to the next of `webhookUrls` in turn
 * (several app instances behind a load balancer); the answer per event id.
 */
export async function deliverConcurrently<E extends { id: string }>(
  webhookUrls: string[],
  events: E[],
  connections: number,
  onAnswer?: (event: E, answer: DeliveryAnswer) => void,
): Promise<Map<string, DeliveryAnswer>> {
  const answers = new Map<string, DeliveryAnswer>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(connections, events.length) }, async () => {
      while (next < events.length) {
        const n = next++;
        const answer = await postSigned(webhookUrls[n % webhookUrls.length], events[n]);
        answers.set(events[n].id, answer);
        onAnswer?.(events[n], answer);
      }
    }),
  );
  return answers;
}

/** Puts an event straight into a connection's inbox (as a verified delivery would) and returns its row. */
export async function putInInbox(connection: CheckoutConnection, event: Record<string, unknown>) {
  await storeInboxEvent({
    shopId: connection.shopId,
    connectionId: connection.id,
    eventId: event.id as string,
    type: event.type as string,
    ckoPaymentId: eventPaymentId(event as { data?: Record<string, unknown> }),
    priority: eventPriority(event as { type: string; data?: Record<string, unknown> }),
    payload: JSON.stringify(event),
  });
  return db().webhookEvent.findFirstOrThrow({ where: { connectionId: connection.id, eventId: event.id as string } });
}
