// The sidebar installed in the merchant's Zendesk through Zendesk's Apps API, with the Zendesk account
// the merchant connected: the package of this deployment (app-package.server.ts) is uploaded and built
// as a private app, installed once, and its settings set (backend URL, connection id, and the shared
// secret as a secure setting, which Zendesk keeps and never shows). Installing again re-uploads only
// when the package changed, and always sets the settings (after a secret rotation, say).
import type { ZendeskConnection } from "@prisma/client";
import type { ZendeskClient } from "node-zendesk";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import type { Words } from "../i18n/locales";
import { sleep } from "../lib/retry";
import { packageVersion, sidebarPackage } from "./app-package.server";
import { sharedSecretOf } from "./connections.server";
import { supportClientFor, ZendeskRateLimitedError, ZendeskReauthRequiredError } from "./support-api.server";

/** How often, and how far apart, a build job is asked about before giving up (Zendesk builds in seconds). */
const BUILD_POLL = { attempts: 30, intervalMs: 500 };

const uploadSchema = z.object({ id: z.union([z.number(), z.string()]) });
const jobSchema = z.object({ job_id: z.string() });
const jobStatusSchema = z.object({ status: z.string(), app_id: z.union([z.number(), z.string()]).nullish(), message: z.string().nullish() });
const installationSchema = z.object({ id: z.union([z.number(), z.string()]) });

/** The install form: optionally the ticket field holding a payment id or order name (Zendesk's id, digits). */
const installFormSchema = z.object({
  ticketFieldId: z
    .union([
      z.literal(""),
      z
        .string()
        .trim()
        .regex(/^\d{1,18}$/),
    ])
    .optional(),
});

export type InstallResult =
  | { ok: true; outcome: "installed" | "updated" | "settings"; version: string; message: string; words: Words }
  | { ok: false; status: number; message: string; words: Words };

class InstallRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly words: Words,
  ) {
    super(message);
  }
}

/** The status and Zendesk's own words of a refused call (node-zendesk errors carry statusCode and result). */
function zendeskRefusal(error: unknown): { status: number; detail: string } | null {
  const failed = error as { statusCode?: unknown; result?: unknown };
  if (typeof failed?.statusCode !== "number") return null;
  const body = failed.result as { description?: unknown; error?: unknown } | undefined;
  const detail = typeof body?.description === "string" ? body.description : typeof body?.error === "string" ? body.error : `HTTP ${failed.statusCode}`;
  return { status: failed.statusCode, detail };
}

/** The body of an answer of node-zendesk's generic calls (typed there as NodeModule). */
const resultOf = (answer: unknown): unknown => (answer as { result: unknown }).result;

/** Uploads the package and builds it as a new app, or as a new version of `appId`; the app's id. */
async function uploadAndBuild(client: ZendeskClient, appId: string | null, zip: Uint8Array, name: string): Promise<string> {
  // The installations client speaks for the whole Apps API (apps/...): node-zendesk has no apps client.
  const apps = client.installations;
  const form = new FormData();
  form.set("uploaded_data", new Blob([new Uint8Array(zip)], { type: "application/zip" }), "app.zip");
  const upload = uploadSchema.parse(await apps.requestUpload(["apps", "uploads"], form));
  const built = appId ? await apps.put(["apps", appId], { upload_id: upload.id }) : await apps.post(["apps"], { name, upload_id: upload.id });
  const { job_id } = jobSchema.parse(resultOf(built));
  for (let attempt = 0; attempt < BUILD_POLL.attempts; attempt++) {
    const job = jobStatusSchema.parse(resultOf(await apps.get(["apps", "job_statuses", job_id])));
    if (job.status === "completed" && job.app_id != null) return String(job.app_id);
    if (job.status === "failed" || job.status === "killed") {
      const message = job.message ?? "Zendesk could not build the app.";
      throw new InstallRefused(422, `Zendesk refused the app: ${message}`, { key: "zendesk.install.rejected", values: { message } });
    }
    await sleep(BUILD_POLL.intervalMs);
  }
  throw new InstallRefused(504, "Zendesk is still building the app: install again in a minute.", { key: "zendesk.install.stillBuilding" });
}

/** Installs the app for the connection, or sets the settings of its installation; the installation's id. */
async function install(client: ZendeskClient, connection: ZendeskConnection, appId: string, settings: Record<string, string | number>): Promise<string> {
  if (connection.zendeskInstallationId && connection.zendeskAppId === appId) {
    try {
      await client.installations.update(Number(connection.zendeskInstallationId), { settings });
      return connection.zendeskInstallationId;
    } catch (error) {
      // Removed in Zendesk meanwhile: installed again below.
      if (zendeskRefusal(error)?.status !== 404) throw error;
    }
  }
  const { result } = await client.installations.create({ app_id: Number(appId), settings });
  return String(installationSchema.parse(result).id);
}

