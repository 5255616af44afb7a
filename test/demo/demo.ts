// `npm run demo`: the whole product on this machine, with no accounts and no internet.
// It migrates a fresh embedded SQLite database, starts the Checkout.com and Zendesk stand-ins, the
// local Shopify admin, and the real app (production build) with the Shopify stand-in preloaded, seeds
// a demo shop, then delivers Checkout.com webhooks through the app's real pipeline. The Shopify
// stand-in's Checkout.com payments app is pointed at the Checkout.com stand-in with the demo's secret
// key, so refunds, captures and voids made on Shopify orders are carried out at Checkout.com.
// startDemo() is also what the browser tests run against.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCheckoutStandIn, type CheckoutStandIn } from "../standins/checkout/server";
import type { AccountConfig } from "../standins/checkout/state";
import { startLocalAdmin, type LocalAdmin } from "../standins/shopify/admin/local-admin";
import { shopifyControlClient, type ShopifyControl } from "../standins/shopify/control";
import { createZendeskStandIn, type ZendeskStandIn } from "../standins/zendesk/server";
import { startDemoControls } from "./controls";
import { DASHBOARD_REFUND, DEMO, deliverOrderWebhooks, seedShopify, seedCheckoutHistory } from "./seed";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface Demo {
  adminUrl: string;
  /** The local admin's Orders page for the demo shop (Shopify's view of the orders). */
  ordersUrl: string;
  zendeskUrl: string;
  webhookUrl: string;
  signingKey: string;
  /** Where AI agents connect (the app's MCP server), and a token of the demo shop with every scope. */
  mcpUrl: string;
  mcpToken: string;
  controlsUrl: string;
  appUrl: string;
  shop: string;
  checkout: CheckoutStandIn;
  shopify: ShopifyControl;
  admin: LocalAdmin;
  zendesk: ZendeskStandIn;
  /** Ids of what was seeded, for tests. */
  seeded: Awaited<ReturnType<typeof seedCheckoutHistory>>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const newestMtime = (dir: string): number =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const full = path.join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }, 0);

