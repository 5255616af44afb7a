// Workflows made through the API deliver the events their conditions meet, signed with their own key.
import { afterEach, describe, expect, it } from "vitest";
import { signBody } from "../../fixtures/checkout-events";
import { createCheckoutStandIn, type CheckoutStandIn } from "./server";
import { ABC_TEST_KEY, abcAccount, call, nasAccount, OTHER_NAS_KEY, otherNasAccount, startReceiver } from "./testing";

let standIn: CheckoutStandIn | undefined;
const receivers: Array<Awaited<ReturnType<typeof startReceiver>>> = [];

afterEach(async () => {
  await standIn?.stop();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  standIn = undefined;
});

async function setUp(accounts = [nasAccount(), otherNasAccount({ workflowsScope: false }), abcAccount()]) {
  standIn = await createCheckoutStandIn({ accounts, actionLatencyMs: 1, webhooks: { delayMs: 0, retryDelaysMs: [], timeoutMs: 500 } });
  return standIn;
}

async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const KEY = "workflow-signing-key-0123456789abcdef";

function workflow(url: string, types: string[], extra: Record<string, unknown> = {}) {
  return {
    name: "Shopify companion",
    conditions: [{ type: "event", events: { gateway: types } }, ...((extra.conditions as unknown[]) ?? [])],
    actions: [{ type: "webhook", url, headers: { Authorization: "hook-auth" }, signature: { method: "HMACSHA256", key: KEY } }],
    ...(extra.active === undefined ? {} : { active: extra.active }),
  };
}

describe("workflow webhooks", () => {
  it("deliver the event types the workflow names, signed with its key and with its headers", async () => {
    const standIn = await setUp();
    const hook = await receiver();
    const created = await call(standIn, "POST", "/workflows", { body: workflow(hook.url, ["payment_approved"]) });
    expect(created.status).toBe(201);

    standIn.scenarios.play("captured", { account: "shop_a" });
    await standIn.webhooks.idle();

    expect(hook.events().map((e) => e.type)).toEqual(["payment_approved"]);
    const [delivery] = hook.received;
    expect(delivery.headers["cko-signature"]).toBe(signBody(delivery.body, KEY));
    expect(delivery.headers.authorization).toBe("hook-auth");
  });

  it("deliver nothing once the workflow is inactive or deleted", async () => {
    const standIn = await setUp();
    const paused = await receiver();
    const deleted = await receiver();
    await call(standIn, "POST", "/workflows", { body: workflow(paused.url, ["payment_approved"], { active: false }) });
    const id = (await call(standIn, "POST", "/workflows", { body: workflow(deleted.url, ["payment_approved"]) })).body.id;
    expect((await call(standIn, "DELETE", `/workflows/${id}`)).status).toBe(204);

    standIn.scenarios.play("approved", { account: "shop_a" });
    await standIn.webhooks.idle();
    expect(paused.received).toEqual([]);
    expect(deleted.received).toEqual([]);
  });

  it("follow a processing-channel condition", async () => {
    const standIn = await setUp();
    const hook = await receiver();
    const conditions = [{ type: "processing_channel", processing_channels: ["pc_axclravnqf5u5ejkweijnp5zc4"] }];
    await call(standIn, "POST", "/workflows", { body: workflow(hook.url, ["payment_approved"], { conditions }) });
    standIn.scenarios.play("approved", { account: "shop_a" });
    await standIn.webhooks.idle();
    expect(hook.received).toEqual([]);
  });

  it("change with PATCH: new event types and a new key apply to the next event", async () => {
    const standIn = await setUp();
    const hook = await receiver();
    const id = (await call(standIn, "POST", "/workflows", { body: workflow(hook.url, ["payment_approved"]) })).body.id;
    const patched = await call(standIn, "PATCH", `/workflows/${id}`, {
      body: {
        conditions: [{ type: "event", events: { gateway: ["payment_captured"] } }],
        actions: [{ type: "webhook", url: hook.url, signature: { key: "rotated-key-0123456789abcdef" } }],
      },
    });
    expect(patched.status).toBe(200);
    standIn.scenarios.play("captured", { account: "shop_a" });
    await standIn.webhooks.idle();
    expect(hook.events().map((e) => e.type)).toEqual(["payment_captured"]);
    expect(hook.received[0].headers["cko-signature"]).toBe(signBody(hook.received[0].body, "rotated-key-0123456789abcdef"));
  });

  it("a test sends sample events of the asked types to that workflow only", async () => {
    const standIn = await setUp();
    const tested = await receiver();
    const other = await receiver();
    const id = (await call(standIn, "POST", "/workflows", { body: workflow(tested.url, ["payment_approved"]) })).body.id;
    await call(standIn, "POST", "/workflows", { body: workflow(other.url, ["payment_approved"]) });

    const answer = await call(standIn, "POST", `/workflows/${id}/test`, { body: { event_types: ["payment_approved"] } });
    expect(answer.status).toBe(204);
    await standIn.webhooks.idle();
    expect(tested.events().map((e) => e.type)).toEqual(["payment_approved"]);
    expect(tested.received[0].headers["cko-signature"]).toBe(signBody(tested.received[0].body, KEY));
    expect(other.received).toEqual([]);
  });
});

describe("who may manage workflows", () => {
  it("another account's workflow is not found", async () => {
    const standIn = await setUp([nasAccount(), otherNasAccount()]);
    const hook = await receiver();
    const id = (await call(standIn, "POST", "/workflows", { body: workflow(hook.url, ["payment_approved"]) })).body.id;
    expect((await call(standIn, "GET", `/workflows/${id}`, { key: OTHER_NAS_KEY })).status).toBe(404);
    expect((await call(standIn, "DELETE", `/workflows/${id}`, { key: OTHER_NAS_KEY })).status).toBe(404);
    expect((await call(standIn, "GET", "/workflows", { key: OTHER_NAS_KEY })).body.data).toEqual([]);
  });

  it("a key without the flow:workflows scope gets 401; ABC accounts have no workflows (404)", async () => {
    const standIn = await setUp();
    expect((await call(standIn, "GET", "/workflows", { key: OTHER_NAS_KEY })).status).toBe(401);
    expect((await call(standIn, "GET", "/disputes", { key: OTHER_NAS_KEY })).status).toBe(200);
    expect((await call(standIn, "GET", "/workflows", { key: ABC_TEST_KEY })).status).toBe(404);
  });
});
