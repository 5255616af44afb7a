// The whole path, with nothing faked on our side: the built sidebar in the Zendesk stand-in, in
// Chromium; the stand-in's proxy signs each request with the connection's shared secret and calls the
// REAL app (production build, `node --import tsx server.ts`, SQLite migrated by scripts/prisma.mjs);
// the app refunds through the Shopify order (the Shopify stand-in runs in the app's process), whose
// Checkout.com payments app refunds at the Checkout.com stand-in, which then sends the signed
// payment_refunded webhook back to the app. Screenshots go to test-results/e2e/.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db.server";
import { resetEnvForTests } from "../../app/env.server";
import { APP_DIR } from "../../zendesk-app/scripts/manifest";
import { paymentFixture } from "../fixtures/checkout-events";
import { appEnv, buildAppIfNeeded, freePort, migrateSqlite, startAppServer, type AppServer } from "../helpers/app-server";
import { createConnectedShop, createOrderPayment, NAS_SANDBOX_KEY } from "../helpers/factories";
import { AGENT, ZENDESK_SUBDOMAIN, connectZendesk } from "../helpers/zendesk";
import { createCheckoutStandIn, type CheckoutStandIn } from "../standins/checkout/server";
import { nasAccount } from "../standins/checkout/testing";
import { shopifyControlClient, type ShopifyControl } from "../standins/shopify/control";
import { createZendeskStandIn, type ZendeskStandIn } from "../standins/zendesk/server";
import { seedOfflineSession } from "../helpers/session-token";
import { launchBrowser, newPage, SCREENSHOTS } from "./browser";

const PAYMENT_FIELD = 360001;

