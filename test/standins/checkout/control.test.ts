// The /_standin/ control routes and the stand-alone process (main.ts), as the demo drives them.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signBody } from "../../fixtures/checkout-events";
import { createCheckoutStandIn, type CheckoutStandIn } from "./server";
import { call, NAS_SANDBOX_KEY, nasAccount, SIGNATURE_KEY, startReceiver } from "./testing";

let standIn: CheckoutStandIn | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  children.splice(0).forEach((child) => child.exitCode === null && child.kill("SIGKILL"));
  await standIn?.stop();
  await receiver?.close();
  standIn = receiver = undefined;
});

const runMain = (config: string) => {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "main.ts"), config], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return child;
};

const control = async (base: string, method: string, route: string, body?: unknown) => {
  const response = await fetch(`${base}/_standin/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
};

describe("control routes", () => {
  it("create payments and disputes the API then shows, and refuse malformed input", async () => {
    standIn = await createCheckoutStandIn({ accounts: [nasAccount()] });
    const payment = await control(standIn.url, "POST", "payments", { amount: 12_500, currency: "JPY", shippingCountry: "JP", capture: true });
    expect(payment.status).toBe(201);
    expect((await call(standIn, "GET", `/payments/${payment.body.id}`)).body).toMatchObject({ amount: 12_500, currency: "JPY", status: "Captured" });
    const dispute = await control(standIn.url, "POST", "disputes", { paymentId: payment.body.id, category: "not_as_described" });
    expect(dispute.body).toMatchObject({ status: "evidence_required", amount: 12_500, currency: "JPY", payment: { id: payment.body.id } });
    expect((await control(standIn.url, "POST", "payments", { amount: "lots" })).status).toBe(400);
    expect((await control(standIn.url, "POST", "payments", { account: "nobody" })).status).toBe(422);
    expect((await control(standIn.url, "POST", "scenarios/unknown", {})).status).toBe(404);
  });

  it("play scenarios, list deliveries, set and clear faults; a browser page may call them", async () => {
    receiver = await startReceiver();
    standIn = await createCheckoutStandIn({ accounts: [nasAccount({ webhookUrl: receiver.url })], webhooks: { delayMs: 0 } });
    const played = await control(standIn.url, "POST", "scenarios/approved_flagged", { payment: { amount: 777 } });
    expect(played.status).toBe(201);
    expect(played.headers.get("access-control-allow-origin")).toBe("*");
    await standIn.webhooks.idle();
    expect(receiver.events()).toMatchObject([{ type: "payment_approved", data: { id: played.body.payment_id, amount: 777, risk: { flagged: true } } }]);
    expect(receiver.received[0].headers["cko-signature"]).toBe(signBody(receiver.received[0].body, SIGNATURE_KEY));
    expect((await control(standIn.url, "GET", "deliveries")).body).toMatchObject([{ eventId: played.body.event_ids[0], state: "delivered" }]);

    expect((await control(standIn.url, "PUT", "faults", [{ status: 503, paths: "^/disputes" }])).status).toBe(204);
    expect((await call(standIn, "GET", "/disputes")).status).toBe(503);
    expect((await control(standIn.url, "PUT", "faults", [{ status: 503, paths: "(" }])).status).toBe(422);
    expect((await control(standIn.url, "DELETE", "faults")).status).toBe(204);
    expect((await call(standIn, "GET", "/disputes")).status).toBe(200);
    const preflight = await fetch(`${standIn.url}/_standin/scenarios/approved`, { method: "OPTIONS" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
  });
});

describe("main.ts", () => {
  it("starts from JSON configuration, prints its URL, answers the API and stops on SIGTERM", async () => {
    const config = JSON.stringify({ accounts: [{ id: "demo", secretKey: NAS_SANDBOX_KEY, accountType: "NAS", signatureKey: SIGNATURE_KEY }] });
    const child = runMain(config);
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk;
        const match = /^Checkout\.com stand-in: (http:\/\/\S+)$/m.exec(out);
        if (match) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    const payment = await control(url, "POST", "payments", { amount: 100 });
    const read = await fetch(`${url}/payments/${payment.body.id}`, { headers: { Authorization: `Bearer ${NAS_SANDBOX_KEY}` } });
    expect(read.status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });

  it("refuses a malformed configuration with a message", async () => {
    const child = runMain('{"accounts":[]}');
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/Invalid stand-in configuration: accounts/);
  });
});
