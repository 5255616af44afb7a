// Settings > Zendesk, the one-click install: the sidebar installed in the shop's Zendesk through its
// connected account, shown on the connection, and given the new secret when it is rotated.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { TEST_APP_URL } from "../../test/helpers/env";
import { callAction } from "../../test/helpers/shopify";
import { extensionRequest, seedOfflineSession, seedStaff } from "../../test/helpers/session-token";
import { connectZendesk, connectZendeskAccount, resetZendeskApi } from "../../test/helpers/zendesk";
import { createZendeskStandIn, type ZendeskStandIn } from "../../test/standins/zendesk/server";
import { sharedSecretOf } from "../zendesk/connections.server";
import { db } from "../db.server";
import { action, loader } from "./app.zendesk";

const A = "zendesk-install-a.myshopify.com";
const B = "zendesk-install-b.myshopify.com";
let shopA: string;
let zendesk: ZendeskStandIn;

const post = (shop: string, fields: Record<string, string>) =>
  callAction(action, extensionRequest("/app/zendesk", shop, { method: "POST", body: new URLSearchParams(fields) }));
const load = async (shop: string) => (await callAction(loader, extensionRequest("/app/zendesk", shop))).json();
const installationOf = (connectionId: string) => [...zendesk.installations.values()].find((i) => i.settings.connection_id === connectionId);

beforeAll(async () => {
  zendesk = await createZendeskStandIn({ settings: { backend_url: TEST_APP_URL }, tickets: [] });
  shopA = (await createShop(A)).id;
  await createShop(B);
  for (const shop of [A, B]) {
    await seedOfflineSession(shop);
    await seedStaff(shop, { userId: 74_000_001 });
  }
});
afterAll(async () => {
  resetZendeskApi();
  await zendesk.close();
});

describe("installing the sidebar from the Zendesk page", () => {
  it("asks for the Zendesk account first, then installs, shows the version and pushes a rotated secret", async () => {
    const { connection } = await connectZendesk(shopA);
    const before = await load(A);
    expect(before.sidebarVersion).toMatch(/^1\.0\.0 \([0-9a-f]{12}\)$/);
    expect(before.connections[0].installed).toBeNull();
    expect((await post(A, { intent: "install", id: connection.id })).status).toBe(409);

    await connectZendeskAccount(shopA, zendesk);
    const installed = await post(A, { intent: "install", id: connection.id });
    expect(installed.status).toBe(200);
    expect((await installed.json()).message).toBe(`The sidebar is installed in Zendesk (${before.sidebarVersion}).`);
    expect((await load(A)).connections[0].installed).toMatchObject({ version: before.sidebarVersion });

    const rotated = await post(A, { intent: "rotate", id: connection.id, graceHours: "24" });
    const reply = await rotated.json();
    expect(reply).toMatchObject({ ok: true, message: expect.stringContaining("set in the installed Zendesk app") });
    expect(reply.secret).toBeUndefined();
    const row = await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(installationOf(connection.id)?.settings.shared_secret).toBe(sharedSecretOf(row));
  });

  it("does not install another shop's connection", async () => {
    const { connection } = await connectZendesk(shopA);
    const response = await post(B, { intent: "install", id: connection.id });
    expect(response.status).toBe(404);
    expect(installationOf(connection.id)).toBeUndefined();
  });

  it("serves the app's package to download, for admins", async () => {
    const response = await callAction(loaderOfPackage, extensionRequest("/app/zendesk/package", A));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 2)]).toEqual([0x50, 0x4b]);
  });
});

const { loader: loaderOfPackage } = await import("./app.zendesk.package");
