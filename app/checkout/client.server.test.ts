import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCheckoutClient } from "./client.server";
import { CheckoutError } from "./errors";
import { NAS_SANDBOX_KEY } from "../../test/helpers/factories";

// A scripted HTTP server: each test queues the answers Checkout.com would give.
type Answer = { status: number; body?: unknown };
let queue: Answer[] = [];
let requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const answer = queue.shift() ?? { status: 500, body: {} };
      res.writeHead(answer.status, { "Content-Type": "application/json" });
      res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  queue = [];
  requests = [];
});

const noWait = async () => {};
const client = () =>
  createCheckoutClient(
    { accountType: "NAS", environment: "sandbox", secretKey: NAS_SANDBOX_KEY, subdomain: "abcd1234" },
    { baseUrl, wait: noWait, retry: { retries: 3, baseMs: 1, maxMs: 2 } },
  );

const payment = { id: "pay_abc", status: "Captured", amount: 1000, currency: "EUR", risk: { flagged: false, score: 12 } };

describe("Checkout.com client", () => {
  it("sends the secret key as a bearer token and parses the payment", async () => {
    queue.push({ status: 200, body: payment });
    const result = await client().getPayment("pay_abc");
    expect(result.risk?.score).toBe(12);
    expect(requests[0].url).toBe("/payments/pay_abc");
    expect(requests[0].headers.authorization).toBe(`Bearer ${NAS_SANDBOX_KEY}`);
  });

  it.each([
    [401, "authentication"],
    [403, "authentication"],
    [404, "not_found"],
    [422, "validation"],
    [409, "conflict"],
  ] as const)("maps %i to %s, retrying only a conflict (an in-flight duplicate)", async (status, kind) => {
    const answer = { status, body: { request_id: "req_1", error_type: "x", error_codes: ["amount_invalid"] } };
    queue.push(answer, answer, answer, answer);
    const error = await client()
      .getPayment("pay_abc")
      .catch((e) => e);
    expect(error).toBeInstanceOf(CheckoutError);
    expect(error.kind).toBe(kind);
    if (kind === "validation") expect(error.codes).toEqual(["amount_invalid"]);
    expect(requests.length).toBe(kind === "conflict" ? 4 : 1);
  });

  it("retries reads on 429 and 5xx, then succeeds", async () => {
    queue.push({ status: 429, body: {} }, { status: 503, body: {} }, { status: 200, body: payment });
    await expect(client().getPayment("pay_abc")).resolves.toMatchObject({ id: "pay_abc" });
    expect(requests).toHaveLength(3);
  });

  it("gives up after the retry budget and reports the service as unavailable", async () => {
    queue.push(...Array.from({ length: 5 }, () => ({ status: 500, body: {} })));
    const error = await client()
      .getPayment("pay_abc")
      .catch((e) => e);
    expect(error.kind).toBe("unavailable");
    expect(requests).toHaveLength(4);
  });

  it("retries a refund with the same idempotency key", async () => {
    queue.push({ status: 502 }, { status: 202, body: { action_id: "act_1", reference: "r" } });
    const result = await client().refund("pay_abc", { amount: 500 }, "refund-key-1");
    expect(result.action_id).toBe("act_1");
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => r.headers["cko-idempotency-key"])).toEqual(["refund-key-1", "refund-key-1"]);
    expect(JSON.parse(requests[0].body)).toEqual({ amount: 500 });
  });

  it("does not retry a write without an idempotency key", async () => {
    queue.push({ status: 503 }, { status: 200, body: { id: "file_1" } });
    const error = await client()
      .uploadFile({ filename: "invoice.pdf", data: new Uint8Array([37, 80, 68, 70]) })
      .catch((e) => e);
    expect(error.kind).toBe("unavailable");
    expect(requests).toHaveLength(1);
    expect(requests[0].headers["content-type"]).toMatch(/^multipart\/form-data/);
    expect(requests[0].body).toContain('filename="invoice.pdf"');
  });

  it("treats an unexpected response shape as an error", async () => {
    queue.push({ status: 200, body: { id: "pay_abc" } });
    await expect(client().getPayment("pay_abc")).rejects.toThrow(/unexpected payment/);
  });

  it("reports a network failure without a status", async () => {
    const offline = createCheckoutClient(
      { accountType: "ABC", environment: "sandbox", secretKey: "sk_test_0b7d6b5e-2f41-4c43-9d1e-6a5bd2c1e0f9" },
      { baseUrl: "http://127.0.0.1:1", wait: noWait, retry: { retries: 1, baseMs: 1, maxMs: 1 } },
    );
    const error = await offline.getPayment("pay_abc").catch((e) => e);
    expect(error.kind).toBe("unavailable");
    expect(error.status).toBeUndefined();
  });
});
