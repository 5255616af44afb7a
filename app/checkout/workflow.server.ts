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
import {
  clientFor,
  connectionIn,
  connectionSecrets,
  entitiesOf,
  keyRefused,
  processingChannelsOf,
  sealSignatureKey,
  testStoredConnection,
  webhookUrlOf,
} from "./connection.server";
import type { CheckoutEnvironment } from "./keys";
import { asCheckoutError, CheckoutError, explainCheckoutError } from "./errors";
import { checkoutErrorCandidates, checkoutErrorWords } from "./error-words";
import { recognise, type Said } from "../i18n/domain-words";
import type { Words } from "../i18n/locales";
import type { WorkflowRequest } from "./schemas";

/**
 * removed: deleted at Checkout.com when the app was uninstalled; a reinstall registers it again.
 * missing: found deleted at Checkout.com (on the dashboard) while the app still counted on it.
 */
type WorkflowStatus = "registered" | "manual" | "failed" | "removed" | "missing";

/** The event a workflow test sends: a sandbox decline, which changes no order. */
const TEST_EVENT_TYPE = "payment_declined";

/** Messages recorded on the connection (workflowMessage), each with its words. */
const RECORDED = {
  abc: "Accounts on Checkout.com's previous platform (ABC) create webhooks in the Hub: follow the steps below.",
  upToDate: "Checkout.com delivers this shop's events through the workflow the app registered; it is up to date.",
  madeAgain: "The app's workflow had been deleted in the Checkout.com Dashboard; it was made again.",
  registered: "Registered with Checkout.com: events are delivered to this shop without any step in the Checkout.com Dashboard.",
  missingScope:
    "This key may not manage webhooks: give it the flow:workflows scope (Checkout.com Dashboard → Developers → Keys) and register again, or create the webhook by hand with the steps below.",
  missing: "The app's workflow was deleted in the Checkout.com Dashboard, so no events arrive. Register it again to make it anew.",
  removed: "The webhook was removed from Checkout.com when the app was uninstalled.",
} satisfies Record<string, string>;
type Recorded = keyof typeof RECORDED;

/** A recorded message and its words. */
const recorded = (name: Recorded) => ({ message: RECORDED[name], words: [{ key: `checkout.workflow.${name}` }] });

/** A registration that failed: "The webhook could not be registered:" and why. */
const FAILED = "The webhook could not be registered:";

/**
 * The words of a recorded workflow message (workflowMessage), recognised from its English so Settings
 * can say it in the reader's language without recording anything else; null for one it does not know.
 */
export function workflowMessageWords(message: string | null | undefined): Said | null {
  if (!message) return null;
  const failed = message.startsWith(`${FAILED} `) ? checkoutErrorCandidates(message).map((reason) => [{ key: "checkout.workflow.failed" }, reason]) : [];
  return recognise(message, [...(Object.keys(RECORDED) as Recorded[]).map((name) => recorded(name).words), ...failed]);
}

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

/** A connection's workflow, and the last event its endpoint received. */
export async function workflowView(connection: CheckoutConnection | null): Promise<WorkflowView> {
  const last = connection
    ? await db().webhookEvent.findFirst({
        where: { shopId: connection.shopId, connectionId: connection.id },
        orderBy: { receivedAt: "desc" },
        select: { type: true, receivedAt: true },
      })
    : null;
  return {
    status: (connection?.workflowStatus as WorkflowStatus | null) ?? null,
    message: connection?.workflowMessage ?? null,
    workflowId: connection?.workflowId ?? null,
    syncedAt: connection?.workflowSyncedAt?.toISOString() ?? null,
    lastEvent: last ? { type: last.type, receivedAt: last.receivedAt.toISOString() } : null,
    canSendTest: connection?.workflowStatus === "registered" && connection.environment === "sandbox",
  };
}

/**
 * Looks whether a registered workflow still exists at Checkout.com (Settings asks on every load): one
 * deleted on the dashboard silently stops every delivery, so it is marked missing and the merchant is
 * offered to make it again. Any other answer (Checkout.com slow or down) changes nothing.
 */
export async function checkWorkflowExists(connection: CheckoutConnection | null): Promise<CheckoutConnection | null> {
  if (!connection?.workflowId || connection.workflowStatus !== "registered") return connection;
  try {
    await clientFor(connection, { retry: { retries: 0, baseMs: 0, maxMs: 0 }, timeoutMs: 3_000 }).getWorkflow(connection.workflowId);
    return connection;
  } catch (error) {
    if (!(error instanceof CheckoutError && error.kind === "not_found")) return connection;
  }
  log.warn("checkout.workflow_missing", { shopId: connection.shopId, environment: connection.environment });
  return db().checkoutConnection.update({
    where: { id: connection.id },
    data: {
      workflowId: null,
      workflowStatus: "missing",
      workflowMessage: RECORDED.missing,
      workflowSyncedAt: new Date(),
    },
  });
}