/**
 * Installs (or updates) the sidebar in the shop's Zendesk for one of its connections, audited. Refused
 * without a connected Zendesk account, for another shop's or a revoked connection, and with Zendesk's
 * own words when it refuses the package.
 */
export async function installSidebar(shopId: string, connectionId: string, actor: string, form: Record<string, string> = {}): Promise<InstallResult> {
  const asked = installFormSchema.safeParse(form);
  if (!asked.success)
    return { ok: false, status: 400, message: "A ticket field id is a number from Zendesk's ticket fields.", words: { key: "zendesk.install.ticketField" } };
  const found = await db().zendeskConnection.findFirst({ where: { id: connectionId, shopId, revokedAt: null } });
  // A ticket field given in the form is kept for the next installs (an empty one clears it).
  const connection =
    found && asked.data.ticketFieldId !== undefined
      ? await db().zendeskConnection.update({ where: { id: found.id }, data: { ticketFieldId: asked.data.ticketFieldId || null } })
      : found;
  const refuse = async (status: number, message: string, words: Words): Promise<InstallResult> => {
    await audit({ shopId, actor, source: "admin", action: "zendesk.app_install", details: { connectionId }, result: "error", error: message });
    return { ok: false, status, message, words };
  };
  if (!connection) return refuse(404, "That Zendesk connection does not exist in this shop or was revoked.", { key: "zendesk.connectionNotFound" });
  const client = await supportClientFor(shopId);
  if (!client) return refuse(409, "Connect your Zendesk account first.", { key: "zendesk.install.noAccount" });

  const pkg = await sidebarPackage();
  const version = packageVersion(pkg);
  const manifest = JSON.parse(new TextDecoder().decode(pkg.files["manifest.json"])) as { name: string; parameters: Array<{ name: string; default?: unknown }> };
  const settings = {
    name: manifest.name,
    backend_url: String(manifest.parameters.find((p) => p.name === "backend_url")?.default ?? ""),
    connection_id: connection.id,
    shared_secret: sharedSecretOf(connection),
    ...(connection.ticketFieldId ? { payment_field_id: Number(connection.ticketFieldId) } : {}),
  };
  try {
    const reupload = !connection.zendeskAppId || connection.installedVersion !== version;
    const appId = reupload ? await uploadAndBuild(client, connection.zendeskAppId, pkg.zip, manifest.name) : connection.zendeskAppId!;
    const installationId = await install(client, connection, appId, settings);
    await db().zendeskConnection.update({
      where: { id: connection.id },
      data: { zendeskAppId: appId, zendeskInstallationId: installationId, installedVersion: version, installedAt: new Date() },
    });
    // Installed again (after an admin removed it in Zendesk) says so, like a first install.
    const reinstalled = installationId !== connection.zendeskInstallationId;
    const outcome = !connection.zendeskAppId || reinstalled ? "installed" : reupload ? "updated" : "settings";
    await audit({
      shopId,
      actor,
      source: "admin",
      action: "zendesk.app_install",
      details: { connectionId, appId, installationId, version, outcome },
      result: "ok",
    });
    const message = {
      installed: `The sidebar is installed in Zendesk (${version}).`,
      updated: `The sidebar in Zendesk is updated to ${version}.`,
      settings: "The sidebar's settings in Zendesk are up to date.",
    }[outcome];
    return { ok: true, outcome, version, message, words: { key: `zendesk.install.${outcome}`, values: { version } } };
  } catch (error) {
    if (error instanceof InstallRefused) return refuse(error.status, error.message, error.words);
    if (error instanceof ZendeskReauthRequiredError) return refuse(409, error.message, { key: "zendesk.install.reconnect" });
    if (error instanceof ZendeskRateLimitedError) return refuse(429, error.message, { key: "zendesk.install.rateLimited" });
    const refused = zendeskRefusal(error);
    if (refused?.status === 403) return refuse(403, "Only a Zendesk admin may install apps: connect Zendesk as an admin.", { key: "zendesk.install.notAdmin" });
    if (refused) return refuse(502, `Zendesk refused: ${refused.detail}`, { key: "zendesk.install.zendeskRefused", values: { detail: refused.detail } });
    throw error;
  }
}
