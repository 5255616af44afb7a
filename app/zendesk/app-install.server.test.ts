import { zipSync } from "fflate";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { TEST_APP_URL } from "../../test/helpers/env";
import { connectZendesk, connectZendeskAccount, resetZendeskApi, type ZendeskSetup } from "../../test/helpers/zendesk";
import { createZendeskStandIn, type ZendeskStandIn } from "../../test/standins/zendesk/server";
import { db } from "../db.server";
import * as appPackage from "./app-package.server";
import { installSidebar } from "./app-install.server";

vi.mock("./app-package.server", async (original) => {
  const actual = await original<typeof appPackage>();
  return { ...actual, sidebarPackage: vi.fn(actual.sidebarPackage) };
});

let zendesk: ZendeskStandIn;
beforeAll(async () => {
  zendesk = await createZendeskStandIn({
    tickets: [{ id: 7, subject: "Where is my order?", requester: { id: 501, name: "Ada Lovelace", email: "ada@example.com" } }],
  });
});
afterAll(async () => {
  resetZendeskApi();
  await zendesk.close();
});

const ACTOR = "Sam Owner <owner@example.com>";
let shopId: string;
let setup: ZendeskSetup;
beforeEach(async () => {
  shopId = (await createShop()).id;
  setup = await connectZendesk(shopId);
});

/** What the agent workspace shows on a ticket: the sidebar app's metadata, or null with no app installed. */
async function workspaceApp(): Promise<{ url: string; metadata: { installationId: number; settings: Record<string, unknown> } } | null> {
  const page = await (await fetch(zendesk.ticketUrl(7))).text();
  return JSON.parse(/<script type="application\/json" id="zaf-bootstrap">(.*?)<\/script>/s.exec(page)![1]).app;
}

const installationOf = (connectionId: string) => [...zendesk.installations.values()].find((i) => i.settings.connection_id === connectionId);

