// A shop's Checkout.com connections, one per environment (sandbox, production), one of them active:
// saving one (validated, secrets encrypted), switching which is active, reading them back without
// secrets for the browser, decrypting them for the server, and testing them against Checkout.com.
// Everything that acts on orders or moves money uses the active one (getConnection).
import type { CheckoutConnection } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { decryptSecret, encryptSecret, last4, randomToken, resealed } from "../crypto.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { createCheckoutClient, type CheckoutCredentials, type ClientOptions } from "./client.server";
import { asCheckoutError, type CheckoutError, explainCheckoutError } from "./errors";
import { checkoutErrorCandidates, checkoutErrorWords } from "./error-words";
import { connectionFieldWords, connectionFormSchema, ENVIRONMENT_LABELS, ENVIRONMENTS, type AccountType, type CheckoutEnvironment } from "./keys";
import { webhookEndpointCache } from "./webhook-endpoint-cache.server";
import { fieldErrorsOf } from "../lib/form";
import { recognise, sayAll, type FieldWords, type Said } from "../i18n/domain-words";
import type { Locale, Words } from "../i18n/locales";

/** What the browser may see of a connection: never a secret, only its last 4 characters. */
export interface ConnectionSummary {
  accountType: AccountType;
  environment: CheckoutEnvironment;
  subdomain: string | null;
  /** Whether this is the connection whose events act on orders and whose key moves money. */
  active: boolean;
  processingChannelIds: string[];
  entityIds: string[];
  /** When the merchant disconnected it (ISO): its keys are forgotten, and saving keys connects it again. */
  disconnectedAt: string | null;
  secretKeyLast4: string;
  signatureKeyLast4: string | null;
  authorizationLast4: string | null;
  /** The signing key before the last change, still accepted until then (ISO), during a rotation. */
  previousWebhookKey: { last4: string; until: string } | null;
  endpointId: string;
  lastTestedAt: string | null;
  lastTestOk: boolean | null;
  lastTestMessage: string | null;
}

export function summarize(c: CheckoutConnection): ConnectionSummary {
  return {
    accountType: c.accountType as AccountType,
    environment: c.environment as CheckoutEnvironment,
    subdomain: c.subdomain,
    active: c.active,
    processingChannelIds: processingChannelsOf(c),
    entityIds: entitiesOf(c),
    disconnectedAt: c.disconnectedAt?.toISOString() ?? null,
    secretKeyLast4: c.secretKeyLast4,
    signatureKeyLast4: c.signatureKeyLast4,
    authorizationLast4: c.authorizationLast4,
    previousWebhookKey:
      c.previousWebhookKeyLast4 && c.previousWebhookKeyUntil && c.previousWebhookKeyUntil > new Date()
        ? { last4: c.previousWebhookKeyLast4, until: c.previousWebhookKeyUntil.toISOString() }
        : null,
    endpointId: c.endpointId,
    lastTestedAt: c.lastTestedAt?.toISOString() ?? null,
    lastTestOk: c.lastTestOk,
    lastTestMessage: c.lastTestMessage,
  };
}

// Ciphertexts are bound to their record and field, so one cannot be moved to another shop or field.
const secretContext = (connectionId: string, field: string) => `checkout-connection:${connectionId}:${field}`;

/** Ids stored space-separated (processing channels, entities). */
const storedIds = (stored: string) => stored.split(" ").filter(Boolean);

/** The processing channels a connection is scoped to; empty: all of the account's. */
export const processingChannelsOf = (c: Pick<CheckoutConnection, "processingChannelIds">) => storedIds(c.processingChannelIds);

/** The entities a connection is scoped to; empty: all of the account's. */
export const entitiesOf = (c: Pick<CheckoutConnection, "entityIds">) => storedIds(c.entityIds);

/** Whether an id Checkout.com sent is in a scope of the connection; an empty scope is all, and what names none counts. */
const inScope = (id: unknown, scope: string[]) => !scope.length || typeof id !== "string" || scope.includes(id);

