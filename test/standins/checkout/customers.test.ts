// The stand-in's customers behave as Checkout.com's do (one customer per email in an account, PATCH
// replacing what it names, DELETE, accounts apart, idempotent creation), and the app's client reaches
// them through checkout-sdk-node: reads by id and by email, creation with an idempotency key, PATCH
// (over the SDK's axios client), and the error kinds. The shapes are checked against the spec in
// conformance.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCheckoutClient } from "../../../app/checkout/client.server";
import { CheckoutError } from "../../../app/checkout/errors";
import { createCheckoutStandIn, type CheckoutStandIn } from "./server";
import { call, NAS_SANDBOX_KEY, nasAccount, OTHER_NAS_KEY, otherNasAccount } from "./testing";

let standIn: CheckoutStandIn;

beforeAll(async () => {
  standIn = await createCheckoutStandIn({ accounts: [nasAccount(), otherNasAccount()], actionLatencyMs: 1 });
});
afterAll(() => standIn.stop());
beforeEach(() => standIn.faults.clear());

let seq = 0;
const newEmail = () => `buyer-${++seq}-${Date.now()}@example.com`;
const noWait = async () => {};
const client = (secretKey = NAS_SANDBOX_KEY) =>
  createCheckoutClient(
    { accountType: "NAS", environment: "sandbox", secretKey, subdomain: "abcd1234" },
    { baseUrl: standIn.url, retry: { retries: 3, baseMs: 1, maxMs: 2 }, wait: noWait },
  );
const requestsTo = (method: string, pattern: RegExp) => standIn.requests.filter((r) => r.method === method && pattern.test(r.path));

describe("the stand-in's customers", () => {
  it("refuses a second customer with the same email in an account, whatever its case, and frees it on delete", async () => {
    const email = newEmail();
    const first = await call(standIn, "POST", "/customers", { body: { email } });
    expect(first.status).toBe(201);
    const again = await call(standIn, "POST", "/customers", { body: { email: email.toUpperCase() } });
    expect(again.status).toBe(422);
    expect(again.body.error_codes).toEqual(["customer_email_already_exists"]);
    const other = await call(standIn, "POST", "/customers", { body: { email: newEmail() } });
    const taking = await call(standIn, "PATCH", `/customers/${other.body.id}`, { body: { email } });
    expect(taking.body.error_codes).toEqual(["customer_email_already_exists"]);

    expect((await call(standIn, "DELETE", `/customers/${first.body.id}`)).status).toBe(204);
    expect((await call(standIn, "GET", `/customers/${email}`)).status).toBe(404);
    expect((await call(standIn, "POST", "/customers", { body: { email } })).status).toBe(201);
  });

  it("names the missing email and each wrong field", async () => {
    expect((await call(standIn, "POST", "/customers", { body: { name: "No Email" } })).body.error_codes).toEqual(["email_required"]);
    const wrong = await call(standIn, "POST", "/customers", { body: { email: newEmail(), name: 7, colour: "red" } });
    expect(wrong.body.error_codes.sort()).toEqual(["colour_invalid", "name_invalid"]);
    expect((await call(standIn, "POST", "/customers", { rawBody: "{", headers: { "Content-Type": "application/json" } })).body.error_codes).toEqual([
      "request_json_invalid",
    ]);
  });

  it("PATCH replaces the fields it names, metadata as a whole, and keeps the others", async () => {
    const email = newEmail();
    const { id } = (
      await call(standIn, "POST", "/customers", {
        body: { email, name: "Ada", phone: { country_code: "+44", number: "2079460958" }, metadata: { tier: "gold", visits: 3 } },
      })
    ).body;
    expect((await call(standIn, "PATCH", `/customers/${id}`, { body: { name: "Ada Lovelace", metadata: { tier: "silver" } } })).status).toBe(204);
    expect((await call(standIn, "GET", `/customers/${id}`)).body).toEqual({
      id,
      email,
      name: "Ada Lovelace",
      phone: { country_code: "+44", number: "2079460958" },
      metadata: { tier: "silver" },
      instruments: [],
    });
  });

  it("keeps accounts apart: another account neither finds, changes nor deletes a customer, and may use the same email", async () => {
    const email = newEmail();
    const { id } = (await call(standIn, "POST", "/customers", { body: { email, name: "Mine" } })).body;
    for (const [method, path] of [
      ["GET", `/customers/${id}`],
      ["GET", `/customers/${email}`],
      ["PATCH", `/customers/${id}`],
      ["DELETE", `/customers/${id}`],
    ]) {
      expect((await call(standIn, method, path, { key: OTHER_NAS_KEY, body: method === "PATCH" ? { name: "Theirs" } : undefined })).status).toBe(404);
    }
    expect((await call(standIn, "POST", "/customers", { key: OTHER_NAS_KEY, body: { email, name: "Theirs" } })).status).toBe(201);
    expect((await call(standIn, "GET", `/customers/${email}`)).body).toMatchObject({ id, name: "Mine" });
    expect(standIn.state.customers.list("shop_b").filter((c) => c.email === email)).toHaveLength(1);
  });

  it("answers a repeated POST with the same idempotency key with the first customer, making one", async () => {
    const email = newEmail();
    const send = () => call(standIn, "POST", "/customers", { body: { email }, idempotencyKey: `create-${email}` });
    const [a, b] = [await send(), await send()];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).toBe(a.body.id);
    expect(standIn.state.customers.list("shop_a").filter((c) => c.email === email)).toHaveLength(1);
  });
});