/** Builds the app and the Zendesk sidebar when their output is missing or older than the sources. */
function buildIfStale(log: (line: string) => void) {
  const appBuild = path.join(root, "build/server/index.js");
  if (!fs.existsSync(appBuild) || fs.statSync(appBuild).mtimeMs < newestMtime(path.join(root, "app"))) {
    log("Building the app (remix vite:build)...");
    execFileSync("npx", ["remix", "vite:build"], { cwd: root, stdio: "ignore" });
  }
  const sidebar = path.join(root, "zendesk-app/dist/assets/iframe.html");
  if (!fs.existsSync(sidebar) || fs.statSync(sidebar).mtimeMs < newestMtime(path.join(root, "zendesk-app/src"))) {
    log("Building the Zendesk sidebar (vite build)...");
    execFileSync("npx", ["vite", "build", "--config", "zendesk-app/vite.config.ts"], { cwd: root, stdio: "ignore" });
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * What the daily jobs would show by tomorrow, at once: the payouts imported from Checkout.com's reports,
 * and the dashboard refund's payment compared with its order (queued by its webhook to run in two minutes,
 * run now once the app has recorded the refund).
 */
async function reconcileDemo(shopId: string, dashboardPaymentId: string) {
  // Through the app's worker, as the merchant's "Import now" does (this process only queues: the app writes).
  const { requestPayoutImport } = await import("../../app/reconciliation/payouts.server");
  const { db } = await import("../../app/db.server");
  const { JOB_KINDS } = await import("../../app/queue/jobs.server");
  const { queueReconciliationCheck } = await import("../../app/reconciliation/queue.server");
  await requestPayoutImport({ shopId, actor: "demo" });
  await waitFor("the payouts to be imported", async () => ((await db().payout.count({ where: { shopId } })) >= 2 ? true : undefined));
  const payment = await waitFor("the dashboard refund to be recorded", async () => {
    const found = await db().payment.findFirst({ where: { shopId, ckoPaymentId: dashboardPaymentId, refundedAmount: DASHBOARD_REFUND } });
    return found ?? undefined;
  });
  // The payment's waiting check (queued by the refund's webhook, or here), due now rather than two minutes
  // after the refund.
  await queueReconciliationCheck(shopId, payment.id, "demo");
  await db().job.updateMany({ where: { shopId, kind: JOB_KINDS.reconciliationCheck, key: payment.id, status: "pending" }, data: { runAt: new Date() } });
}

/**
 * Connects the shop's Zendesk account the way a merchant does: the app's authorization, Allow on
 * Zendesk's consent page, and the browser sent back to the app's callback, which stores the tokens.
 */
async function connectZendeskAsMerchant(shopId: string, zendesk: ZendeskStandIn) {
  const { startZendeskOAuth } = await import("../../app/zendesk/oauth.server");
  const started = await startZendeskOAuth(shopId, { subdomain: "demo-support" }, "demo");
  if (!started.ok) throw new Error(`Demo Zendesk authorization not started: ${JSON.stringify(started.fieldErrors)}`);
  const consent = new URL(started.authorizeUrl);
  const allowed = await fetch(`${zendesk.url}/oauth/authorizations`, {
    method: "POST",
    body: new URLSearchParams({ ...Object.fromEntries(consent.searchParams), decision: "allow" }),
    redirect: "manual",
  });
  const callback = allowed.headers.get("location");
  if (!callback) throw new Error(`Zendesk's consent page answered ${allowed.status}`);
  const finished = await fetch(callback, { redirect: "manual" });
  if (!finished.headers.get("location")?.includes("zendeskAccount=connected")) throw new Error(`The Zendesk authorization did not finish (${finished.status})`);
}

export interface DemoOptions {
  dataDir?: string;
  log?: (line: string) => void;
  appLogs?: boolean;
  /** More Checkout.com accounts beside the demo shop's, for a test that connects another shop. */
  moreCheckoutAccounts?: AccountConfig[];
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const log = options.log ?? (() => {});
  const dataDir = options.dataDir ?? path.join(root, ".demo");
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  buildIfStale(log);

  const databaseUrl = `file:${path.join(dataDir, "demo.sqlite")}`;
  execFileSync(process.execPath, [path.join(root, "scripts/prisma.mjs"), "migrate"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "ignore",
  });

  const appPort = await freePort();
  const appDirect = `http://127.0.0.1:${appPort}`;
  const admin = await startLocalAdmin({
    apiKey: DEMO.apiKey,
    apiSecret: DEMO.apiSecret,
    appUpstream: appDirect,
    appHandle: DEMO.appHandle,
    appName: "Checkout.com Companion",
  });
  const checkout = await createCheckoutStandIn({
    accounts: [{ id: "demo", secretKey: DEMO.secretKey, accountType: "NAS", signatureKey: DEMO.signatureKey }, ...(options.moreCheckoutAccounts ?? [])],
    webhooks: { delayMs: 50, retryDelaysMs: [2_000, 10_000, 30_000], timeoutMs: 10_000 },
  });

  // Zendesk before the app: the app reaches its API and OAuth at this address. Its tickets come later.
  const zendeskOAuth = { clientId: "cko-companion-demo", clientSecret: "demo-zendesk-oauth-client-secret" };
  // No sidebar yet: the app installs it through the Apps API once the merchant has connected Zendesk.
  const zendesk = await createZendeskStandIn({
    subdomain: "demo-support",
    tickets: [],
    oauth: { ...zendeskOAuth, redirectUris: [`${admin.proxyUrl}/zendesk/oauth/callback`] },
  });

  // The app modules in this process (to seed the database) read the same configuration as the app.
  const appEnv: Record<string, string> = {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(appPort),
    SHOPIFY_API_KEY: DEMO.apiKey,
    SHOPIFY_API_SECRET: DEMO.apiSecret,
    SHOPIFY_APP_URL: admin.proxyUrl,
    SCOPES: DEMO.scopes,
    DATABASE_URL: databaseUrl,
    ENCRYPTION_KEY: DEMO.encryptionKey,
    CHECKOUT_API_BASE_URL: checkout.url,
    ZENDESK_API_BASE_URL: zendesk.url,
    ZENDESK_OAUTH_CLIENT_ID: zendeskOAuth.clientId,
    ZENDESK_OAUTH_CLIENT_SECRET: zendeskOAuth.clientSecret,
    WORKER_IN_PROCESS: "true",
    LOG_LEVEL: options.appLogs ? "info" : "warn",
    // The demo shop is on the development plan (everything); charges asked for on the Plan page of
    // another shop are test charges, although this is a production build.
    BILLING_DEVELOPMENT_SHOPS: DEMO.shop,
    BILLING_TEST: "true",
  };
  Object.assign(process.env, appEnv);

  const controlFile = path.join(dataDir, "shopify-control-url");
  const app: ChildProcess = spawn(process.execPath, ["--import", "tsx", "--import", "./test/standins/shopify/preload.ts", "server.ts"], {
    cwd: root,
    env: { ...process.env, ...appEnv, SHOPIFY_STANDIN_CONTROL_FILE: controlFile },
    stdio: ["ignore", options.appLogs ? "inherit" : "ignore", options.appLogs ? "inherit" : "pipe"],
  });
  let appErrors = "";
  app.stderr?.on("data", (chunk) => (appErrors = (appErrors + chunk).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => app.once("exit", (code) => resolve(code)));
  void exited.then((code) => {
    if (code !== 0 && code !== null && !stopping) log(`The app exited (${code}):\n${appErrors}`);
  });

  let stopping = false;
  let controls: Awaited<ReturnType<typeof startDemoControls>> | undefined;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (app.exitCode === null) {
      app.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (app.exitCode === null) app.kill("SIGKILL");
    }
    await Promise.allSettled([checkout.stop(), admin.close(), zendesk.close(), controls?.close()]);
    const { db } = await import("../../app/db.server");
    await db().$disconnect();
  };

  try {
    const controlUrl = await waitFor("the Shopify stand-in", async () =>
      fs.existsSync(controlFile) ? fs.readFileSync(controlFile, "utf8").trim() || undefined : undefined,
    );
    const shopify = shopifyControlClient(controlUrl);
    admin.setShopifyControl(controlUrl);
    await waitFor("the app", async () => ((await fetch(`${appDirect}/readyz`)).ok ? true : undefined));

    const orders = await seedShopify(shopify);
    // Shopify's Checkout.com payments app, inside the app process, calls this Checkout.com stand-in.
    await shopify.connectPaymentsApp(DEMO.shop, { baseUrl: checkout.url, secretKey: DEMO.secretKey });
    const { ensureShop } = await import("../../app/shops/shop.server");
    const { saveConnection, getConnection } = await import("../../app/checkout/connection.server");
    const { registerWebhookWorkflow } = await import("../../app/checkout/workflow.server");
    const { createZendeskConnection, updateZendeskPermissions } = await import("../../app/zendesk/connections.server");
    const { shopify: shopifyApp } = await import("../../app/shopify.server");
    const { offlineSession } = await import("../standins/shopify/index");
    const shop = await ensureShop(DEMO.shop);
    // Background jobs call Shopify before anyone opens the admin: store the session the install would.
    await shopifyApp().sessionStorage.storeSession(offlineSession(await shopify.issueAccessToken(DEMO.shop, { expiring: true })));
    const saved = await saveConnection(
      shop.id,
      {
        accountType: "NAS",
        environment: "sandbox",
        subdomain: "demo0001",
        secretKey: DEMO.secretKey,
        signatureKey: DEMO.signatureKey,
      },
      "demo",
    );
    if (!saved.ok) throw new Error(`Demo connection not saved: ${JSON.stringify(saved.fieldErrors)}`);
    const connection = (await getConnection(shop.id))!;
    const webhookUrl = `${admin.proxyUrl}/webhooks/checkout/${connection.endpointId}`;
    // As a merchant's save does: Checkout.com delivers through the workflow the app registers.
    const registered = await registerWebhookWorkflow(shop.id, "demo", "sandbox");
    if (!registered.ok) throw new Error(`Demo webhook not registered: ${registered.message}`);

    const zendeskConnection = await createZendeskConnection(shop.id, { subdomain: "demo-support" }, "demo");
    if (!zendeskConnection.ok) throw new Error(`Demo Zendesk connection not created: ${zendeskConnection.message}`);
    // Agents may refund up to a limit per payment in each of the demo's currencies.
    const permitted = await updateZendeskPermissions(
      shop.id,
      zendeskConnection.connection.id,
      {
        allowRefunds: "true",
        allowVoids: "true",
        allowEvidence: "true",
        ...Object.fromEntries(
          [
            ["USD", "500.00"],
            ["EUR", "500.00"],
            ["GBP", "400.00"],
            ["JPY", "60000"],
          ].flatMap(([currency, amount], i) => [
            [`cap.${i}.currency`, currency],
            [`cap.${i}.amount`, amount],
          ]),
        ),
      },
      "demo",
    );
    if (!permitted.ok) throw new Error(`Demo Zendesk permissions not saved: ${permitted.message}`);
    await connectZendeskAsMerchant(shop.id, zendesk);
    // Disputes open tickets in the demo's Zendesk.
    const { db } = await import("../../app/db.server");
    await db().shopSettings.upsert({ where: { shopId: shop.id }, update: { disputeTickets: true }, create: { shopId: shop.id, disputeTickets: true } });
    const { installSidebar } = await import("../../app/zendesk/app-install.server");
    const installed = await installSidebar(shop.id, zendeskConnection.connection.id, "demo", { ticketFieldId: String(DEMO.paymentFieldId) });
    if (!installed.ok) throw new Error(`Demo sidebar not installed in Zendesk: ${installed.message}`);

    // Shopify tells the app about each order (the stand-in sends no webhooks itself): the order index
    // then holds them, as it would after the install's backfill and the orders' own webhooks.
    await deliverOrderWebhooks(
      shopify,
      appDirect,
      orders.map((o) => o.id),
    );
    const seeded = await seedCheckoutHistory(checkout, orders, shopify);
    await reconcileDemo(shop.id, seeded.payments.dashboardRefund);
    // A dispute may have opened its ticket already: a seeded ticket then takes the next id.
    const tickets = seeded.tickets.map((ticket) => zendesk.tickets.add(ticket));
    controls = await startDemoControls(checkout, orders);
    // An agent token as an admin makes one in Settings, with every scope and no limit; made by the
    // system, so no staff member's role bounds it.
    const { createAgentToken } = await import("../../app/mcp/tokens.server");
    const { AGENT_SCOPES } = await import("../../app/mcp/scopes");
    const agent = await createAgentToken(
      shop.id,
      { name: "Demo agent", scopes: [...AGENT_SCOPES], limits: {}, expiresAt: null },
      { actor: "demo", userId: null },
    );

    return {
      adminUrl: admin.appPageUrl(DEMO.shop),
      ordersUrl: `${admin.adminUrl}/store/${DEMO.shop.replace(/\.myshopify\.com$/, "")}/orders`,
      zendeskUrl: zendesk.ticketUrl(tickets[0].id),
      webhookUrl,
      signingKey: DEMO.signatureKey,
      mcpUrl: `${admin.proxyUrl}/mcp`,
      mcpToken: agent.token,
      controlsUrl: controls.url,
      appUrl: admin.proxyUrl,
      shop: DEMO.shop,
      checkout,
      shopify,
      admin,
      zendesk,
      seeded,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const started = Date.now();
  const demo = await startDemo({ log: (line) => console.log(line), appLogs: process.argv.includes("--verbose") });
  console.log(`\nCheckout.com Companion demo is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s).\n`);
  console.log(`Admin: ${demo.adminUrl}`);
  console.log(`Shopify orders: ${demo.ordersUrl}`);
  console.log(`Zendesk: ${demo.zendeskUrl}`);
  console.log(`Webhook URL: ${demo.webhookUrl}`);
  console.log(`Webhook signing key: ${demo.signingKey}`);
  console.log(`MCP URL: ${demo.mcpUrl}`);
  console.log(`MCP token: ${demo.mcpToken}`);
  console.log(`Demo controls: ${demo.controlsUrl}`);
  console.log(`\nSend a stream of Checkout.com events: npm run demo:events (or the button on Demo controls).`);
  console.log("Ctrl-C stops everything.");
  fs.writeFileSync(path.join(root, ".demo/urls.json"), JSON.stringify({ controls: demo.controlsUrl, admin: demo.adminUrl }));
  const shutdown = async () => {
    console.log("\nStopping the demo...");
    await demo.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}