/**
 * Whether what Checkout.com sent (a payment, an event's data) with this `processing_channel_id` is the
 * connection's: an account may serve several shops through processing channels, and another channel's
 * is another shop's. One that names no channel cannot be told apart and counts.
 */
export const inConnectionChannels = (channel: unknown, channels: string[]) => inScope(channel, channels);

/** The same for the `entity_id` beside `processing_channel_id` in an event's data: another entity's event is another shop's. */
export const inConnectionEntities = (entity: unknown, entities: string[]) => inScope(entity, entities);

/** The shop's active connection: the one that acts on orders and moves money. None after a disconnect. */
export async function getConnection(shopId: string) {
  return db().checkoutConnection.findFirst({ where: { shopId, active: true, disconnectedAt: null } });
}

/** The shop's connection in one environment, active or not; null when none is saved or it was disconnected. */
export async function connectionIn(shopId: string, environment: CheckoutEnvironment) {
  return db().checkoutConnection.findFirst({ where: { shopId, environment, disconnectedAt: null } });
}

/** The row of an environment's connection, disconnected or not (saving it connects it again). */
const storedConnectionIn = (shopId: string, environment: CheckoutEnvironment) =>
  db().checkoutConnection.findUnique({ where: { shopId_environment: { shopId, environment } } });

/** Both environments' connections, sandbox first; null where none is saved; a disconnected one says so (disconnectedAt). */
export async function connectionsOf(shopId: string): Promise<Record<CheckoutEnvironment, CheckoutConnection | null>> {
  const rows = await db().checkoutConnection.findMany({ where: { shopId } });
  return Object.fromEntries(ENVIRONMENTS.map((e) => [e, rows.find((r) => r.environment === e) ?? null])) as Record<
    CheckoutEnvironment,
    CheckoutConnection | null
  >;
}

/** A refused form: each field's English, and its words (errors.checkout.form.*) where it has them. */
export interface FieldRefusal {
  ok: false;
  fieldErrors: Record<string, string>;
  fieldWords: FieldWords;
}

export type SaveResult = { ok: true; connection: ConnectionSummary } | FieldRefusal;

/**
 * Validates the settings form and saves the connection of the environment it names, for this shop
 * only, audited. Nothing is written when a field is wrong. A shop's first connection becomes the
 * active one; another environment's is saved beside it, inactive until the merchant switches.
 */
