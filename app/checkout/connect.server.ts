// What saving the Settings form, switching environments and disconnecting set in motion, in one place:
// the connection saved, its webhook workflow registered, and (for the active connection, once per key)
// the backfill of what happened at Checkout.com before this shop connected; or its workflow deleted and
// its keys forgotten.
import { audit } from "../audit/audit.server";
import { startCheckoutBackfill } from "./backfill.server";
import type { Words } from "../i18n/locales";
import { activateConnection, connectionIn, forgetConnection, saveConnection, type ActivateResult, type FieldRefusal } from "./connection.server";
import { ENVIRONMENT_LABELS, type CheckoutEnvironment } from "./keys";
import { deleteWorkflow, registerWebhookWorkflow } from "./workflow.server";

/** Saved: the English message and its sentences in words (errors.checkout.connect.*, the webhook's own); or the fields refused. */
export type ConnectResult = { ok: true; message: string; words: Words[] } | FieldRefusal;

/** Saves one environment's connection and brings its workflow in line with the keys, channels and header just saved. */
export async function connectCheckout(shopId: string, form: Record<string, unknown>, actor: string): Promise<ConnectResult> {
  const saved = await saveConnection(shopId, form, actor);
  if (!saved.ok) return saved;
  const { environment } = saved.connection;
  const webhook = await registerWebhookWorkflow(shopId, actor, environment);
  const connection = await connectionIn(shopId, environment);
  // A key Checkout.com refuses would import nothing.
  const importing = connection && !webhook.keyRefused ? await startCheckoutBackfill(shopId, connection) : false;
  const registered = webhook.status === "registered";
  return {
    ok: true,
    message: [
      registered ? "Checkout.com connection saved, and its webhook registered." : `Checkout.com connection saved. ${webhook.message}`,
      ...(importing ? ["Open disputes and recent payments are being imported: Home shows the progress."] : []),
    ].join(" "),
    words: [
      ...(registered ? [{ key: "checkout.connect.savedAndRegistered" }] : [{ key: "checkout.connect.saved" }, ...webhook.words]),
      ...(importing ? [{ key: "checkout.connect.importing" }] : []),
    ],
  };
}

/** Makes an environment active; its history is imported the first time (a backfill runs once per key). */
export async function switchEnvironment(shopId: string, environment: CheckoutEnvironment, actor: string): Promise<ActivateResult> {
  const result = await activateConnection(shopId, environment, actor);
  const connection = result.ok ? await connectionIn(shopId, environment) : null;
  if (connection?.active) await startCheckoutBackfill(shopId, connection);
  return result;
}

/** What a disconnect did, in English and in words (errors.checkout.disconnect.*). */
export interface DisconnectResult {
  ok: boolean;
  message: string;
  words: Words[];
}

const DISCONNECT_SAYS = {
  workflowDeleted: "The app's webhook was deleted at Checkout.com.",
  manualWebhook: "Delete the webhook you made by hand at Checkout.com: its deliveries are refused from now on.",
  noneActive: "No environment is active now: nothing acts on orders or moves money until you save keys again or make the other environment active.",
} satisfies Record<string, string>;

const notConnected = (environment: CheckoutEnvironment): DisconnectResult => ({
  ok: false,
  message: `${ENVIRONMENT_LABELS[environment]} is not connected.`,
  words: [{ key: `checkout.disconnect.notConnected.${environment}` }],
});

/**
 * Disconnects one environment's Checkout.com connection, audited: its workflow deleted at Checkout.com
 * (while its key is still known), then its keys forgotten (forgetConnection); deliveries to its endpoint
 * are refused from then on, and events already stored stay. The active connection leaves the shop with
 * none: nothing acts on orders or moves money until keys are saved again or the other environment is
 * made active. A workflow Checkout.com would not delete (the key lacks the scope, Checkout.com is down)
 * does not stop the disconnect: the merchant is told to delete it on the dashboard, by its id.
 */
export async function disconnectCheckout(shopId: string, environment: CheckoutEnvironment, actor: string): Promise<DisconnectResult> {
  const connection = await connectionIn(shopId, environment);
  if (!connection) return notConnected(environment);
  const { workflowId, workflowStatus, active } = connection;
  const workflowLeft = workflowId && !(await deleteWorkflow(connection)) ? workflowId : null;
  // Disconnected meanwhile (a double click): the first one said it all.
  if (!(await forgetConnection(connection))) return notConnected(environment);
  await audit({
    shopId,
    actor,
    source: "admin",
    action: "checkout.connection.disconnect",
    details: { environment, wasActive: active, ...(workflowId ? { workflowId, workflowDeleted: !workflowLeft } : {}) },
    result: "ok",
  });
  const said: Array<{ english: string; words: Words }> = [
    {
      english: `${ENVIRONMENT_LABELS[environment]} disconnected: its keys were forgotten, and the events already received stay.`,
      words: { key: `checkout.disconnect.done.${environment}` },
    },
  ];
  const say = (name: keyof typeof DISCONNECT_SAYS) => said.push({ english: DISCONNECT_SAYS[name], words: { key: `checkout.disconnect.${name}` } });
  if (workflowLeft)
    said.push({
      english: `Checkout.com did not let the app delete its webhook: delete workflow ${workflowLeft} in the Checkout.com Dashboard. Its deliveries are refused until then.`,
      words: { key: "checkout.disconnect.workflowLeft", values: { id: workflowLeft } },
    });
  else if (workflowId) say("workflowDeleted");
  else if (workflowStatus === "manual") say("manualWebhook");
  if (active) say("noneActive");
  return { ok: true, message: said.map((s) => s.english).join(" "), words: said.map((s) => s.words) };
}
