// Settings → Disconnect through the route as the embedded admin calls it: admins only, each shop its
// own connection only, the answer in the staff member's language, the workflow deleted at Checkout.com.
import { beforeAll, describe, expect, it } from "vitest";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { createConnectedShop } from "../../test/helpers/factories";
import { seedOfflineSession, seedStaff, staffRequest } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import { nasAccount } from "../../test/standins/checkout/testing";
import { registerWebhookWorkflow } from "../checkout/workflow.server";
import { db } from "../db.server";
import { action, loader } from "./app.settings";

const standIn = useCheckoutStandIn({ accounts: [nasAccount()], actionLatencyMs: 1, webhooks: { delayMs: 0, retryDelaysMs: [], timeoutMs: 1_000 } });

const A = "disconnect-settings-a.myshopify.com";
const B = "disconnect-settings-b.myshopify.com";
const OWNER = 74_000_101;
const VIEWER = 74_000_102;
const GERMAN_ADMIN = 74_000_103;
let shopA: string;
let shopB: string;

const post = (shop: string, userId: number, fields: Record<string, string>) => callAction(action, staffRequest(shop, "/app/settings", userId, fields));
const connectionOf = (shopId: string) => db().checkoutConnection.findFirstOrThrow({ where: { shopId } });
const workflowIds = () =>
  standIn()
    .workflows.list("shop_a")
    .map((w) => w.id);

beforeAll(async () => {
  shopA = (await createConnectedShop(A)).shop.id;
  shopB = (await createConnectedShop(B)).shop.id;
  for (const [domain, shopId] of [
    [A, shopA],
    [B, shopB],
  ]) {
    await seedOfflineSession(domain);
    await seedStaff(domain, { userId: OWNER });
    await seedStaff(domain, { userId: VIEWER, role: "viewer" });
    await registerWebhookWorkflow(shopId, "admin@example.com", "sandbox");
  }
  await seedStaff(A, { userId: GERMAN_ADMIN, role: "admin", locale: "de" });
});

describe("Settings → Disconnect", () => {
  it("refuses a viewer with 403 and changes nothing", async () => {
    const refused = await post(A, VIEWER, { intent: "disconnect", environment: "sandbox" });
    expect(refused.status).toBe(403);
    expect(await connectionOf(shopA)).toMatchObject({ disconnectedAt: null, active: true });
    expect(await db().auditLog.count({ where: { shopId: shopA, action: "checkout.connection.disconnect" } })).toBe(0);
  });

  it("disconnects only the asking shop's connection: shop B's admin cannot touch shop A's", async () => {
    const a = await connectionOf(shopA);
    const b = await connectionOf(shopB);

    const response = await post(B, OWNER, { intent: "disconnect", environment: "sandbox" });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ intent: "disconnect", ok: true, message: expect.stringMatching(/^Sandbox disconnected/) });
    expect(await connectionOf(shopB)).toMatchObject({ disconnectedAt: expect.any(Date), secretKeyEnc: "" });
    expect(workflowIds()).not.toContain(b.workflowId);
    expect(await connectionOf(shopA)).toMatchObject({ disconnectedAt: null, active: true, secretKeyEnc: a.secretKeyEnc, workflowId: a.workflowId });
    expect(workflowIds()).toContain(a.workflowId);
    // The page then shows B's sandbox disconnected, with no webhook URL to give Checkout.com.
    const page = await (await callAction(loader, staffRequest(B, "/app/settings", OWNER))).json();
    expect(page.connections.sandbox).toMatchObject({ disconnectedAt: expect.any(String), secretKeyLast4: "" });
    expect(page.webhookUrl).toBeNull();
  });

  it("answers a German admin in German; once disconnected, again is 404; a missing environment is 400", async () => {
    const done = await post(A, GERMAN_ADMIN, { intent: "disconnect", environment: "sandbox" });
    expect(done.status).toBe(200);
    expect((await done.json()).message).toMatch(/^Sandbox getrennt/);
    const again = await post(A, GERMAN_ADMIN, { intent: "disconnect", environment: "sandbox" });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ ok: false, message: "Sandbox ist nicht verbunden." });
    expect((await post(A, OWNER, { intent: "disconnect" })).status).toBe(400);
  });
});