export async function saveConnection(shopId: string, form: Record<string, unknown>, actor: string): Promise<SaveResult> {
  const environment = ENVIRONMENTS.find((e) => e === form.environment);
  const row = environment ? await storedConnectionIn(shopId, environment) : null;
  // A disconnected connection's keys were forgotten: it is saved as a new one would be, on its row.
  const existing = row?.disconnectedAt ? null : row;
  const parsed = connectionFormSchema({ secretKey: Boolean(existing) }).safeParse(form);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), fieldWords: connectionFieldWords(parsed.error) };
  const f = parsed.data;
  // A stored key belongs to the account type it was checked against.
  if (existing && !f.secretKey && existing.accountType !== f.accountType) {
    return {
      ok: false,
      fieldErrors: { secretKey: "Enter the secret key again when you change the account type." },
      fieldWords: { secretKey: { key: "checkout.form.secretKeyAgain" } },
    };
  }
  const id = row?.id ?? crypto.randomUUID();
  const seal = (field: string, value: string) => encryptSecret(value, secretContext(id, field));
  const data = {
    accountType: f.accountType,
    environment: f.environment,
    subdomain: f.accountType === "NAS" ? (f.subdomain ?? null) : null,
    processingChannelIds: f.processingChannelIds.join(" "),
    entityIds: f.entityIds.join(" "),
    ...(f.secretKey ? { secretKeyEnc: seal("secretKey", f.secretKey), secretKeyLast4: last4(f.secretKey) } : {}),
    ...(f.signatureKey ? { signatureKeyEnc: seal("signatureKey", f.signatureKey), signatureKeyLast4: last4(f.signatureKey) } : {}),
    ...(f.authorizationHeader
      ? { authorizationEnc: seal("authorization", f.authorizationHeader), authorizationLast4: last4(f.authorizationHeader) }
      : f.clearAuthorizationHeader
        ? { authorizationEnc: null, authorizationLast4: null }
        : {}),
    // A changed key has not been tested yet.
    ...(f.secretKey ? { lastTestedAt: null, lastTestOk: null, lastTestMessage: null } : {}),
    ...(existing ? previousKeyOnChange(existing, f, seal) : {}),
  };
  // Connected again: active when the shop has no active connection (a disconnect of the active one left it without).
  const reconnected = row?.disconnectedAt ? { disconnectedAt: null, active: !(await getConnection(shopId)) } : {};
  const saved = row
    ? await db().checkoutConnection.update({ where: { id: row.id }, data: { ...data, ...reconnected } })
    : await db().checkoutConnection.create({
        data: {
          id,
          shopId,
          // Its own endpoint: the two environments are two Checkout.com accounts, each delivering to its URL.
          endpointId: randomToken(24),
          active: !(await getConnection(shopId)),
          secretKeyEnc: data.secretKeyEnc!,
          secretKeyLast4: data.secretKeyLast4!,
          ...data,
        },
      });
  // Deliveries must be verified with the new keys from now on.
  webhookEndpointCache.forget(saved.endpointId);
  // Which keys changed, never their values.
  const changedKeys = (["secretKey", "signatureKey", "authorizationHeader"] as const).filter((k) => f[k]);
  await audit({
    shopId,
    actor,
    source: "admin",
    action: "checkout.connection.save",
    details: {
      accountType: f.accountType,
      environment: f.environment,
      changedKeys,
      ...(f.clearAuthorizationHeader ? { clearedAuthorizationHeader: true } : {}),
      ...(row?.disconnectedAt ? { reconnected: true } : {}),
    },
    result: "ok",
  });
  return { ok: true, connection: summarize(saved) };
}

export type ActivateResult = { ok: boolean; message: string; words: Words };

/**
 * Makes the environment's connection the active one, audited: from now on its events act on orders
 * and its key moves money; the other's events are stored and labelled only. One transaction, so a
 * shop never has two active connections, or none while it has one.
 */
export async function activateConnection(shopId: string, environment: CheckoutEnvironment, actor: string): Promise<ActivateResult> {
  const target = await connectionIn(shopId, environment);
  if (!target)
    return {
      ok: false,
      message: `Save the ${ENVIRONMENT_LABELS[environment].toLowerCase()} keys first.`,
      words: { key: `checkout.environment.saveFirst.${environment}` },
    };
  if (target.active)
    return {
      ok: true,
      message: `${ENVIRONMENT_LABELS[environment]} is already the active environment.`,
      words: { key: `checkout.environment.alreadyActive.${environment}` },
    };
  await db().$transaction([
    db().checkoutConnection.updateMany({ where: { shopId, active: true }, data: { active: false } }),
    db().checkoutConnection.update({ where: { id: target.id }, data: { active: true } }),
  ]);
  await audit({ shopId, actor, source: "admin", action: "checkout.connection.activate", details: { environment }, result: "ok" });
  return {
    ok: true,
    message:
      environment === "production"
        ? "Production is now active: live payments act on orders, and money actions use the production key."
        : "Sandbox is now active: test payments act on orders, and production events are stored without acting on them.",
    words: { key: `checkout.environment.activated.${environment}` },
  };
}