describe("installing the sidebar through Zendesk's Apps API", () => {
  it("uploads, builds and installs the app once, with the secret as a secure setting Zendesk never shows", async () => {
    await connectZendeskAccount(shopId, zendesk);
    expect(await workspaceApp()).toBeNull();
    const result = await installSidebar(shopId, setup.connection.id, ACTOR);
    expect(result).toMatchObject({ ok: true, outcome: "installed", words: { key: "zendesk.install.installed" } });

    const connection = await db().zendeskConnection.findUniqueOrThrow({ where: { id: setup.connection.id } });
    const app = zendesk.apps.get(Number(connection.zendeskAppId))!;
    expect(app.files["manifest.json"]).toBeDefined();
    expect(JSON.parse(new TextDecoder().decode(app.files["manifest.json"])).domainWhitelist).toContain(new URL(TEST_APP_URL).hostname);
    const installation = zendesk.installations.get(Number(connection.zendeskInstallationId))!;
    expect(installation.settings).toEqual({
      name: "Checkout.com Payments",
      backend_url: TEST_APP_URL,
      connection_id: setup.connection.id,
      shared_secret: setup.secret,
    });
    const listed = await fetch(`${zendesk.url}/api/v2/apps/installations.json`, { headers: { Authorization: `Bearer ${zendesk.issueAccessToken()}` } });
    expect(JSON.stringify(await listed.json())).not.toContain(setup.secret);
    expect(await db().auditLog.count({ where: { shopId, action: "zendesk.app_install", result: "ok" } })).toBe(1);

    // Agents now see it on every ticket: the page the app uploaded, its settings without the secret.
    const shown = (await workspaceApp())!;
    expect(shown.metadata).toMatchObject({ installationId: installation.id, settings: { backend_url: TEST_APP_URL, connection_id: setup.connection.id } });
    expect(JSON.stringify(shown)).not.toContain(setup.secret);
    expect(new Uint8Array(await (await fetch(shown.url)).arrayBuffer())).toEqual(app.files["assets/iframe.html"]);
  });

  it("sets the settings again without a new upload while the package is the same, and uploads a changed package as a new version", async () => {
    await connectZendeskAccount(shopId, zendesk);
    await installSidebar(shopId, setup.connection.id, ACTOR);
    const first = await db().zendeskConnection.findUniqueOrThrow({ where: { id: setup.connection.id } });
    const builds = () => zendesk.apps.get(Number(first.zendeskAppId))!.builds;

    expect(await installSidebar(shopId, setup.connection.id, ACTOR)).toMatchObject({ ok: true, outcome: "settings" });
    expect(builds()).toBe(1);

    await db().zendeskConnection.update({ where: { id: first.id }, data: { installedVersion: "0.9.0 (000000000000)" } });
    expect(await installSidebar(shopId, setup.connection.id, ACTOR)).toMatchObject({ ok: true, outcome: "updated" });
    expect(builds()).toBe(2);
    const after = await db().zendeskConnection.findUniqueOrThrow({ where: { id: first.id } });
    expect([after.zendeskAppId, after.zendeskInstallationId]).toEqual([first.zendeskAppId, first.zendeskInstallationId]);
  });

  it("sets the ticket field the merchant names, keeps it for later installs, and refuses one that is not an id", async () => {
    await connectZendeskAccount(shopId, zendesk);
    expect(await installSidebar(shopId, setup.connection.id, ACTOR, { ticketFieldId: "abc" })).toMatchObject({ ok: false, status: 400 });
    expect(zendesk.installations.size === 0 || !installationOf(setup.connection.id)).toBe(true);
    await installSidebar(shopId, setup.connection.id, ACTOR, { ticketFieldId: " 360001 " });
    expect(installationOf(setup.connection.id)?.settings.payment_field_id).toBe(360001);
    await installSidebar(shopId, setup.connection.id, ACTOR);
    expect(installationOf(setup.connection.id)?.settings.payment_field_id).toBe(360001);
  });

  it("installs again when an admin removed the installation in Zendesk", async () => {
    await connectZendeskAccount(shopId, zendesk);
    await installSidebar(shopId, setup.connection.id, ACTOR);
    const first = installationOf(setup.connection.id)!;
    await fetch(`${zendesk.url}/api/v2/apps/installations/${first.id}.json`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${zendesk.issueAccessToken()}` },
    });
    expect(await installSidebar(shopId, setup.connection.id, ACTOR)).toMatchObject({ ok: true, outcome: "installed" });
    expect(installationOf(setup.connection.id)?.id).not.toBe(first.id);
  });

  it("says what Zendesk refused in a package, and stores nothing", async () => {
    await connectZendeskAccount(shopId, zendesk);
    const good = await appPackage.sidebarPackage();
    const broken = zipSync({ "manifest.json": new TextEncoder().encode(JSON.stringify({ name: "x", frameworkVersion: "1.0", parameters: [] })) });
    vi.mocked(appPackage.sidebarPackage).mockResolvedValueOnce({ ...good, zip: broken, fingerprint: "broken000000" });
    const result = await installSidebar(shopId, setup.connection.id, ACTOR);
    expect(result).toMatchObject({ ok: false, status: 422, words: { key: "zendesk.install.rejected" } });
    expect(result.message).toContain('frameworkVersion must be "2.0"');
    expect((await db().zendeskConnection.findUniqueOrThrow({ where: { id: setup.connection.id } })).zendeskAppId).toBeNull();
    expect(await db().auditLog.findFirst({ where: { shopId, action: "zendesk.app_install", result: "error" } })).toMatchObject({ error: result.message });
  });

  it("is refused without a Zendesk account, for another shop's connection, and asks to reconnect when Zendesk refuses the token", async () => {
    expect(await installSidebar(shopId, setup.connection.id, ACTOR)).toMatchObject({ ok: false, status: 409, words: { key: "zendesk.install.noAccount" } });
    const other = await createShop();
    await connectZendeskAccount(other.id, zendesk);
    expect(await installSidebar(other.id, setup.connection.id, ACTOR)).toMatchObject({ ok: false, status: 404 });
    expect(zendesk.installations.size === 0 || !installationOf(setup.connection.id)).toBe(true);

    await connectZendeskAccount(shopId, zendesk);
    zendesk.revokeAllTokens();
    expect(await installSidebar(shopId, setup.connection.id, ACTOR)).toMatchObject({ ok: false, status: 409, words: { key: "zendesk.install.reconnect" } });
  });
});
