// Webhook registration through Checkout.com's Workflows API (NAS): one workflow per connection, made
// by the app with a signing key it generates and keeps encrypted, so the merchant never copies a URL
// or a key between dashboards. Where the key may not manage workflows (or the account is ABC, which has
// no Workflows API) the merchant is told why and makes the webhook by hand, as before.
import type { CheckoutConnection } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { randomToken } from "../crypto.server";
import { db } from "../db.server";
import { log } from "../log.server";
import type { JobHandler } from "../queue/jobs.server";
import { KNOWN_EVENT_TYPES } from "../webhooks/event-types";
import { clientFor, connectionSecrets, getConnection, sealSignatureKey, webhookUrlOf } from "./connection.server";
import { asCheckoutError, CheckoutError, explainCheckoutError } from "./errors";
import type { WorkflowRequest } from "./schemas";

/** removed: deleted at Checkout.com when the app was uninstalled; a reinstall registers it again. */
type WorkflowStatus = "registered" | "manual" | "failed" | "removed";

/** The event a workflow test sends: a sandbox decline, which changes no order. */
const TEST_EVENT_TYPE = "payment_declined";

export interface WorkflowView {
  status: WorkflowStatus | null;
  message: string | null;
  workflowId: string | null;
  syncedAt: string | null;
  /** The last Checkout.com event this shop received, whatever sent it. */
  lastEvent: { type: string; receivedAt: string } | null;
  /** Workflow tests exist in Checkout.com's sandbox only. */
  canSendTest: boolean;
}

export async function workflowView(shopId: string, connection: CheckoutConnection | null): Promise<WorkflowView> {
  const last = await db().webhookEvent.findFirst({ where: { shopId }, orderBy: { receivedAt: "desc" }, select: { type: true, receivedAt: true } });
  return {
    status: (connection?.workflowStatus as WorkflowStatus | null) ?? null,
    message: connection?.workflowMessage ?? null,
    workflowId: connection?.workflowId ?? null,
    syncedAt: connection?.workflowSyncedAt?.toISOString() ?? null,
    lastEvent: last ? { type: last.type, receivedAt: last.receivedAt.toISOString() } : null,
    canSendTest: connection?.workflowStatus === "registered" && connection.environment === "sandbox",
  };
}

/** The app's name for a connection's workflow: found again by it after a crash between create and save. */
const workflowName = (connection: Pick<CheckoutConnection, "endpointId">, shopDomain: string) =>
  `Shopify app: ${shopDomain} (${connection.endpointId.slice(0, 8)})`;

/**
 * The workflow for a connection: every event type the app understands that Checkout.com raises (by
 * source, as GET /workflows/event-types lists them), the merchant's processing channel when set, and
 * one webhook action to the shop's endpoint signed with `signingKey`.
 */
function workflowRequest(input: {
  name: string;
  url: string;
  signingKey: string;
  authorization: string | null;
  processingChannelId: string | null;
  sources: Array<{ id: string; events: Array<{ id: string }> }>;
}): WorkflowRequest {
  const wanted = new Set<string>(KNOWN_EVENT_TYPES);
  const events: Record<string, string[]> = {};
  for (const source of input.sources) {
    const types = source.events.map((e) => e.id).filter((t) => wanted.has(t));
    if (types.length) events[source.id] = types;
  }
  return {
    name: input.name,
    active: true,
    conditions: [
      { type: "event", events },
      ...(input.processingChannelId ? [{ type: "processing_channel" as const, processing_channels: [input.processingChannelId] }] : []),
    ],
    actions: [
      {
        type: "webhook",
        url: input.url,
        ...(input.authorization ? { headers: { Authorization: input.authorization } } : {}),
        signature: { method: "HMACSHA256", key: input.signingKey },
      },
    ],
  };
}

export interface RegisterResult {
  ok: boolean;
  status: WorkflowStatus;
  message: string;
}

async function record(shopId: string, actor: string, data: { workflowId?: string | null; status: WorkflowStatus; message: string }) {
  await db().checkoutConnection.update({
    where: { shopId },
    data: {
      ...(data.workflowId !== undefined ? { workflowId: data.workflowId } : {}),
      workflowStatus: data.status,
      workflowMessage: data.message,
      workflowSyncedAt: new Date(),
    },
  });
  await audit({
    shopId,
    actor,
    source: "admin",
    action: "checkout.workflow.register",
    details: { status: data.status, ...(data.workflowId ? { workflowId: data.workflowId } : {}) },
    result: data.status === "failed" ? "error" : "ok",
    ...(data.status === "failed" ? { error: data.message } : {}),
  });
  return { ok: data.status === "registered", status: data.status, message: data.message };
}

const MISSING_SCOPE =
  "This key may not manage webhooks: give it the flow:workflows scope (Checkout.com Dashboard → Developers → Keys) and register again, or create the webhook by hand with the steps below.";

/**
 * Creates this shop's workflow at Checkout.com, or replaces the existing one with one that is up to
 * date (URL, event types, processing channel, Authorization header, key): the new one is made and
 * saved before the old one is deleted, so no event falls between them (one delivered by both is
 * stored once, by its event id). A workflow deleted on the dashboard is made again. The signing key
 * is the one stored for the connection, or a new one stored before the workflow exists, so no
 * delivery can arrive signed with a key the app does not have.
 */
