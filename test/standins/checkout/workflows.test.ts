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

describe("reflow", () => {
  const BOTH = ["payment_approved", "payment_captured"];

  /** A NAS account whose dashboard webhook is `dashboard`, with two workflows for both event types, and a captured payment delivered to all three. */
  async function reflowWorld() {
    const dashboard = await receiver();
    const standIn = await setUp([nasAccount({ webhookUrl: dashboard.url }), otherNasAccount({ reflowScope: false }), abcAccount()]);
    const [first, second] = [await receiver(), await receiver()];
    const ids: string[] = [];
    for (const hook of [first, second]) ids.push((await call(standIn, "POST", "/workflows", { body: workflow(hook.url, BOTH) })).body.id as string);
    const { payment } = standIn.scenarios.play("captured", { account: "shop_a" });
    await standIn.webhooks.idle();
    const eventIds = first.events().map((e) => e.id as string);
    expect(eventIds).toHaveLength(2);
    return { standIn, dashboard, first, second, workflowIds: ids, paymentId: payment.fixture.id, eventIds };
  }

  const reflow = async (standIn: CheckoutStandIn, path: string, body?: unknown, key?: string) => {
    const answer = await call(standIn, "POST", path, { body, key });
    await standIn.webhooks.idle();
    return answer;
  };

  it("sends a payment's events again, with the same ids and signed by each workflow's key, to the named workflow only", async () => {
    const { standIn, dashboard, first, second, workflowIds, paymentId, eventIds } = await reflowWorld();

    const answer = await reflow(standIn, "/workflows/events/reflow", { subjects: [paymentId], workflows: [workflowIds[0]] });

    expect(answer.status).toBe(202);
    expect(answer.text).toBe("");
    expect(first.events().map((e) => e.id)).toEqual([...eventIds, ...eventIds]);
    expect(first.received[3].body).toBe(first.received[1].body);
    expect(first.received[3].headers["cko-signature"]).toBe(signBody(first.received[3].body, KEY));
    expect(second.received).toHaveLength(2);
    expect(dashboard.received).toHaveLength(2);
  });

  it("without workflows named, sends them to every target they meet, the dashboard webhook included", async () => {
    const { standIn, dashboard, first, second, paymentId } = await reflowWorld();
    expect((await reflow(standIn, "/workflows/events/reflow", { subjects: [paymentId] })).status).toBe(202);
    for (const hook of [dashboard, first, second]) expect(hook.received).toHaveLength(4);
  });

  it("a payment's subject includes the disputes on it; a workflow named whose conditions an event does not meet, or that does not exist, gets nothing", async () => {
    const { standIn, first, second, workflowIds, paymentId } = await reflowWorld();
    standIn.scenarios.play("dispute", { account: "shop_a", paymentId });
    const disputes = await receiver();
    const disputeWorkflow = await call(standIn, "POST", "/workflows", {
      body: { ...workflow(disputes.url, BOTH), conditions: [{ type: "event", events: { dispute: ["dispute_received", "dispute_evidence_required"] } }] },
    });
    await standIn.webhooks.idle();

    const answer = await reflow(standIn, "/workflows/events/reflow", {
      subjects: [paymentId],
      workflows: [workflowIds[1], disputeWorkflow.body.id, "wf_aaaaaaaaaaaaaaaaaaaaaaaaaa"],
    });

    expect(answer.status).toBe(202);
    expect(disputes.events().map((e) => e.type)).toEqual(["dispute_received", "dispute_evidence_required"]);
    expect(second.events().map((e) => e.type)).toEqual([...BOTH, ...BOTH]);
    expect(first.received).toHaveLength(2);
  });

  it("by event id, and through the path forms (subject, event, each with a workflow)", async () => {
    const { standIn, first, second, workflowIds, paymentId, eventIds } = await reflowWorld();
    expect((await reflow(standIn, "/workflows/events/reflow", { events: [eventIds[1]], workflows: [workflowIds[0]] })).status).toBe(202);
    expect(first.events().map((e) => e.id)).toEqual([...eventIds, eventIds[1]]);

    expect((await reflow(standIn, `/workflows/events/${eventIds[0]}/workflow/${workflowIds[1]}/reflow`)).status).toBe(202);
    expect(second.events().map((e) => e.id)).toEqual([...eventIds, eventIds[0]]);

    expect((await reflow(standIn, `/workflows/events/subject/${paymentId}/workflow/${workflowIds[0]}/reflow`)).status).toBe(202);
    expect(first.received).toHaveLength(5);
    expect(second.received).toHaveLength(3);

    expect((await reflow(standIn, `/workflows/events/${eventIds[0]}/reflow`)).status).toBe(202);
    expect((await reflow(standIn, `/workflows/events/subject/${paymentId}/reflow`)).status).toBe(202);
    expect(first.received).toHaveLength(8);
    expect(second.received).toHaveLength(6);
  });

  it("refuses: 404 when no event is kept for the ids (another account's included), 422 for malformed ids or bodies", async () => {
    const { standIn, first, workflowIds, paymentId } = await reflowWorld();
    const unknown = "pay_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    expect((await reflow(standIn, "/workflows/events/reflow", { subjects: [unknown] })).status).toBe(404);
    expect((await reflow(standIn, "/workflows/events/reflow", { subjects: [] })).status).toBe(404);
    expect((await reflow(standIn, `/workflows/events/subject/${unknown}/reflow`)).status).toBe(404);
    expect((await reflow(standIn, "/workflows/events/subject/not-an-id/reflow")).status).toBe(404);
    expect((await reflow(standIn, `/workflows/events/subject/${paymentId}/workflow/wf_aaaaaaaaaaaaaaaaaaaaaaaaaa/reflow`)).status).toBe(404);
    expect((await reflow(standIn, "/workflows/events/reflow", { subjects: [paymentId] }, OTHER_NAS_KEY)).status).toBe(401);

    const codes = async (body: unknown) => {
      const answer = await reflow(standIn, "/workflows/events/reflow", body);
      expect(answer.status).toBe(422);
      return answer.body.error_codes as string[];
    };
    expect(await codes({ subjects: ["pay-123"] })).toEqual(["subject_ids_invalid"]);
    expect(await codes({ events: ["pay_aaaaaaaaaaaaaaaaaaaaaaaaaa"], workflows: ["workflow_1"] })).toEqual(["event_ids_invalid", "workflow_ids_invalid"]);
    expect(await codes({ subjects: [paymentId], events: [] })).toEqual(["request_invalid"]);
    expect(await codes({ workflows: [workflowIds[0]] })).toEqual(["request_invalid"]);
    expect(await codes({ subjects: [paymentId], reason: "outage" })).toEqual(["reason_invalid"]);
    expect(first.received).toHaveLength(2);
  });

  it("needs the flow:reflow scope (401), not flow:workflows; ABC accounts have none (404)", async () => {
    const standIn = await setUp([nasAccount({ workflowsScope: false }), otherNasAccount({ reflowScope: false }), abcAccount()]);
    const { payment } = standIn.scenarios.play("approved", { account: "shop_a" });
    await standIn.webhooks.idle();
    expect((await reflow(standIn, "/workflows/events/reflow", { subjects: [payment.fixture.id] })).status).toBe(202);
    expect((await reflow(standIn, "/workflows/events/reflow", { subjects: [payment.fixture.id] }, OTHER_NAS_KEY)).status).toBe(401);
    expect((await reflow(standIn, "/workflows/events/reflow", { subjects: [payment.fixture.id] }, ABC_TEST_KEY)).status).toBe(404);
  });
});