describe("the app's client and the stand-in's customers", () => {
  it("creates with the idempotency key, reads by id and by email, and updates over PATCH", async () => {
    const email = `o'brien+shop-${++seq}@example.com`;
    const created = await client().createCustomer({ email, name: "Pat O'Brien", metadata: { source: "agent", orders: 2 } }, "cus-key-1");
    expect(created.id).toMatch(/^cus_/);
    expect(requestsTo("POST", /^\/customers$/).at(-1)).toMatchObject({ idempotencyKey: "cus-key-1", status: 201 });

    const byEmail = await client().getCustomer(email);
    expect(byEmail).toMatchObject({ id: created.id, email, name: "Pat O'Brien", metadata: { source: "agent", orders: 2 } });
    expect(requestsTo("GET", /^\/customers\//).at(-1)?.path).toBe(`/customers/${encodeURIComponent(email).replace("%40", "@")}`);

    await client().updateCustomer(created.id, { phone: { country_code: "+353", number: "18551234" }, metadata: { source: "agent" } });
    expect(requestsTo("PATCH", /^\/customers\//).at(-1)).toMatchObject({ path: `/customers/${created.id}`, status: 204 });
    expect(await client().getCustomer(created.id)).toMatchObject({
      name: "Pat O'Brien",
      phone: { country_code: "+353", number: "18551234" },
      metadata: { source: "agent" },
    });
  });

  it("maps a missing customer to not_found and a refused body to validation with Checkout.com's codes", async () => {
    await expect(client().getCustomer(newEmail())).rejects.toMatchObject({ kind: "not_found", status: 404 });
    await expect(client().updateCustomer("cus_aaaaaaaaaaaaaaaaaaaaaaaaaa", { name: "x" })).rejects.toMatchObject({ kind: "not_found" });
    const { id } = await client().createCustomer({ email: newEmail() });
    await expect(client(OTHER_NAS_KEY).getCustomer(id)).rejects.toMatchObject({ kind: "not_found" });
    const refused = await client()
      .updateCustomer(id, { phone: { country_code: "+1", number: "1" } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CheckoutError);
    expect(refused).toMatchObject({ kind: "validation", codes: ["phone_invalid"] });
  });

  it("retries a creation whose answer was lost only with its key, and the key makes one customer", async () => {
    const email = newEmail();
    standIn.faults.set({ status: 502, count: 1, paths: /^\/customers$/, methods: ["POST"], when: "after" });
    const { id } = await client().createCustomer({ email }, `lost-${email}`);
    expect(
      requestsTo("POST", /^\/customers$/)
        .slice(-2)
        .map((r) => r.status),
    ).toEqual([502, 201]);
    expect(
      standIn.state.customers
        .list("shop_a")
        .filter((c) => c.email === email)
        .map((c) => c.id),
    ).toEqual([id]);

    const unkeyed = newEmail();
    standIn.faults.set({ status: 502, count: 1, paths: /^\/customers$/, methods: ["POST"], when: "after" });
    await expect(client().createCustomer({ email: unkeyed })).rejects.toMatchObject({ kind: "unavailable" });
    expect(requestsTo("POST", /^\/customers$/).at(-1)?.status).toBe(502);
    expect(standIn.state.customers.list("shop_a").filter((c) => c.email === unkeyed)).toHaveLength(1);
  });

  it("retries reads and updates on 503", async () => {
    const { id } = await client().createCustomer({ email: newEmail() });
    standIn.faults.set({ status: 503, count: 1, paths: /^\/customers\// });
    expect((await client().getCustomer(id)).id).toBe(id);
    standIn.faults.set({ status: 503, count: 1, paths: /^\/customers\//, methods: ["PATCH"] });
    await client().updateCustomer(id, { name: "Retried" });
    expect((await client().getCustomer(id)).name).toBe("Retried");
  });
});
