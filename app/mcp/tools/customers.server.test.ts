// The customer tools through the SDK's own client, against the Checkout.com stand-in (each shop's
// connection holds one of its accounts): the customer and this shop's history for the email, the
// other shop's data never counted, create then update then unchanged, dry runs, retries that make one
// customer, and the "customers" scope.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { useCheckoutStandIn } from "../../../test/helpers/checkout-standin";
import { createConnectedShop, createOrderPayment } from "../../../test/helpers/factories";
import { agentToken, callTool, mcpClient } from "../../../test/helpers/mcp";
import { call, nasAccount, OTHER_NAS_KEY, otherNasAccount } from "../../../test/standins/checkout/testing";
import { db } from "../../db.server";
import type { AgentScope } from "../scopes";

const standIn = useCheckoutStandIn({ accounts: [nasAccount(), otherNasAccount()], actionLatencyMs: 1 });

const uniqueEmail = (name: string) => `${name}.${randomUUID().slice(0, 8)}@example.com`;

/** A shop on the stand-in's first account ("shop_a"), or on the second with `other`. */
async function shopWithAgent(options: { other?: boolean; scopes?: AgentScope[] } = {}) {
  const { shop } = await createConnectedShop(undefined, options.other ? { secretKey: OTHER_NAS_KEY } : {});
  const { token } = await agentToken(shop.id, { name: "Support bot", scopes: options.scopes });
  return { shop, client: await mcpClient(token) };
}

let minute = 0;
/** A payment of `email` in the shop, each a minute later than the last. */
const pay = (shopId: string, email: string, payment: Partial<Prisma.PaymentUncheckedCreateInput> = {}) =>
  createOrderPayment(shopId, {
    payment: { customerEmail: email, createdAt: new Date(Date.UTC(2026, 0, 1, 12, ++minute)), processedOn: null, ...payment },
  }).then((p) => p.payment);

const customersOf = (email: string, account = "shop_a") =>
  standIn()
    .state.customers.list(account)
    .filter((c) => c.email === email);
const customerRequests = () => standIn().requests.filter((r) => r.path.startsWith("/customers"));

