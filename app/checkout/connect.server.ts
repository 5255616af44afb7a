// What saving the Settings form and switching environments set in motion, in one place: the connection
// saved, its webhook workflow registered, and (for the active connection, once per key) the backfill
// of what happened at Checkout.com before this shop connected.
import { startCheckoutBackfill } from "./backfill.server";
import type { Words } from "../i18n/locales";
import { activateConnection, connectionIn, saveConnection, type ActivateResult, type FieldRefusal } from "./connection.server";
import type { CheckoutEnvironment } from "./keys";
import { registerWebhookWorkflow } from "./workflow.server";

/** Saved: the English message and its sentences in words (errors.checkout.connect.*, the webhook's own); or the fields refused. */
export type ConnectResult = { ok: true; message: string; words: Words[] } | FieldRefusal;

/** Saves one environment's connection and brings its workflow in line with the keys, channels and header just saved. */
export async function connectCheckout(shopId: string, form: Record<string, unknown>, actor: string): Promise<ConnectResult> {
  const saved = await saveConnection(shopId, form, actor);
  if (!saved.ok) return saved;
  const { environment } = saved.connection;
  const webhook = await registerWebhookWorkflow(shopId, actor, environment);
  const connection = await connectionIn(shopId, environment);
  const importing = connection ? await startCheckoutBackfill(shopId, connection) : false;
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