/**
 * Forgets a connection's keys and marks it disconnected: from then on it is no shop's active connection,
 * nothing reads its keys (connectionSecrets refuses), and its endpoint refuses deliveries. The secret key's
 * columns may not be null, so they hold "". Its endpoint id, account settings and events stay, so saving
 * keys again connects it on the same row and URL. False when it was disconnected meanwhile.
 */
export async function forgetConnection(connection: CheckoutConnection, now = new Date()): Promise<boolean> {
  const { count } = await db().checkoutConnection.updateMany({
    where: { id: connection.id, disconnectedAt: null },
    data: {
      disconnectedAt: now,
      active: false,
      secretKeyEnc: "",
      secretKeyLast4: "",
      signatureKeyEnc: null,
      signatureKeyLast4: null,
      authorizationEnc: null,
      authorizationLast4: null,
      previousWebhookKeyEnc: null,
      previousWebhookKeyLast4: null,
      previousWebhookKeyUntil: null,
      workflowId: null,
      workflowStatus: null,
      workflowMessage: null,
      workflowSyncedAt: null,
      lastTestedAt: null,
      lastTestOk: null,
      lastTestMessage: null,
    },
  });
  webhookEndpointCache.forget(connection.endpointId);
  return count > 0;
}

/**
 * When a save changes the key that signs webhooks, the old one is kept for WEBHOOK_KEY_GRACE_HOURS:
 * deliveries Checkout.com signed before the change (and retries them for days) still verify.
 */
function previousKeyOnChange(
  existing: CheckoutConnection,
  f: { accountType: string; secretKey?: string; signatureKey?: string },
  seal: (field: string, value: string) => string,
) {
  const before = webhookSigningKey(existing);
  const kept = connectionSecrets(existing);
  const after = f.accountType === "NAS" && (f.signatureKey ?? kept.signatureKey) ? (f.signatureKey ?? kept.signatureKey!) : (f.secretKey ?? kept.secretKey);
  if (after === before) return {};
  return {
    previousWebhookKeyEnc: seal("previousWebhookKey", before),
    previousWebhookKeyLast4: last4(before),
    previousWebhookKeyUntil: new Date(Date.now() + env().WEBHOOK_KEY_GRACE_HOURS * 3_600_000),
  };
}

const SEALED_COLUMNS = {
  secretKeyEnc: "secretKey",
  signatureKeyEnc: "signatureKey",
  authorizationEnc: "authorization",
  previousWebhookKeyEnc: "previousWebhookKey",
} as const;

/**
 * Seals every Checkout.com secret still sealed with ENCRYPTION_KEY_PREVIOUS again with ENCRYPTION_KEY
 * and returns how many values changed. Operator maintenance across all shops (`npm run
 * secrets:reseal`); a connection saved meanwhile is left alone (its save sealed it with the new key).
 */
export async function resealCheckoutSecrets(): Promise<number> {
  let changed = 0;
  for (const c of await db().checkoutConnection.findMany()) {
    const data: Partial<Record<keyof typeof SEALED_COLUMNS, string>> = {};
    for (const [column, field] of Object.entries(SEALED_COLUMNS) as Array<[keyof typeof SEALED_COLUMNS, string]>) {
      const again = c[column] ? resealed(c[column]!, secretContext(c.id, field)) : null;
      if (again) data[column] = again;
    }
    if (!Object.keys(data).length) continue;
    const unchanged = {
      secretKeyEnc: c.secretKeyEnc,
      signatureKeyEnc: c.signatureKeyEnc,
      authorizationEnc: c.authorizationEnc,
      previousWebhookKeyEnc: c.previousWebhookKeyEnc,
    };
    const { count } = await db().checkoutConnection.updateMany({ where: { id: c.id, ...unchanged }, data });
    if (count) changed += Object.keys(data).length;
  }
  return changed;
}

/**
 * Stores the signing key the app made for its webhook workflow (app/checkout/workflow.server.ts), on
 * a connection that had none: nothing was verified with a signature key before.
 */