export async function registerWebhookWorkflow(shopId: string, actor: string): Promise<RegisterResult> {
  const connection = await getConnection(shopId);
  if (!connection) return { ok: false, status: "failed", message: "Save your Checkout.com keys first." };
  if (connection.accountType !== "NAS") {
    return record(shopId, actor, {
      status: "manual",
      message: "Accounts on Checkout.com's previous platform (ABC) create webhooks in the Hub: follow the steps below.",
    });
  }
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true } });
  const secrets = connectionSecrets(connection);
  let signingKey = secrets.signatureKey;
  if (!signingKey) {
    signingKey = randomToken(32);
    await sealSignatureKey(connection, signingKey);
  }
  const client = clientFor(connection, { retry: { retries: 1, baseMs: 200, maxMs: 1000 }, timeoutMs: 10_000 });
  const name = workflowName(connection, shop.domain);
  try {
    const sources = await client.workflowEventTypes();
    const body = workflowRequest({
      name,
      url: webhookUrlOf(connection),
      signingKey,
      authorization: secrets.authorization,
      processingChannelId: connection.processingChannelId,
      sources,
    });
    const knownId = connection.workflowId ?? (await client.listWorkflows()).data.find((w) => w.name === name)?.id ?? null;
    const existing = knownId ? await client.getWorkflow(knownId).catch(notFoundAsNull) : null;
    const { id } = await client.addWorkflow(body);
    const result = await record(shopId, actor, {
      workflowId: id,
      status: "registered",
      message: existing
        ? "Checkout.com delivers this shop's events through the workflow the app registered; it is up to date."
        : knownId
          ? "The app's workflow had been deleted in the Checkout.com Dashboard; it was made again."
          : "Registered with Checkout.com: events are delivered to this shop without any step in the Checkout.com Dashboard.",
    });
    // The old one only repeats what the new one delivers; one left behind is logged, not a failure.
    if (existing)
      await client.removeWorkflow(existing.id).catch((error: unknown) => log.warn("checkout.workflow_replaced_not_removed", { shopId, error: String(error) }));
    return result;
  } catch (error) {
    const e = asCheckoutError(error);
    if (e.kind === "authentication") return record(shopId, actor, { status: "manual", message: MISSING_SCOPE });
    log.warn("checkout.workflow_register_failed", { shopId, kind: e.kind, status: e.status });
    return record(shopId, actor, { status: "failed", message: `The webhook could not be registered: ${explainCheckoutError(e)}` });
  }
}

const notFoundAsNull = (error: unknown) => {
  if (error instanceof CheckoutError && error.kind === "not_found") return null;
  throw error;
};

/** Asks Checkout.com to send a sample event through the shop's workflow (sandbox only). */
export async function sendWorkflowTestEvent(shopId: string): Promise<{ ok: boolean; message: string }> {
  const connection = await getConnection(shopId);
  if (!connection?.workflowId || connection.workflowStatus !== "registered") return { ok: false, message: "Register the webhook with Checkout.com first." };
  if (connection.environment !== "sandbox") return { ok: false, message: "Checkout.com sends test events in the sandbox only." };
  try {
    await clientFor(connection, { retry: { retries: 0, baseMs: 0, maxMs: 0 }, timeoutMs: 10_000 }).testWorkflow(connection.workflowId, [TEST_EVENT_TYPE]);
    return { ok: true, message: `Checkout.com is sending a test ${TEST_EVENT_TYPE} event. It appears under "Last event received" within seconds.` };
  } catch (error) {
    const e = asCheckoutError(error);
    return { ok: false, message: e.kind === "not_found" ? "The workflow is gone from Checkout.com: register the webhook again." : explainCheckoutError(e) };
  }
}

/**
 * Deletes the shop's workflow at Checkout.com (uninstall: deliveries would only be refused); already
 * gone is fine. Never throws, and gives up after 3 s: it runs inside Shopify's uninstall webhook,
 * which must be answered within 5 s. A workflow left behind is found again by its name on the next
 * registration.
 */
export async function removeWebhookWorkflow(shopId: string): Promise<void> {
  const connection = await getConnection(shopId);
  if (!connection?.workflowId) return;
  try {
    await clientFor(connection, { retry: { retries: 0, baseMs: 0, maxMs: 0 }, timeoutMs: 3_000 }).removeWorkflow(connection.workflowId);
  } catch (error) {
    if (!(error instanceof CheckoutError && error.kind === "not_found")) {
      log.warn("checkout.workflow_remove_failed", { shopId, kind: error instanceof CheckoutError ? error.kind : "unknown" });
      return;
    }
  }
  await db().checkoutConnection.update({
    where: { shopId },
    data: {
      workflowId: null,
      workflowStatus: "removed",
      workflowMessage: "The webhook was removed from Checkout.com when the app was uninstalled.",
      workflowSyncedAt: new Date(),
    },
  });
}

/**
 * `webhook_workflow`: registers the workflow again (queued by a reinstall). A failure is retried with
 * the queue's backoff; "set up by hand" is an answer, not a failure.
 */
export const webhookWorkflowJob: JobHandler = async (job) => {
  const result = await registerWebhookWorkflow(job.shopId, "app");
  if (result.status === "failed") throw new Error(result.message);
};
