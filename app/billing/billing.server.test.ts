// A shop's plan comes from Shopify's active subscriptions (through the Billing API of the app's
// library), kept for a while so pages and jobs do not ask each time; listed shops are on the
// development plan without asking. Over the Free plan's monthly holds a risky payment is recorded as
// one the app would hold, not held; holds already decided keep working. Plan gates refuse what the
// shop's own plan lacks, with a message naming the plan that has it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { domainErrorReply } from "../lib/errors.server";
import { PlanRequiredError } from "../lib/errors";
import { reviewPayment } from "../holds/review.server";
import { submitDisputeEvidence } from "../disputes/respond.server";
import { decidedHolds, resetBillingEnv, setBillingEnv, subscribe } from "../../test/helpers/billing";
import { createOrder, createPayment, holdsOn, installShop, startShopifyStandIn, type ShopifyStandIn } from "../../test/helpers/holds";
import { currentPlan, holdUsage, monthStart, planOverview, refreshPlan, requireFeature } from "./billing.server";
import { FREE_MONTHLY_HOLDS } from "./plans";
import * as zendeskRoute from "../routes/app.zendesk";
import * as reconciliationRoute from "../routes/app.reconciliation._index";
import * as payoutsRoute from "../routes/app.payouts._index";
import * as payoutRoute from "../routes/app.payouts.$id";
import { payoutImportJob } from "../reconciliation/payouts.server";
import { reconciliationSweepJob } from "../reconciliation/sweep.server";
import { dayOf } from "../queue/daily.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { nasAccount } from "../../test/standins/checkout/testing";
import { TEST_APP_URL } from "../../test/helpers/env";
import { seedStaff, sessionToken } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";

const checkout = useCheckoutStandIn({ accounts: [nasAccount()], actionLatencyMs: 1 });
let world: ReturnType<typeof startShopifyStandIn>;
let shopify: ShopifyStandIn;
let shop: Awaited<ReturnType<typeof installShop>>;
const MINUTE = 60_000;
const OWNER = 74_000_301;

beforeAll(() => {
  world = startShopifyStandIn();
  shopify = world.standIn;
  setBillingEnv({ BILLING_DEVELOPMENT_SHOPS: "" });
});
afterAll(() => {
  world.close();
  resetBillingEnv();
});
beforeEach(async () => {
  shop = await installShop(shopify);
});

const callsTo = (domain: string) => shopify.store.adminRequests.filter((r) => r.shop === domain).length;

describe("the plan of a shop", () => {
  it("is Free until Shopify reports a subscription, kept for a while, then the subscription's plan", async () => {
    const now = new Date();
    expect(await currentPlan(shop.shop.id, { now })).toMatchObject({ plan: { id: "free" }, subscriptionId: null, checkedAt: now });
    const subscription = await subscribe(shopify, shop.domain, "Growth");

    const before = callsTo(shop.domain);
    expect((await currentPlan(shop.shop.id, { now: new Date(now.getTime() + 9 * MINUTE) })).plan.id).toBe("free");
    expect(callsTo(shop.domain)).toBe(before);

    const later = await currentPlan(shop.shop.id, { now: new Date(now.getTime() + 11 * MINUTE) });
    expect(later).toMatchObject({ plan: { id: "growth" }, subscriptionId: subscription.id, test: true });
    expect(later.currentPeriodEnd?.toISOString()).toBe(new Date(subscription.currentPeriodEnd!).toISOString());
    const change = await db().auditLog.findFirstOrThrow({ where: { shopId: shop.shop.id, action: "plan.change" } });
    expect(JSON.parse(change.details)).toMatchObject({ from: "free", to: "growth", subscriptionId: subscription.id, test: true });
  });

  it("asks Shopify at once when refreshed (the Plan page after a change)", async () => {
    await currentPlan(shop.shop.id);
    await subscribe(shopify, shop.domain, "Plus", { price: 99 });
    expect((await refreshPlan(shop.shop.id)).plan.id).toBe("plus");
  });

  it("counts only live subscriptions when test charges are off (production)", async () => {
    await subscribe(shopify, shop.domain, "Growth", { test: true });
    setBillingEnv({ BILLING_TEST: "false" });
    try {
      expect((await refreshPlan(shop.shop.id)).plan.id).toBe("free");
      await subscribe(shopify, shop.domain, "Plus", { test: false, price: 99 });
      expect((await refreshPlan(shop.shop.id)).plan.id).toBe("plus");
    } finally {
      setBillingEnv({ BILLING_TEST: "true" });
    }
  });

  it("puts listed shops, or every shop with *, on the development plan without asking Shopify", async () => {
    const other = await installShop(shopify);
    const before = callsTo(shop.domain) + callsTo(other.domain);
    setBillingEnv({ BILLING_DEVELOPMENT_SHOPS: shop.domain.toUpperCase() });
    try {
      expect((await currentPlan(shop.shop.id)).plan.id).toBe("development");
      expect((await currentPlan(other.shop.id)).plan.id).toBe("free");
      setBillingEnv({ BILLING_DEVELOPMENT_SHOPS: "*" });
      expect((await currentPlan(other.shop.id, { refresh: true })).plan.id).toBe("development");
      expect(callsTo(shop.domain) + callsTo(other.domain)).toBe(before + 1);
    } finally {
      setBillingEnv({ BILLING_DEVELOPMENT_SHOPS: "" });
    }
  });

  it("keeps the last answer while Shopify cannot be asked (Free when there is none)", async () => {
    await subscribe(shopify, shop.domain, "Growth");
    expect((await refreshPlan(shop.shop.id)).plan.id).toBe("growth");
    await db().session.deleteMany({ where: { shop: shop.domain } });
    expect((await refreshPlan(shop.shop.id)).plan.id).toBe("growth");

    const never = await installShop(shopify);
    await db().session.deleteMany({ where: { shop: never.domain } });
    expect(await currentPlan(never.shop.id)).toMatchObject({ plan: { id: "free" }, checkedAt: null });
    expect(await db().shopPlan.findUnique({ where: { shopId: never.shop.id } })).toBeNull();
  });

  it("is each shop's own: shop A's subscription never puts shop B on its plan", async () => {
    const other = await installShop(shopify);
    await subscribe(shopify, shop.domain, "Plus", { price: 99 });
    expect((await refreshPlan(shop.shop.id)).plan.id).toBe("plus");
    expect((await refreshPlan(other.shop.id)).plan.id).toBe("free");
  });
});