export async function sealSignatureKey(connection: CheckoutConnection, key: string) {
  await db().checkoutConnection.update({
    where: { id: connection.id },
    data: { signatureKeyEnc: encryptSecret(key, secretContext(connection.id, "signatureKey")), signatureKeyLast4: last4(key) },
  });
  webhookEndpointCache.forget(connection.endpointId);
}

/** The decrypted secrets, for server-side use only. A disconnected connection has none: its keys were forgotten. */
export function connectionSecrets(c: CheckoutConnection) {
  if (c.disconnectedAt) throw new Error("This Checkout.com connection was disconnected: its keys were forgotten. Save the keys again in Settings.");
  return {
    secretKey: decryptSecret(c.secretKeyEnc, secretContext(c.id, "secretKey")),
    signatureKey: c.signatureKeyEnc ? decryptSecret(c.signatureKeyEnc, secretContext(c.id, "signatureKey")) : null,
    authorization: c.authorizationEnc ? decryptSecret(c.authorizationEnc, secretContext(c.id, "authorization")) : null,
  };
}

/** The previous signing key and until when it is accepted, while a rotation's grace period runs. */
export function previousWebhookSigningKey(c: CheckoutConnection, now = new Date()): { key: string; until: Date } | null {
  if (!c.previousWebhookKeyEnc || !c.previousWebhookKeyUntil || c.previousWebhookKeyUntil <= now) return null;
  return { key: decryptSecret(c.previousWebhookKeyEnc, secretContext(c.id, "previousWebhookKey")), until: c.previousWebhookKeyUntil };
}

/** The shop's webhook URL (an unguessable endpoint id, never the shop's name): where Checkout.com delivers. */
export const webhookUrlOf = (connection: Pick<CheckoutConnection, "endpointId">) =>
  `${env().SHOPIFY_APP_URL.replace(/\/$/, "")}/webhooks/checkout/${connection.endpointId}`;

/** The key that signs this connection's webhooks: the signature key (NAS) or the secret key (ABC). */
export function webhookSigningKey(c: CheckoutConnection): string {
  const secrets = connectionSecrets(c);
  return c.accountType === "NAS" && secrets.signatureKey ? secrets.signatureKey : secrets.secretKey;
}

function credentialsOf(c: CheckoutConnection): CheckoutCredentials {
  return {
    accountType: c.accountType as AccountType,
    environment: c.environment as CheckoutEnvironment,
    secretKey: connectionSecrets(c).secretKey,
    subdomain: c.subdomain,
  };
}

export function clientFor(c: CheckoutConnection, options: ClientOptions = {}) {
  return createCheckoutClient(credentialsOf(c), { baseUrl: env().CHECKOUT_API_BASE_URL, ...options });
}

export interface ConnectionTest {
  ok: boolean;
  message: string;
  words: Words;
  /** How Checkout.com refused the call, when it did. */
  error?: CheckoutError;
}

/** Calls Checkout.com with the environment's stored key and records, in words, what happened. */
export async function testConnection(shopId: string, environment: CheckoutEnvironment, options: ClientOptions = {}): Promise<ConnectionTest> {
  const connection = await connectionIn(shopId, environment);
  if (!connection) return { ok: false, message: `Save your Checkout.com ${environment} keys first.`, words: { key: `checkout.saveKeysFirst.${environment}` } };
  return testStoredConnection(connection, options);
}

/**
 * Reads one dispute with the connection's key, a call any working key may make, and records the
 * outcome as the connection's last test.
 */