/** The app's name for a connection's workflow: found again by it after a crash between create and save. */
const workflowName = (connection: Pick<CheckoutConnection, "endpointId">, shopDomain: string) =>
  `Shopify app: ${shopDomain} (${connection.endpointId.slice(0, 8)})`;

/**
 * The workflow for a connection: every event type the app understands that Checkout.com raises (by
 * source, as GET /workflows/event-types lists them), the merchant's processing channels and entities
 * when set, and one webhook action to the shop's endpoint signed with `signingKey`.
 */
function workflowRequest(input: {
  name: string;
  url: string;
  signingKey: string;
  authorization: string | null;
  processingChannelIds: string[];
  entityIds: string[];
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
      ...(input.processingChannelIds.length ? [{ type: "processing_channel" as const, processing_channels: input.processingChannelIds }] : []),
      ...(input.entityIds.length ? [{ type: "entity" as const, entities: input.entityIds }] : []),
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
  /** The message's sentences in words (errors.checkout.workflow.*). */
  words: Words[];
  /** Checkout.com refused the key itself (wrong, revoked, the other environment's): nothing else will work with it. */
  keyRefused?: boolean;
}

async function record(
  connection: CheckoutConnection,
  actor: string,
  data: { workflowId?: string | null; status: WorkflowStatus; message: string; words: Words[] },
): Promise<RegisterResult> {
  const { shopId, environment } = connection;
  await db().checkoutConnection.update({
    where: { id: connection.id },
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
    details: { environment, status: data.status, ...(data.workflowId ? { workflowId: data.workflowId } : {}) },
    result: data.status === "failed" ? "error" : "ok",
    ...(data.status === "failed" ? { error: data.message } : {}),
  });
  return { ok: data.status === "registered", status: data.status, message: data.message, words: data.words };
}

/**
 * Creates the workflow of this shop's connection in one environment at Checkout.com, or replaces the existing one with one that is up to
 * date (URL, event types, processing channels, entities, Authorization header, key): the new one is made and
 * saved before the old one is deleted, so no event falls between them (one delivered by both is
 * stored once, by its event id). A workflow deleted on the dashboard is made again. The signing key
 * is the one stored for the connection, or a new one stored before the workflow exists, so no
 * delivery can arrive signed with a key the app does not have.
 */
export async function registerWebhookWorkflow(shopId: string, actor: string, environment: CheckoutEnvironment): Promise<RegisterResult> {
  const connection = await connectionIn(shopId, environment);
  if (!connection)
    return {
      ok: false,
      status: "failed",
      message: `Save your Checkout.com ${environment} keys first.`,
      words: [{ key: `checkout.saveKeysFirst.${environment}` }],
    };
  if (connection.accountType !== "NAS") return record(connection, actor, { status: "manual", ...recorded("abc") });
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
      processingChannelIds: processingChannelsOf(connection),
      entityIds: entitiesOf(connection),
      sources,
    });
    const knownId = connection.workflowId ?? (await client.listWorkflows()).data.find((w) => w.name === name)?.id ?? null;
    const existing = knownId ? await client.getWorkflow(knownId).catch(notFoundAsNull) : null;
    const { id } = await client.addWorkflow(body);
    const result = await record(connection, actor, {
      workflowId: id,
      status: "registered",
      ...recorded(existing ? "upToDate" : knownId ? "madeAgain" : "registered"),
    });
    // The old one only repeats what the new one delivers; one left behind is logged, not a failure.
    if (existing)
      await client.removeWorkflow(existing.id).catch((error: unknown) => log.warn("checkout.workflow_replaced_not_removed", { shopId, error: String(error) }));
    return result;
  } catch (error) {
    let e = asCheckoutError(error);
    if (e.kind === "authentication") {
      // Checkout.com answers 401 both to a key it does not know and to one without flow:workflows: a
      // call any working key may make (the connection test, recorded as such) tells them apart.
      const test = await testStoredConnection(connection);
      if (keyRefused(test)) return { ...(await record(connection, actor, failed(test.error!))), keyRefused: true };
      // The key works (a 403 is a working key short of another scope): it may not manage workflows.
      if (!test.error || test.error.kind === "authentication") return record(connection, actor, { status: "manual", ...recorded("missingScope") });
      // Checkout.com could not answer the test: why registration failed is that.
      e = test.error;
    }
    log.warn("checkout.workflow_register_failed", { shopId, environment, kind: e.kind, status: e.status });
    return record(connection, actor, failed(e));
  }
}