describe("holds this month", () => {
  it("counts orders held since the 1st (UTC), not monitored ones, not another shop's", async () => {
    const now = new Date("2026-12-15T12:00:00Z");
    expect(monthStart(now).toISOString()).toBe("2026-12-01T00:00:00.000Z");
    await decidedHolds(shop.shop.id, 2, new Date("2026-11-30T23:59:59Z"));
    await decidedHolds(shop.shop.id, 3, new Date("2026-12-01T00:00:00Z"));
    await decidedHolds(shop.shop.id, 4, new Date("2026-12-10T00:00:00Z"), { monitorOnly: true });
    const other = await installShop(shopify);
    await decidedHolds(other.shop.id, 5, new Date("2026-12-02T00:00:00Z"));

    expect(await holdUsage(shop.shop.id, now)).toMatchObject({ plan: { id: "free" }, used: 3, limit: FREE_MONTHLY_HOLDS });
    expect((await planOverview(shop.shop.id, { now })).holds).toEqual({ used: 3, limit: FREE_MONTHLY_HOLDS, since: "2026-12-01T00:00:00.000Z" });
    // A plan without a limit needs no count.
    await subscribe(shopify, shop.domain, "Growth");
    await refreshPlan(shop.shop.id);
    expect(await holdUsage(shop.shop.id, new Date())).toMatchObject({ plan: { id: "growth" }, limit: null });
  });

  it("over the Free plan's limit, records a risky payment as one it would hold, without holding it", async () => {
    await decidedHolds(shop.shop.id, FREE_MONTHLY_HOLDS, new Date());
    // A hold decided before the limit was reached still goes into Shopify.
    const earlier = createOrder(shopify, shop.domain);
    const earlierPayment = await createPayment(shop.shop.id, { reference: earlier.name, riskScore: 88 });
    await db().hold.create({
      data: {
        shopId: shop.shop.id,
        paymentId: earlierPayment.id,
        orderGid: earlier.id,
        status: "pending",
        externalId: "cko-companion-hold-earlier",
        decidedAt: new Date(0),
      },
    });
    expect(await reviewPayment(shop.shop.id, earlierPayment.id)).toBe("held");
    expect(holdsOn(shopify, earlier.id).ours).toHaveLength(1);

    const order = createOrder(shopify, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name, riskScore: 88 });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("monitored");
    expect(await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } })).toMatchObject({ status: "monitored", monitorOnly: true });
    expect(holdsOn(shopify, order.id).ours).toEqual([]);
    const activity = await db().paymentActivity.findFirstOrThrow({ where: { paymentId: payment.id, type: "hold_monitored" } });
    expect(activity.summary).toContain(`Would hold (Free plan: ${FREE_MONTHLY_HOLDS} of ${FREE_MONTHLY_HOLDS} holds used this month)`);
    const audited = await db().auditLog.findFirstOrThrow({ where: { paymentId: payment.id, action: "hold.monitor" } });
    expect(JSON.parse(audited.details).planLimit).toEqual({ plan: "free", used: FREE_MONTHLY_HOLDS, limit: FREE_MONTHLY_HOLDS });
  });

  it("a paid plan goes on holding past the Free plan's limit", async () => {
    await decidedHolds(shop.shop.id, FREE_MONTHLY_HOLDS, new Date());
    await subscribe(shopify, shop.domain, "Growth");
    await refreshPlan(shop.shop.id);
    const order = createOrder(shopify, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name, riskScore: 88 });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    expect(holdsOn(shopify, order.id).ours).toHaveLength(1);
  });
});