export async function testStoredConnection(connection: CheckoutConnection, options: ClientOptions = {}): Promise<ConnectionTest> {
  let ok = false;
  let message: string;
  let words: Words;
  let failure: CheckoutError | undefined;
  try {
    await clientFor(connection, { retry: { retries: 1, baseMs: 200, maxMs: 1000 }, timeoutMs: 10_000, ...options }).listDisputes({ limit: 1 });
    ok = true;
    message = `Connected to Checkout.com ${connection.environment} (${connection.accountType}).`;
    words = testWords.connected(connection);
  } catch (error) {
    const e = asCheckoutError(error);
    failure = e;
    const nas = connection.accountType === "NAS";
    if (e.kind === "authentication" && e.status === 403) {
      message = "The key is valid but may not read disputes. Give it the disputes and payments scopes in the Checkout.com Dashboard.";
      words = testWords.missingScope;
    } else if (e.kind === "authentication") {
      message = `Checkout.com refused this secret key in ${connection.environment}. Check the key is current and that it is a ${connection.environment} key${nas ? " for the subdomain you entered" : ""}.`;
      words = testWords.refused(connection);
    } else if (e.kind === "unavailable" && !e.status) {
      message = `Could not reach Checkout.com${nas ? ` at ${apiHostOf(connection)}: check the subdomain` : ""}. ${e.message}.`;
      words = testWords.unreachable(connection, e.message);
    } else {
      message = explainCheckoutError(e);
      words = checkoutErrorWords(e);
    }
  }
  await db().checkoutConnection.update({
    where: { id: connection.id },
    data: { lastTestedAt: new Date(), lastTestOk: ok, lastTestMessage: message },
  });
  return { ok, message, words, ...(failure ? { error: failure } : {}) };
}

/**
 * Whether a test's failure was Checkout.com refusing the key itself (401: wrong, revoked, or the other
 * environment's); a 403 is a valid key that lacks a scope.
 */
export const keyRefused = (test: Pick<ConnectionTest, "error">) => test.error?.kind === "authentication" && test.error.status !== 403;

/** The host a NAS connection's calls go to. */
const apiHostOf = (c: Pick<CheckoutConnection, "subdomain" | "environment">) =>
  `${c.subdomain}.api${c.environment === "sandbox" ? ".sandbox" : ""}.checkout.com`;

type Tested = Pick<CheckoutConnection, "accountType" | "environment" | "subdomain">;

/** The words of a connection test's outcome (errors.checkout.test.*). */
const testWords = {
  connected: (c: Tested): Words => ({ key: `checkout.test.connected.${c.environment}`, values: { accountType: c.accountType } }),
  missingScope: { key: "checkout.test.missingScope" } satisfies Words,
  refused: (c: Tested): Words => ({ key: `checkout.test.${c.accountType === "NAS" ? "refusedNas" : "refused"}.${c.environment}` }),
  unreachable: (c: Tested, detail: string): Words =>
    c.accountType === "NAS"
      ? { key: "checkout.test.unreachableAt", values: { host: apiHostOf(c), detail } }
      : { key: "checkout.test.unreachable", values: { detail } },
};

/**
 * The words of the connection's last test, recognised from the English it recorded (lastTestMessage),
 * so a screen can say it in the reader's language; null when it is none the test says today.
 */
export function lastTestWords(c: Tested & Pick<CheckoutConnection, "lastTestMessage">): Said | null {
  const recorded = c.lastTestMessage;
  if (!recorded) return null;
  // What the network said (after "Could not reach Checkout.com..."), read back from the text.
  const detail = /^Could not reach Checkout\.com(?: at [^:]*: check the subdomain)?\. (.*)\.$/s.exec(recorded)?.[1];
  return recognise(recorded, [
    testWords.connected(c),
    testWords.missingScope,
    testWords.refused(c),
    ...(detail !== undefined ? [testWords.unreachable(c, detail)] : []),
    ...checkoutErrorCandidates(recorded),
  ]);
}

/** A connection as the browser may see it, its last test's outcome said in `locale` where the test's words are known. */
export function summarizeIn(locale: Locale, c: CheckoutConnection): ConnectionSummary {
  const summary = summarize(c);
  const words = locale === "en" ? null : lastTestWords(c);
  return words ? { ...summary, lastTestMessage: sayAll(locale, words) } : summary;
}