/** A registration that failed, and why (explainCheckoutError), to record. */
const failed = (e: CheckoutError) => ({
  status: "failed" as const,
  message: `${FAILED} ${explainCheckoutError(e)}`,
  words: [{ key: "checkout.workflow.failed" }, checkoutErrorWords(e)],
});

const notFoundAsNull = (error: unknown) => {
  if (error instanceof CheckoutError && error.kind === "not_found") return null;
  throw error;
};

/** Asks Checkout.com to send a sample event through the shop's sandbox workflow (tests exist in the sandbox only). */
export async function sendWorkflowTestEvent(shopId: string): Promise<{ ok: boolean; message: string; words: Words }> {
  const connection = await connectionIn(shopId, "sandbox");
  if (!connection)
    return {
      ok: false,
      message: "Checkout.com sends test events in the sandbox only: save sandbox keys first.",
      words: { key: "checkout.workflow.testSandboxOnly" },
    };
  if (!connection.workflowId || connection.workflowStatus !== "registered")
    return { ok: false, message: "Register the sandbox webhook with Checkout.com first.", words: { key: "checkout.workflow.testRegisterFirst" } };
  try {
    await clientFor(connection, { retry: { retries: 0, baseMs: 0, maxMs: 0 }, timeoutMs: 10_000 }).testWorkflow(connection.workflowId, [TEST_EVENT_TYPE]);
    return {
      ok: true,
      message: `Checkout.com is sending a test ${TEST_EVENT_TYPE} event. It appears under "Last event received" within seconds.`,
      words: { key: "checkout.workflow.testSending", values: { type: TEST_EVENT_TYPE } },
    };
  } catch (error) {
    const e = asCheckoutError(error);
    return e.kind === "not_found"
      ? { ok: false, message: "The workflow is gone from Checkout.com: register the webhook again.", words: { key: "checkout.workflow.testGone" } }
      : { ok: false, message: explainCheckoutError(e), words: checkoutErrorWords(e) };
  }
}

/**
 * Deletes the shop's workflows at Checkout.com, in both environments (uninstall: deliveries would
 * only be refused); already gone is fine. Never throws, and gives up after 3 s: it runs inside Shopify's uninstall webhook,
 * which must be answered within 5 s. A workflow left behind is found again by its name on the next
 * registration.
 */
export async function removeWebhookWorkflows(shopId: string): Promise<void> {
  const connections = await db().checkoutConnection.findMany({ where: { shopId, workflowId: { not: null } } });
  await Promise.all(connections.map(removeWorkflowOf));
}

async function removeWorkflowOf(connection: CheckoutConnection) {
  if (!(await deleteWorkflow(connection))) return;
  await db().checkoutConnection.update({
    where: { id: connection.id },
    data: {
      workflowId: null,
      workflowStatus: "removed",
      workflowMessage: RECORDED.removed,
      workflowSyncedAt: new Date(),
    },
  });
}

/**
 * Deletes the connection's workflow at Checkout.com; true when it is gone (or there was none, or it was
 * gone already). Never throws, and gives up after 3 s: uninstalling waits for it inside Shopify's
 * 5-second webhook, disconnecting inside the merchant's request.
 */
export async function deleteWorkflow(connection: CheckoutConnection): Promise<boolean> {
  if (!connection.workflowId) return true;
  try {
    await clientFor(connection, { retry: { retries: 0, baseMs: 0, maxMs: 0 }, timeoutMs: 3_000 }).removeWorkflow(connection.workflowId);
  } catch (error) {
    if (!(error instanceof CheckoutError && error.kind === "not_found")) {
      const { shopId, environment } = connection;
      log.warn("checkout.workflow_remove_failed", { shopId, environment, kind: error instanceof CheckoutError ? error.kind : "unknown" });
      return false;
    }
  }
  return true;
}

/**
 * `webhook_workflow`: registers again the workflows the uninstall removed (queued by a reinstall). A
 * failure is retried with the queue's backoff; "set up by hand" is an answer, not a failure.
 */
export const webhookWorkflowJob: JobHandler = async (job) => {
  const removed = await db().checkoutConnection.findMany({ where: { shopId: job.shopId, workflowStatus: "removed" }, select: { environment: true } });
  for (const { environment } of removed) {
    const result = await registerWebhookWorkflow(job.shopId, "app", environment as CheckoutEnvironment);
    if (result.status === "failed") throw new Error(result.message);
  }
};