describe("get_customer", () => {
  it("gives the Checkout.com customer and this shop's history for the email, counting nothing of another shop", async () => {
    const { shop, client } = await shopWithAgent();
    const email = uniqueEmail("ada");
    const created = await call(standIn(), "POST", "/customers", {
      body: { email, name: "Ada Lovelace", phone: { country_code: "+44", number: "2079460958" }, metadata: { tier: "gold" } },
    });

    const captured = await pay(shop.id, email, { currency: "EUR", amount: 5000, capturedAmount: 5000, refundedAmount: 1500, status: "Partially Refunded" });
    const disputedLater = await pay(shop.id, email, { currency: "EUR", amount: 2000, capturedAmount: 2000, status: "Captured" });
    const usd = await pay(shop.id, email, { currency: "USD", amount: 12_345, capturedAmount: 12_345, status: "Captured" });
    await pay(shop.id, email, { currency: "USD", amount: 999, status: "Declined", declineClass: "hard" });
    const held = await pay(shop.id, email, { currency: "USD", amount: 4000, status: "Authorized" });
    const released = await pay(shop.id, email, { currency: "USD", amount: 4100, status: "Authorized" });
    const canceled = await pay(shop.id, email, { currency: "USD", amount: 4200, status: "Voided" });
    // Someone else in this shop, and the same email in another shop: neither counts.
    const stranger = await pay(shop.id, uniqueEmail("grace"), { currency: "EUR", amount: 7000, capturedAmount: 7000, status: "Captured" });
    const { shop: otherShop } = await createConnectedShop();
    const elsewhere = await pay(otherShop.id, email, { currency: "EUR", amount: 8000, capturedAmount: 8000, status: "Captured" });

    const dispute = (shopId: string, status: string, link: { paymentId?: string; ckoPaymentId?: string }) =>
      db().dispute.create({ data: { shopId, ckoDisputeId: `dsp_${randomUUID().slice(0, 20)}`, amount: 100, currency: "EUR", status, ...link } });
    await dispute(shop.id, "evidence_required", { paymentId: captured.id, ckoPaymentId: captured.ckoPaymentId });
    await dispute(shop.id, "won", { paymentId: usd.id });
    // Arrived before its payment was linked: found by the Checkout.com payment id.
    await dispute(shop.id, "evidence_under_review", { ckoPaymentId: disputedLater.ckoPaymentId });
    await dispute(shop.id, "evidence_required", { paymentId: stranger.id });
    await dispute(otherShop.id, "evidence_required", { paymentId: elsewhere.id });

    const hold = (shopId: string, paymentId: string, status: string) =>
      db().hold.create({ data: { shopId, paymentId, orderGid: `gid://shopify/Order/${randomUUID()}`, status, externalId: randomUUID() } });
    await hold(shop.id, held.id, "held");
    await hold(shop.id, released.id, "released");
    await hold(shop.id, canceled.id, "canceled");
    await hold(shop.id, stranger.id, "held");
    await hold(otherShop.id, elsewhere.id, "held");

    await db().listEntry.create({ data: { shopId: shop.id, list: "deny", kind: "email", value: email, note: "Chargeback abuse" } });
    await db().listEntry.create({ data: { shopId: shop.id, list: "deny", kind: "customer", value: created.body.id } });
    await db().listEntry.create({ data: { shopId: shop.id, list: "allow", kind: "email", value: email } });
    await db().listEntry.create({ data: { shopId: otherShop.id, list: "deny", kind: "email", value: email } });

    const answer = await callTool(client, "get_customer", { customer: email.toUpperCase() });
    expect(answer.isError, answer.text).toBe(false);
    const data = answer.data!;
    expect(data.email).toBe(email);
    expect(data.checkoutCustomer).toEqual({
      id: created.body.id,
      email,
      name: "Ada Lovelace",
      phone: { country_code: "+44", number: "2079460958" },
      metadata: { tier: "gold" },
    });
    expect(data.payments).toMatchObject({ count: 7, declined: 1 });
    expect(data.payments.totals).toEqual([
      {
        currency: "EUR",
        payments: 2,
        captured: expect.objectContaining({ minor: 7000, formatted: "€70.00" }),
        refunded: expect.objectContaining({ minor: 1500 }),
      },
      {
        currency: "USD",
        payments: 5,
        captured: expect.objectContaining({ minor: 12_345, formatted: "$123.45" }),
        refunded: expect.objectContaining({ minor: 0 }),
      },
    ]);
    expect(data.payments.recent.map((p: { paymentId: string }) => p.paymentId)[0]).toBe(canceled.ckoPaymentId);
    expect(data.payments.recent).toHaveLength(7);
    expect(data.payments.recent[0]).toMatchObject({ amount: { minor: 4200, currency: "USD" }, status: "Voided", orderName: expect.stringMatching(/^#/) });
    expect(data.disputes).toEqual({ count: 3, open: 2 });
    expect(data.holds).toEqual({ total: 3, held: 1, released: 1, canceled: 1 });
    expect(data.denyList.map((e: { kind: string; value: string; note: string | null }) => [e.kind, e.value, e.note]).sort()).toEqual([
      ["customer", created.body.id, null],
      ["email", email, "Chargeback abuse"],
    ]);
    expect(data.partial).toBe(false);
    expect(answer.text).toContain(`Checkout.com customer ${created.body.id} (Ada Lovelace)`);
    expect(answer.text).toContain("7 payments in this store (€70.00 captured, €15.00 refunded; $123.45 captured, $0.00 refunded), 1 declined");

    const audited = await db().auditLog.findFirstOrThrow({ where: { shopId: shop.id, action: "mcp.get_customer" } });
    expect(audited).toMatchObject({ actor: "Support bot", source: "agent", result: "ok" });
  });

  it("keeps only the ten newest payments and finds the customer by Checkout.com id", async () => {
    const { shop, client } = await shopWithAgent();
    const email = uniqueEmail("many");
    const payments = [];
    for (let i = 0; i < 12; i++) payments.push(await pay(shop.id, email, { amount: 100 + i }));
    const { id } = (await call(standIn(), "POST", "/customers", { body: { email } })).body;

    const answer = await callTool(client, "get_customer", { customer: id });
    expect(answer.isError, answer.text).toBe(false);
    expect(answer.data).toMatchObject({ email, checkoutCustomer: { id, email, name: null, phone: null, metadata: {} }, payments: { count: 12 } });
    expect(answer.data!.payments.recent.map((p: { paymentId: string }) => p.paymentId)).toEqual(
      payments
        .slice(2)
        .reverse()
        .map((p) => p.ckoPaymentId),
    );
  });

  it("answers null for a customer Checkout.com does not have, and refuses an id of another account's customer", async () => {
    const { shop, client } = await shopWithAgent();
    const email = uniqueEmail("unknown");
    await pay(shop.id, email, { status: "Declined" });
    const unknown = await callTool(client, "get_customer", { customer: email });
    expect(unknown.isError, unknown.text).toBe(false);
    expect(unknown.data).toMatchObject({ checkoutCustomer: null, payments: { count: 1, declined: 1 }, disputes: { count: 0 }, denyList: [] });
    expect(unknown.text).toContain("no Checkout.com customer");

    const theirs = (await call(standIn(), "POST", "/customers", { key: OTHER_NAS_KEY, body: { email: uniqueEmail("theirs") } })).body.id;
    const refused = await callTool(client, "get_customer", { customer: theirs });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain(`Checkout.com has no customer ${theirs}`);
  });

  it("refuses input that is neither an email nor a customer id, naming the field", async () => {
    const { client } = await shopWithAgent();
    const answer = await callTool(client, "get_customer", { customer: "Ada Lovelace" });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("customer");
  });
});

describe("create_or_update_customer", () => {
  it("creates, then updates only what differs, then changes nothing", async () => {
    const { shop, client } = await shopWithAgent();
    const email = uniqueEmail("new");
    const before = customerRequests().length;

    const created = await callTool(client, "create_or_update_customer", { email: email.toUpperCase(), name: "Grace Hopper", metadata: { tier: "gold" } });
    expect(created.isError, created.text).toBe(false);
    const id = created.data!.customer.id;
    expect(created.data).toMatchObject({
      outcome: "created",
      dryRun: false,
      changed: ["name", "metadata"],
      sent: { method: "POST", path: "/customers", body: { email, name: "Grace Hopper", metadata: { tier: "gold" } } },
      customer: { id: expect.stringMatching(/^cus_/), email, name: "Grace Hopper", phone: null, metadata: { tier: "gold" } },
    });
    expect(customersOf(email)).toHaveLength(1);
    const post = customerRequests().find((r) => r.method === "POST" && r.path === "/customers" && (r.body as { email?: string })?.email === email);
    expect(post?.idempotencyKey).toMatch(/^mcp-customer-[0-9a-f]{64}$/);

    const updated = await callTool(client, "create_or_update_customer", {
      email,
      name: "Grace Hopper",
      phone: { country_code: "+1", number: "415 555 2671" },
      metadata: { tier: "platinum" },
    });
    expect(updated.isError, updated.text).toBe(false);
    expect(updated.data).toMatchObject({
      outcome: "updated",
      changed: ["phone", "metadata"],
      sent: { method: "PATCH", path: `/customers/${id}`, body: { phone: { country_code: "+1", number: "415 555 2671" }, metadata: { tier: "platinum" } } },
      customer: { id, name: "Grace Hopper", phone: { country_code: "+1", number: "415 555 2671" }, metadata: { tier: "platinum" } },
    });
    const patch = customerRequests().find((r) => r.method === "PATCH" && r.path === `/customers/${id}`);
    expect(patch?.body).toEqual({ phone: { country_code: "+1", number: "415 555 2671" }, metadata: { tier: "platinum" } });

    const unchanged = await callTool(client, "create_or_update_customer", { email, name: "Grace Hopper", metadata: { tier: "platinum" } });
    expect(unchanged.isError, unchanged.text).toBe(false);
    expect(unchanged.data).toMatchObject({ outcome: "unchanged", changed: [], sent: null, customer: { id } });
    expect(unchanged.text).toContain("nothing was sent");

    // Three calls: GET+POST+GET, GET+PATCH+GET, GET; one customer.
    expect(
      customerRequests()
        .slice(before)
        .map((r) => r.method),
    ).toEqual(["GET", "POST", "GET", "GET", "PATCH", "GET", "GET"]);
    expect(customersOf(email)).toHaveLength(1);
    const audits = await db().auditLog.findMany({ where: { shopId: shop.id, action: "mcp.create_or_update_customer" }, orderBy: { createdAt: "asc" } });
    expect(audits.map((a) => JSON.parse(a.details ?? "{}").outcome)).toEqual(["created", "updated", "unchanged"]);
  });

  it("says in a dry run what would be sent, and sends nothing", async () => {
    const { client } = await shopWithAgent();
    const email = uniqueEmail("dry");
    const before = customerRequests().length;
    const wouldCreate = await callTool(client, "create_or_update_customer", { email, name: "Dry Run", dry_run: true });
    expect(wouldCreate.data).toMatchObject({ outcome: "created", dryRun: true, sent: { method: "POST", body: { email, name: "Dry Run" } }, customer: null });
    expect(wouldCreate.text).toContain("Nothing was sent");
    expect(customersOf(email)).toHaveLength(0);

    const { id } = (await call(standIn(), "POST", "/customers", { body: { email, name: "Dry Run" } })).body;
    const wouldUpdate = await callTool(client, "create_or_update_customer", { email, name: "Wet Run", dry_run: true });
    expect(wouldUpdate.data).toMatchObject({
      outcome: "updated",
      dryRun: true,
      sent: { method: "PATCH", path: `/customers/${id}`, body: { name: "Wet Run" } },
    });
    expect(wouldUpdate.data!.customer).toMatchObject({ id, name: "Dry Run" });
    expect(customersOf(email)[0].name).toBe("Dry Run");
    expect(
      customerRequests()
        .slice(before)
        .filter((r) => r.method !== "GET")
        .map((r) => r.method),
    ).toEqual(["POST"]); // the test's own
  });

  it("makes one customer when Checkout.com's answer to the creation is lost and the client retries", async () => {
    const { client } = await shopWithAgent();
    const email = uniqueEmail("retry");
    standIn().faults.set({ status: 502, count: 1, paths: /^\/customers$/, methods: ["POST"], when: "after" });
    const answer = await callTool(client, "create_or_update_customer", { email, name: "Lost Answer" });
    expect(answer.isError, answer.text).toBe(false);
    expect(answer.data).toMatchObject({ outcome: "created" });
    const posts = customerRequests().filter((r) => r.method === "POST" && (r.body as { email?: string })?.email === email);
    expect(posts.map((r) => r.status)).toEqual([502, 201]);
    expect(new Set(posts.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(customersOf(email).map((c) => c.id)).toEqual([answer.data!.customer.id]);
  });

  it("works in each shop's own Checkout.com account", async () => {
    const mine = await shopWithAgent();
    const theirs = await shopWithAgent({ other: true });
    const email = uniqueEmail("both");
    const a = await callTool(mine.client, "create_or_update_customer", { email, name: "In A" });
    const b = await callTool(theirs.client, "create_or_update_customer", { email, name: "In B" });
    expect([a.data?.outcome, b.data?.outcome]).toEqual(["created", "created"]);
    expect(a.data!.customer.id).not.toBe(b.data!.customer.id);
    expect(customersOf(email, "shop_a").map((c) => c.name)).toEqual(["In A"]);
    expect(customersOf(email, "shop_b").map((c) => c.name)).toEqual(["In B"]);
  });

  it("refuses a read-only token, naming the customers scope, and sends nothing", async () => {
    const { client } = await shopWithAgent({ scopes: ["read"] });
    const email = uniqueEmail("readonly");
    const before = customerRequests().length;
    const answer = await callTool(client, "create_or_update_customer", { email, name: "Nope" });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('"customers" scope');
    expect(customerRequests().length).toBe(before);
    expect(customersOf(email)).toHaveLength(0);
  });

  it("refuses more than ten metadata pairs and a malformed phone before calling Checkout.com", async () => {
    const { client } = await shopWithAgent();
    const before = customerRequests().length;
    const pairs = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    const tooMany = await callTool(client, "create_or_update_customer", { email: uniqueEmail("meta"), metadata: pairs });
    expect(tooMany.isError).toBe(true);
    expect(tooMany.text).toContain("metadata");
    const badPhone = await callTool(client, "create_or_update_customer", { email: uniqueEmail("phone"), phone: { country_code: "UK", number: "2079460958" } });
    expect(badPhone.isError).toBe(true);
    expect(badPhone.text).toContain("country_code");
    expect(customerRequests().length).toBe(before);
  });
});