let dir: string;
let assets: string;
let checkout: CheckoutStandIn;
let app: AppServer;
let zd: ZendeskStandIn;
let browser: Browser;
let page: Page;
let seeded: { paymentId: string; ckoPaymentId: string; orderName: string; orderId: string };
let shopify: ShopifyControl;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "zendesk-e2e-"));
  assets = join(dir, "sidebar");
  buildAppIfNeeded();
  await build({ configFile: join(APP_DIR, "vite.config.ts"), logLevel: "silent", build: { outDir: assets } });

  // The database, migrated like production, seeded from this process through the app's own code.
  const databaseUrl = migrateSqlite(join(dir, "app.sqlite"));
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  Object.assign(process.env, appEnv(databaseUrl, { NODE_ENV: "test", LOG_LEVEL: "silent" }));
  resetEnvForTests();
  const { shop, connection } = await createConnectedShop("zendesk-e2e.myshopify.com");
  checkout = await createCheckoutStandIn({
    accounts: [nasAccount({ webhookUrl: `${appUrl}/webhooks/checkout/${connection.endpointId}` })],
    actionLatencyMs: 20,
    webhooks: { delayMs: 50 },
  });
  const fixture = paymentFixture({ amount: 4234, currency: "EUR", reference: "#1001" });
  checkout.state.createPayment({ capture: true, ...fixture });
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

  // Shopify, in the app's process: the shop, and its order #1001 paid at checkout through Checkout.com's payments app.
  const controlFile = join(dir, "shopify-control-url");
  app = await startAppServer(port, appEnv(databaseUrl, { CHECKOUT_API_BASE_URL: checkout.url, SHOPIFY_STANDIN_CONTROL_FILE: controlFile }), {
    imports: ["./test/standins/shopify/preload.ts"],
  });
  shopify = shopifyControlClient(readFileSync(controlFile, "utf8"));
  await shopify.createShop({ domain: shop.domain, currencyCode: "EUR" });
  await shopify.connectPaymentsApp(shop.domain, { baseUrl: checkout.url, secretKey: NAS_SANDBOX_KEY });
  const order = await shopify.createOrder({
    shop: shop.domain,
    name: "#1001",
    currency: "EUR",
    email: "ada@example.com",
    lineItems: [{ title: "Notebook", price: "37.34", quantity: 1, sku: "NB-1" }],
    shippingPrice: "5.00",
    payment: { kind: "SALE", gateway: "checkout_com", paymentId: "c1001.1", receipt: { id: fixture.id, status: "Captured" } },
  });
  await seedOfflineSession(shop.domain, { accessToken: (await shopify.issueAccessToken(shop.domain)).token });
  const { payment, orderLink } = await createOrderPayment(shop.id, {
    orderId: Number(order.id.split("/").pop()),
    orderName: "#1001",
    payment: {
      ckoPaymentId: fixture.id,
      reference: "#1001",
      amount: 4234,
      currency: "EUR",
      status: "Captured",
      capturedAmount: 4234,
      customerEmail: "ada@example.com",
      customerName: "Ada Lovelace",
      cardScheme: "Visa",
      cardLast4: "4242",
      processedOn: minutesAgo(30),
    },
  });
  await db().paymentActivity.createMany({
    data: [
      {
        shopId: shop.id,
        paymentId: payment.id,
        sourceKey: "evt_e2e_approved",
        kind: "event",
        type: "payment_approved",
        amount: 4234,
        currency: "EUR",
        summary: "Authorized EUR 42.34 · Visa •••• 4242 · risk score 12",
        occurredAt: minutesAgo(30),
      },
      {
        shopId: shop.id,
        paymentId: payment.id,
        sourceKey: "evt_e2e_captured",
        kind: "event",
        type: "payment_captured",
        amount: 4234,
        currency: "EUR",
        summary: "Captured EUR 42.34",
        occurredAt: minutesAgo(29),
      },
    ],
  });
  const zendesk = await connectZendesk(shop.id);
  seeded = { paymentId: payment.id, ckoPaymentId: fixture.id, orderName: orderLink.orderName!, orderId: order.id };
  zd = await createZendeskStandIn({
    appAssetsDir: assets,
    settings: { backend_url: app.url, shared_secret: zendesk.secret, connection_id: zendesk.connection.id, payment_field_id: PAYMENT_FIELD },
    agent: { id: AGENT.agent_id, name: AGENT.agent_name, email: AGENT.agent_email, locale: "en-US" },
    tickets: [
      {
        id: 7,
        subject: "Charged twice for my order",
        requester: { id: 501, name: "Ada Lovelace", email: "ada@example.com" },
        customFields: { [PAYMENT_FIELD]: "1001" },
        comments: [{ from: "requester", body: "Hello, I was charged twice for order #1001. Can you refund the extra?", public: true }],
      },
    ],
  });
  browser = await launchBrowser();
  page = await newPage(browser, { width: 1100, height: 900 });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await zd?.close();
  await app?.stop();
  await checkout?.stop();
  await db().$disconnect();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the sidebar against the real app", () => {
  it("finds the ticket's order and shows its timeline in a 320 px sidebar", async () => {
    await page.goto(zd.ticketUrl(7));
    const sidebar = page.frameLocator("#app-frame");
    await expect.poll(() => sidebar.getByTestId("payment-amount").textContent(), { timeout: 20_000 }).toBe("€42.34");
    await expect.poll(() => sidebar.getByTestId("timeline-entry").count()).toBe(2);
    expect(await sidebar.getByTestId("refundable").textContent()).toBe("€42.34");
    expect(await page.locator("#app-frame").evaluate((el) => el.getBoundingClientRect().width)).toBe(320);
    await page.locator("aside.apps").screenshot({ path: join(SCREENSHOTS, "zendesk-sidebar-app-320.png"), animations: "disabled" });

    // What reached the app: signed by the proxy, for this ticket and agent, the order name looked up.
    const lookup = zd.proxied.find((r) => r.url.endsWith("/api/zendesk/lookup"));
    expect(lookup).toMatchObject({ status: 200 });
    expect(JSON.parse(lookup!.body!)).toMatchObject({ ticketId: 7, orderName: expect.stringMatching(/^#?1001$/) });
    expect(lookup!.headers.Authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("refunds part of the payment at Checkout.com and leaves an internal note on the ticket", async () => {
    const sidebar = page.frameLocator("#app-frame");
    await sidebar.getByRole("button", { name: "Refund", exact: true }).click();
    await sidebar.getByLabel(/Amount/).fill("12.34");
    await sidebar.getByLabel("Reason").selectOption("Duplicate charge");
    await sidebar.getByRole("button", { name: "Review refund" }).click();
    await sidebar.getByRole("button", { name: "Refund €12.34" }).click();

    const note = page.locator("#conversation .comment.internal");
    await expect.poll(() => note.textContent(), { timeout: 20_000 }).toContain("Partial refund of EUR 12.34 (of EUR 42.34 captured)");
    expect(await note.textContent()).toMatch(/Made through Shopify order #1001 \(unshipped items restocked, customer not emailed\)/);
    expect(await note.textContent()).toMatch(/Shopify refund \d+/);
    await expect.poll(() => sidebar.getByTestId("refundable").textContent(), { timeout: 20_000 }).toBe("€30.00");
    expect(zd.tickets.get(7)!.comments.at(-1)).toMatchObject({ public: false, authorId: AGENT.agent_id });

    // One refund on the Shopify order, carried out once at Checkout.com by the payments app, audited
    // with the agent's name, and confirmed back by webhook.
    await shopify.paymentsAppIdle();
    const order = (await shopify.order(seeded.orderId))!;
    expect(order.transactions.filter((t) => t.kind === "REFUND").map((t) => [t.status, t.amount])).toEqual([["SUCCESS", 1234]]);
    expect(checkout.state.payments.get(seeded.ckoPaymentId)!.refunded).toBe(1234);
    expect(checkout.requests.filter((r) => r.method === "POST" && r.path.endsWith("/refunds"))).toHaveLength(1);
    const audit = await db().auditLog.findFirstOrThrow({ where: { paymentId: seeded.paymentId, action: "payment.refund" } });
    expect(audit).toMatchObject({
      result: "ok",
      source: "zendesk",
      actor: `${AGENT.agent_name} <${AGENT.agent_email}> (as claimed in Zendesk ${ZENDESK_SUBDOMAIN})`,
    });
    await expect.poll(async () => (await db().payment.findUniqueOrThrow({ where: { id: seeded.paymentId } })).refundedAmount, { timeout: 20_000 }).toBe(1234);
    await page.screenshot({ path: join(SCREENSHOTS, "zendesk-sidebar-app-refunded.png"), fullPage: true, animations: "disabled" });
  });
});