describe("plan gates", () => {
  it("refuses a Free shop what Growth includes (402, naming the plan) and allows a Growth shop, each on its own plan", async () => {
    const growth = await installShop(shopify);
    await subscribe(shopify, growth.domain, "Growth");
    await expect(requireFeature(growth.shop.id, "disputes")).resolves.toBeUndefined();

    const refused = await requireFeature(shop.shop.id, "zendesk").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PlanRequiredError);
    const reply = domainErrorReply(refused);
    expect(reply.status).toBe(402);
    expect(await reply.json()).toEqual({
      ok: false,
      message: "The Zendesk payment sidebar needs the Growth plan (this shop is on Free). A store admin can change the plan on the Plan page.",
    });
    expect((await domainErrorReply(refused, "de").json()).message).toMatch(/^Die Zendesk-Zahlungsseitenleiste erfordert den Tarif Growth/);
  });

  it("refuses a Free shop a new Zendesk connection through the route, and says so on the page", async () => {
    await seedStaff(shop.domain, { userId: OWNER, role: "owner" });
    const headers = { Authorization: `Bearer ${sessionToken(shop.domain, { userId: OWNER })}` };
    const created = await callAction(
      zendeskRoute.action,
      new Request(`${TEST_APP_URL}/app/zendesk`, { method: "POST", headers, body: new URLSearchParams({ intent: "create", subdomain: "acme-support" }) }),
    );
    expect(created.status).toBe(402);
    expect((await created.json()).message).toContain("Zendesk payment sidebar needs the Growth plan");
    expect(await db().zendeskConnection.count({ where: { shopId: shop.shop.id } })).toBe(0);
    const loaded = await callAction(zendeskRoute.loader, new Request(`${TEST_APP_URL}/app/zendesk`, { headers }));
    expect((await loaded.json()).planRefused).toContain("Growth plan");
  });

  it("keeps a Free shop's disputes but sends no evidence for them, audited", async () => {
    const dispute = await db().dispute.create({
      data: { shopId: shop.shop.id, ckoDisputeId: "dsp_plan_gate_0000000001", amount: 9400, currency: "USD", status: "evidence_required" },
    });
    const result = await submitDisputeEvidence(shop.shop.id, dispute.id, { actor: "Sam Owner", source: "admin" });
    expect(result).toMatchObject({ ok: false, code: "plan_required", message: expect.stringContaining("Disputes and evidence needs the Growth plan") });
    expect(await db().dispute.findUniqueOrThrow({ where: { id: dispute.id } })).toMatchObject({ responseState: "none", status: "evidence_required" });
    const audited = await db().auditLog.findFirstOrThrow({ where: { disputeId: dispute.id, action: "evidence.submit" } });
    expect(audited).toMatchObject({ result: "error", error: expect.stringContaining("Growth plan") });
  });

  it("keeps reconciliation for Plus: a Growth shop's screens say so, its jobs skip it without failing, and nothing recorded is deleted", async () => {
    const growth = await installShop(shopify);
    await subscribe(shopify, growth.domain, "Growth");
    const refused = await requireFeature(growth.shop.id, "reconciliation").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PlanRequiredError);
    const message = "Payout reconciliation needs the Plus plan (this shop is on Growth). A store admin can change the plan on the Plan page.";
    expect((refused as PlanRequiredError).message).toBe(message);
    const plus = await installShop(shopify);
    await subscribe(shopify, plus.domain, "Plus", { price: 99 });
    await expect(requireFeature(plus.shop.id, "reconciliation")).resolves.toBeUndefined();

    // What the shop recorded while it had reconciliation.
    const payment = await createPayment(growth.shop.id, { status: "Captured", capturedAmount: 9400, matchStatus: "matched" });
    await db().orderLink.create({
      data: {
        shopId: growth.shop.id,
        paymentId: payment.id,
        orderGid: "gid://shopify/Order/8800000001",
        orderName: "#8801",
        matchedBy: "reference_name",
        confidence: "strong",
      },
    });
    const issue = await db().reconciliationIssue.create({
      data: {
        shopId: growth.shop.id,
        paymentId: payment.id,
        subject: payment.id,
        orderGid: "gid://shopify/Order/8800000001",
        kind: "refund_missing_in_shopify",
        currency: "USD",
        amount: 500,
      },
    });
    const payout = await db().payout.create({
      data: {
        shopId: growth.shop.id,
        payoutId: "pyt_plan_gate",
        reportId: "rpt_plan_gate",
        currency: "USD",
        payoutDate: new Date("2026-12-03T00:00:00Z"),
        importedAt: new Date("2026-12-03T06:00:00Z"),
        gross: 0,
        refunds: 0,
        chargebacks: 0,
        processingFees: 0,
        schemeFees: 0,
        otherFees: 0,
        net: 0,
        lineCount: 0,
        linesTied: 0,
        linesOtherShop: 0,
      },
    });

    // The screens answer the plan message instead of their content; their actions 402.
    await seedStaff(growth.domain, { userId: OWNER, role: "owner" });
    const headers = { Authorization: `Bearer ${sessionToken(growth.domain, { userId: OWNER })}` };
    const page = (path: string) => new Request(`${TEST_APP_URL}${path}`, { headers });
    const form = (path: string, fields: Record<string, string>) =>
      new Request(`${TEST_APP_URL}${path}`, { method: "POST", headers, body: new URLSearchParams(fields) });
    expect(await (await callAction(reconciliationRoute.loader, page("/app/reconciliation"))).json()).toEqual({ planRefused: message });
    expect(await (await callAction(payoutsRoute.loader, page("/app/payouts"))).json()).toEqual({ planRefused: message });
    expect(await (await callAction(payoutRoute.loader, page(`/app/payouts/${payout.id}`), { id: payout.id })).json()).toEqual({ planRefused: message });
    const dismissed = await callAction(reconciliationRoute.action, form("/app/reconciliation", { intent: "dismiss", issueId: issue.id, reason: "Known" }));
    expect(dismissed.status).toBe(402);
    expect((await dismissed.json()).message).toBe(message);
    const importNow = await callAction(payoutsRoute.action, form("/app/payouts", { intent: "import" }));
    expect(importNow.status).toBe(402);
    expect(await db().job.count({ where: { shopId: growth.shop.id, kind: JOB_KINDS.payoutImport } })).toBe(0);

    // The jobs skip the shop, asking neither Shopify nor Checkout.com, and keep the daily chain going.
    const today = dayOf(new Date());
    const job = (kind: string, key: string, payload: unknown = {}) => ({ id: `job-${kind}`, shopId: growth.shop.id, kind, key, payload, attempts: 1 });
    const shopifyCalls = callsTo(growth.domain);
    const checkoutCalls = checkout().requests.length;
    await reconciliationSweepJob(job(JOB_KINDS.reconciliationSweep, today));
    await payoutImportJob(job(JOB_KINDS.payoutImport, today));
    expect(callsTo(growth.domain)).toBe(shopifyCalls);
    expect(checkout().requests.length).toBe(checkoutCalls);
    expect(await db().reconciliationSweep.count({ where: { shopId: growth.shop.id } })).toBe(0);
    expect(await db().payoutImport.count({ where: { shopId: growth.shop.id } })).toBe(0);
    expect(await db().job.count({ where: { shopId: growth.shop.id, kind: { in: [JOB_KINDS.reconciliationSweep, JOB_KINDS.payoutImport] } } })).toBe(2);
    expect(await db().reconciliationIssue.findUniqueOrThrow({ where: { id: issue.id } })).toMatchObject({ status: "open", amount: 500 });
    expect(await db().payout.count({ where: { id: payout.id } })).toBe(1);

    // A Plus shop is swept.
    await reconciliationSweepJob({ ...job(JOB_KINDS.reconciliationSweep, today), shopId: plus.shop.id });
    expect(await db().reconciliationSweep.count({ where: { shopId: plus.shop.id } })).toBe(1);
  });
});
