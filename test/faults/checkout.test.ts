// Checkout.com misbehaves on money: refunds and voids asked from Zendesk tickets (the real HTTP API of
// the production server, with signed tokens) are answered 429 or 500 without acting, or act and then
// answer 503 (the refund happened, the answer was lost). Agents double-click and click again when told
// to. Every request for one action must carry the same idempotency key, each payment is refunded or
// voided exactly once at Checkout.com, and the app's records end settled by Checkout.com's webhooks.
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "../../app/db.server";
import { connectZendesk, zendeskToken, type ZendeskSetup } from "../helpers/zendesk";
import { startWorld, type World } from "./world";

let world: World;
let zendesk: ZendeskSetup;
beforeAll(async () => {
  world = await startWorld({ checkout: true });
  await world.startApp();
  zendesk = await connectZendesk(world.shop.id, { allowRefunds: true, allowVoids: true });
});
afterAll(() => world?.close());

const MONEY_ACTION = /^\/payments\/[^/]+\/(refunds|voids)$/;
const REFUND = 4_000;

interface Click {
  status: number;
  code?: string;
}

/** One click in the sidebar: the request Zendesk's proxy forwards to the app. */
async function click(ticketId: number, paymentId: string, kind: "refund" | "void"): Promise<Click> {
  const body = kind === "refund" ? { ticketId, amount: REFUND, currency: "USD", reason: "Arrived damaged" } : { ticketId };
  const response = await fetch(`${world.appUrl}/api/zendesk/payments/${paymentId}/${kind}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${await zendeskToken(zendesk, { ticketId })}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, code: answer.error?.code };
}

/** An agent: double-clicks, then clicks again while the sidebar says "try again" (502). */
async function agent(ticketId: number, paymentId: string, kind: "refund" | "void"): Promise<Click[]> {
  const clicks = await Promise.all([click(ticketId, paymentId, kind), click(ticketId, paymentId, kind)]);
  while (!clicks.some((c) => c.status < 300) && clicks.length < 20) {
    await new Promise((r) => setTimeout(r, 200));
    clicks.push(await click(ticketId, paymentId, kind));
  }
  return clicks;
}

it("refunds and voids exactly once through 429, 500 and lost answers, always with the same idempotency key", async () => {
  const checkout = world.checkout!;
  const play = async (scenario: "captured" | "approved") => {
    const order = world.createOrder();
    return (await checkout.scenarios.play(scenario, { account: "shop_a", payment: { amount: 9400, currency: "USD", reference: order.name } })).payment.fixture
      .id;
  };
  const toRefund = await Promise.all(Array.from({ length: 10 }, () => play("captured")));
  const toVoid = await Promise.all(Array.from({ length: 6 }, () => play("approved")));
  await checkout.webhooks.idle();
  await world.waitUntilSettled();

  checkout.faults.set([
    { status: 503, rate: 0.5, paths: MONEY_ACTION, when: "after" },
    { status: 429, rate: 0.25, paths: MONEY_ACTION },
    { status: 500, rate: 0.1, paths: MONEY_ACTION },
  ]);
  const clicks = await Promise.all([...toRefund.map((id, i) => agent(100 + i, id, "refund")), ...toVoid.map((id, i) => agent(200 + i, id, "void"))]);
  checkout.faults.clear();
  await checkout.webhooks.idle();
  await world.waitUntilSettled();

  // Every agent got there; the only failures they saw were "try again" (502).
  for (const agentClicks of clicks) {
    expect(agentClicks.some((c) => c.status === 200 || c.status === 202)).toBe(true);
    expect(agentClicks.filter((c) => c.status >= 300).every((c) => c.status === 502 && c.code === "upstream_error")).toBe(true);
  }
  const requests = checkout.requests.filter((r) => r.method === "POST" && MONEY_ACTION.test(r.path));
  const lostAnswers = requests.filter((r) => r.status === 503).length;
  console.log(
    `Checkout.com faults: ${clicks.flat().length} clicks, ${requests.length} refund/void requests to Checkout.com, ` +
      `${requests.filter((r) => r.status === 429 || r.status === 500).length} refused before acting, ${lostAnswers} acted with the answer lost, ` +
      `${clicks.flat().filter((c) => c.status === 502).length} "try again" answers`,
  );
  expect(lostAnswers).toBeGreaterThan(0);
  expect(requests.length).toBeGreaterThan(toRefund.length + toVoid.length);

  for (const id of [...toRefund, ...toVoid]) {
    const keys = new Set(requests.filter((r) => r.path.startsWith(`/payments/${id}/`)).map((r) => r.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f]{48}$/);
  }
  for (const id of toRefund) {
    const payment = checkout.state.payments.get(id)!;
    expect({ id, refunded: payment.refunded, refunds: payment.actions.filter((a) => a.type === "Refund").length }).toEqual({
      id,
      refunded: REFUND,
      refunds: 1,
    });
  }
  for (const id of toVoid) {
    const payment = checkout.state.payments.get(id)!;
    expect({ id, voided: payment.voided, voids: payment.actions.filter((a) => a.type === "Void").length }).toEqual({ id, voided: 9400, voids: 1 });
  }

  // Our records: one action per payment, settled by Checkout.com's webhook, counted once.
  const actions = await db().moneyAction.findMany({ select: { kind: true, status: true } });
  expect(actions).toHaveLength(toRefund.length + toVoid.length);
  expect(actions.every((a) => a.status === "succeeded")).toBe(true);
  const refunded = await db().payment.findMany({ where: { ckoPaymentId: { in: toRefund } }, select: { refundedAmount: true, status: true } });
  expect(refunded.map((p) => p.refundedAmount)).toEqual(toRefund.map(() => REFUND));
  const voided = await db().payment.findMany({ where: { ckoPaymentId: { in: toVoid } }, select: { status: true } });
  expect(voided.map((p) => p.status)).toEqual(toVoid.map(() => "Voided"));
  for (const type of ["payment_refunded", "refund_requested"]) {
    expect(await db().paymentActivity.count({ where: { type } })).toBe(toRefund.length);
  }
});
