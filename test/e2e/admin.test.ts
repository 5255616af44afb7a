// The embedded app in the local Shopify admin, on the demo: move through its screens, release a hold
// in the review queue, save and submit evidence for the demo dispute. Screenshots go to test-results/e2e.
import fs from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type Demo } from "../demo/demo";
import { DEMO } from "../demo/seed";
import { OTHER_NAS_KEY } from "../standins/checkout/testing";
import { SHOPIFY_APP_BRIDGE_URL } from "../standins/shopify/admin/local-admin";
import { launchBrowser, newPage, SCREENSHOTS, shot } from "./browser";
import { resources } from "../../app/i18n/resources";

/** The German text of a message (`namespace:key.path`), as the admin shows it to a German staff member. */
function german(id: string): string {
  const [namespace, path] = id.split(":");
  const text = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], resources.de[namespace]);
  if (typeof text !== "string") throw new Error(`No German text for ${id}`);
  return text;
}

/** `path` with Shopify's `locale` parameter, as the admin of a staff member using `locale` loads it. */
function withLocale(path: string, locale: string): string {
  const url = new URL(path, "http://admin");
  url.searchParams.set("locale", locale);
  return url.pathname + url.search;
}

let demo: Demo;
let browser: Browser;
let page: Page;
let app: FrameLocator;

async function open(path: string) {
  await page.goto(demo.admin.appPageUrl(demo.shop, path));
  app = page.frameLocator("#app");
}

/** A payout id as the Checkout.com stand-in makes them. */
const PAYOUT_ID = /\b0000[A-Z0-9]{8}\b/;

/** A shop that installs the app during the test, and its own Checkout.com account. */
const FRESH_SHOP = "fresh-goods.myshopify.com";

beforeAll(async () => {
  demo = await startDemo({
    dataDir: `/tmp/cko-e2e-admin-${process.pid}`,
    moreCheckoutAccounts: [{ id: "fresh", secretKey: OTHER_NAS_KEY, accountType: "NAS" }],
  });
  browser = await launchBrowser();
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe("embedded admin", () => {
  it("renders every admin page the same in a browser in another language and time zone: no console error, no hydration mismatch", async () => {
    const elsewhere = await newPage(browser, undefined, { locale: "de-DE", timezoneId: "America/Los_Angeles" });
    const problems: string[] = [];
    elsewhere.on("console", (message) => {
      const text = message.text();
      // The local admin (no internet) serves App Bridge itself by rewriting the CDN script's src in the
      // page it proxies, which React then reports; Shopify's admin does not rewrite the app's HTML.
      if (text.includes(SHOPIFY_APP_BRIDGE_URL) && text.includes("/app-bridge.js") && /did not match/.test(text)) return;
      if (message.type() === "error" || (message.type() === "warning" && /hydrat|did not match|server rendered/i.test(text)))
        problems.push(`${new URL(elsewhere.url()).pathname}: ${text}`);
    });
    elsewhere.on("pageerror", (error) => problems.push(error.message));
    const frame = () => elsewhere.frameLocator("#app");
    const risky = demo.seeded.orders.find((o) => o.key === "risky")!.name;
    const disputed = demo.seeded.orders.find((o) => o.key === "disputed")!.name;
    // Each page by its path and a text it shows once loaded; detail pages through the link to them.
    const pages: Array<{ path: string; text: string; follow?: { link: string | RegExp; path: RegExp } }> = [
      { path: "/app", text: german("home:figures.payments") },
      { path: "/app/payments", text: demo.seeded.payments.captured, follow: { link: demo.seeded.payments.captured, path: /\/app\/payments\/[^/?]+/ } },
      { path: "/app/events", text: german("events:list.filters.id"), follow: { link: /^evt_/, path: /\/app\/events\/[^/?]+/ } },
      { path: "/app/holds", text: risky, follow: { link: risky, path: /\/app\/holds\/[^/?]+/ } },
      { path: "/app/holds/unmatched", text: german("holds:unmatched.title") },
      { path: "/app/disputes", text: german("disputes:autoSubmit.title"), follow: { link: disputed, path: /\/app\/disputes\/[^/?]+/ } },
      { path: "/app/rules", text: german("rules:page.subtitle") },
      { path: "/app/flow", text: german("flow:page.subtitle") },
      { path: "/app/zendesk", text: german("zendesk:page.subtitle") },
      { path: "/app/settings", text: german("checkout:webhook.status.registered") },
      { path: "/app/audit", text: german("audit:page.export") },
      { path: "/app/privacy", text: german("privacy:page.subtitle") },
      { path: "/app/plan", text: german("plan:page.subtitle") },
      { path: "/app/reconciliation", text: german("reconciliation:page.subtitle") },
      { path: "/app/payouts", text: german("payouts:page.subtitle"), follow: { link: PAYOUT_ID, path: /\/app\/payouts\/[^/?]+/ } },
      { path: "/app/insights", text: german("insights:payments.volume.title") },
    ];
    try {
      for (const { path, text, follow } of pages) {
        // A staff member whose Shopify admin is in German: Shopify's `locale` parameter says so.
        await elsewhere.goto(demo.admin.appPageUrl(demo.shop, withLocale(path, "de")));
        await frame().getByText(text).first().waitFor({ timeout: 30_000 });
        // Hydration runs after the first paint; give it a moment to complain.
        await elsewhere.waitForTimeout(500);
        await shot(elsewhere, `00-de${path.replaceAll("/", "-")}`);
        if (!follow) continue;
        // The detail page loaded on its own, so that the server renders it and the browser hydrates it.
        const href = await frame().getByRole("link", { name: follow.link }).first().getAttribute("href");
        expect(href).toMatch(follow.path);
        await elsewhere.goto(demo.admin.appPageUrl(demo.shop, withLocale(href!, "de")));
        await frame().getByText(follow.link).first().waitFor({ timeout: 30_000 });
        await elsewhere.waitForTimeout(500);
        await shot(elsewhere, `00-de${path.replaceAll("/", "-")}-detail`);
      }
    } finally {
      await elsewhere.close();
    }
    expect(problems).toEqual([]);
  });

  it("shows the home screen with the connection and key figures", async () => {
    await open("/app");
    await app.getByText("Payments (30 days)").waitFor({ timeout: 30_000 });
    await expect(app.getByText("NAS · sandbox", { exact: false }).isVisible()).resolves.toBe(true);
    await shot(page, "01-home");
  });

  it("shows the settings: the webhook registered with Checkout.com, no secret; a test event arrives", async () => {
    await open("/app/settings");
    await app.getByText("Registered with Checkout.com").first().waitFor({ timeout: 30_000 });
    // Which environment acts on orders, above the page, and the production tab waiting for its keys.
    await expect(app.getByText("Checkout.com: sandbox (test payments)").isVisible()).resolves.toBe(true);
    await expect(app.getByText("Not set up").isVisible()).resolves.toBe(true);
    await shot(page, "02-settings-environments");
    const html = await app.locator("body").innerHTML();
    expect(html).not.toContain("sk_sbox_demo");
    expect(html).not.toContain(demo.signingKey);
    await app.getByRole("button", { name: "Send test event" }).click();
    await app.getByText("Checkout.com is sending a test payment_declined event").waitFor({ timeout: 30_000 });
    // Checkout.com delivers through the workflow; the card shows it once the page is read again.
    await expect
      .poll(
        async () => {
          await open("/app/settings");
          await app.getByText("Registered with Checkout.com").first().waitFor({ timeout: 30_000 });
          return app.getByText(/Last event received: payment_declined/).count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);
    await app.getByText(/Last event received: payment_declined/).scrollIntoViewIfNeeded();
    await shot(page, "02-settings-webhook");
  });

  it("makes an agent token in Settings, shown once; an MCP client uses it until it is revoked", async () => {
    await open("/app/settings");
    const name = "Support bot";
    await app.getByLabel("Name", { exact: true }).fill(name);
    await app.getByLabel("Refund", { exact: true }).check();
    await app.getByRole("button", { name: "Create token" }).click();
    await app.getByText(`Token “${name}” created. Copy it now: it will not be shown again.`).waitFor({ timeout: 30_000 });
    const token = await app.getByRole("textbox", { name: "Agent token" }).inputValue();
    expect(token).toMatch(/^ckmcp_/);
    // Listed beside the demo's token, and the form starts over for the next one.
    await expect.poll(() => app.getByText(/^Starts with ckmcp_/).count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => app.getByLabel("Name", { exact: true }).inputValue()).toBe("");
    await app.getByRole("textbox", { name: "Agent token" }).scrollIntoViewIfNeeded();
    await shot(page, "02-settings-agent-token");

    const client = new Client({ name: "e2e-agent", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(demo.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(17);
    const payments = await client.callTool({ name: "list_payments", arguments: { limit: 1 } });
    expect(payments.isError).not.toBe(true);
    await client.close();

    // Shown once: the page read again has its name and prefix, never the token.
    await open("/app/settings");
    await app.getByText(name, { exact: true }).first().waitFor({ timeout: 30_000 });
    expect(await app.locator("body").innerHTML()).not.toContain(token);
    await app.getByRole("button", { name: `Revoke ${name}` }).click();
    await app.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await expect
      .poll(
        async () => {
          const answer = await fetch(demo.mcpUrl, {
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}` },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
          });
          return answer.status;
        },
        { timeout: 30_000 },
      )
      .toBe(401);
  });

  it("connects a fresh shop with only its Checkout.com keys: the workflow registers itself and a test event arrives", async () => {
    // The merchant installs from the Shopify admin (token exchange on the first load) and has set up nothing.
    await demo.shopify.createShop({ domain: FRESH_SHOP, name: "Fresh Goods", currencyCode: "EUR", countryCode: "FR", ianaTimezone: "Europe/Paris" });
    const fresh = await newPage(browser);
    try {
      await fresh.goto(demo.admin.appPageUrl(FRESH_SHOP, "/app/settings"));
      const frame = fresh.frameLocator("#app");
      await frame.getByLabel("Secret key").waitFor({ timeout: 30_000 });
      await expect(frame.getByText("Registered with Checkout.com").count()).resolves.toBe(0);
      // Only the keys: no webhook URL copied anywhere, no signing key pasted back.
      await frame.getByLabel("API subdomain").fill("fresh001");
      await frame.getByLabel("Secret key").fill(OTHER_NAS_KEY);
      await frame.getByRole("button", { name: "Save", exact: true }).click();
      await frame.getByText("Registered with Checkout.com").first().waitFor({ timeout: 30_000 });
      await shot(fresh, "02a-fresh-shop-connected");

      // Checkout.com now has one workflow for this account, delivering to this shop's own endpoint.
      const api = (path: string) => fetch(`${demo.checkout.url}${path}`, { headers: { Authorization: `Bearer ${OTHER_NAS_KEY}` } }).then((r) => r.json());
      const { data: workflows } = (await api("/workflows")) as { data: Array<{ id: string; active: boolean }> };
      expect(workflows).toHaveLength(1);
      expect(workflows[0].active).toBe(true);
      const workflow = (await api(`/workflows/${workflows[0].id}`)) as { actions: Array<{ type: string; url: string }> };
      expect(workflow.actions).toEqual([expect.objectContaining({ type: "webhook", url: expect.stringMatching(/\/webhooks\/checkout\/[^/]+$/) })]);
      const demoWorkflows = (await fetch(`${demo.checkout.url}/workflows`, { headers: { Authorization: `Bearer ${DEMO.secretKey}` } }).then((r) =>
        r.json(),
      )) as {
        data: Array<{ id: string }>;
      };
      expect(demoWorkflows.data.map((w) => w.id)).not.toContain(workflows[0].id);

      await frame.getByRole("button", { name: "Send test event" }).click();
      await frame.getByText("Checkout.com is sending a test payment_declined event").waitFor({ timeout: 30_000 });
      await expect
        .poll(
          async () => {
            await fresh.goto(demo.admin.appPageUrl(FRESH_SHOP, "/app/settings"));
            await frame.getByText("Registered with Checkout.com").first().waitFor({ timeout: 30_000 });
            return frame.getByText(/Last event received: payment_declined/).count();
          },
          { timeout: 30_000, interval: 1_000 },
        )
        .toBe(1);
      await frame.getByText(/Last event received: payment_declined/).scrollIntoViewIfNeeded();
      await shot(fresh, "02b-fresh-shop-test-event");
    } finally {
      await fresh.close();
    }
  });

  it("lists the payments delivered by webhook, with a timeline", async () => {
    await open("/app/payments");
    await app.getByText(demo.seeded.payments.captured).first().waitFor({ timeout: 30_000 });
    await shot(page, "03-payments");
    await app.getByText(demo.seeded.payments.captured).first().click();
    await app
      .getByText(/captured/i)
      .first()
      .waitFor({ timeout: 30_000 });
    await shot(page, "04-payment-detail");
  });

  it("lists the events", async () => {
    await open("/app/events");
    await app.locator("table").getByText("payment_captured").first().waitFor({ timeout: 30_000 });
    await shot(page, "05-events");
  });

  it("releases the risky order's hold from the review queue", async () => {
    await open("/app/holds");
    const riskyOrder = demo.seeded.orders.find((o) => o.key === "risky")!;
    await app.getByRole("link", { name: riskyOrder.name }).waitFor({ timeout: 60_000 });
    await shot(page, "06-holds");
    await app.getByRole("link", { name: riskyOrder.name }).click();
    await app
      .getByRole("button", { name: /release/i })
      .first()
      .waitFor({ timeout: 30_000 });
    await shot(page, "07-hold-detail");
    // "Release hold" acts at once: there is no confirmation step.
    await app.getByRole("button", { name: "Release hold" }).click();
    await expect
      .poll(
        async () => {
          const order = await demo.shopify.order(riskyOrder.id);
          return order?.fulfillmentOrders.flatMap((f) => f.holds).length;
        },
        { timeout: 30_000 },
      )
      .toBe(0);
    await app.getByText("Released", { exact: true }).first().waitFor({ timeout: 30_000 });
    await shot(page, "08-hold-released");
    // Release cleans up: our tag is off the order in Shopify.
    expect((await demo.shopify.order(riskyOrder.id))?.tags).not.toContain("checkout-risk-hold");
  });

  it("links a flagged payment that has no order to its order, and the order is held", async () => {
    const phoneOrder = demo.seeded.orders.find((o) => o.key === "phone")!;
    await open("/app/holds/unmatched");
    const link = app.getByRole("button", { name: `Link to ${phoneOrder.name}` });
    await link.waitFor({ timeout: 60_000 });
    await shot(page, "08b-unmatched");
    await link.click();
    await app.getByText(`Linked to ${phoneOrder.name}. The order is held for review.`).waitFor({ timeout: 30_000 });
    await shot(page, "08c-unmatched-linked");
    const order = await demo.shopify.order(phoneOrder.id);
    expect(order?.fulfillmentOrders.flatMap((f) => f.holds)).toHaveLength(1);
    await app.getByText("No risky payment is waiting for its order.").waitFor({ timeout: 30_000 });
  });

  it("releases the linked order's hold in bulk, after a confirmation with the count and the value", async () => {
    const phoneOrder = demo.seeded.orders.find((o) => o.key === "phone")!;
    await open("/app/holds");
    const row = app.getByRole("row").filter({ hasText: phoneOrder.name });
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole("checkbox").check();
    await app.getByRole("button", { name: "Release…" }).click();
    const dialog = app.getByRole("dialog");
    await dialog.getByText(/^1 order worth \D{1,3}[\d,.]+ can then be fulfilled/).waitFor({ timeout: 30_000 });
    await shot(page, "08c2-bulk-release-confirmation");
    await dialog.getByRole("button", { name: "Release", exact: true }).click();
    await app.getByText(`Released 1 of 1: ${phoneOrder.name}.`).waitFor({ timeout: 30_000 });
    const order = await demo.shopify.order(phoneOrder.id);
    expect(order?.fulfillmentOrders.flatMap((f) => f.holds)).toHaveLength(0);
  });

  it("shows the release and the link on the shop-wide audit log, filtered by who did it", async () => {
    await open("/app/audit");
    const table = app.locator("table");
    await table.getByText("hold.release").first().waitFor({ timeout: 30_000 });
    await table.getByText("payment.link").first().waitFor({ timeout: 30_000 });
    await app.getByLabel("What").selectOption("hold.release");
    await app.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(async () => table.getByText("payment.link").count(), { timeout: 30_000 }).toBe(0);
    await table.getByText("hold.release").first().waitFor({ timeout: 30_000 });
    await shot(page, "08d-audit-log");
  });

  it("saves and submits evidence for the demo dispute", async () => {
    // The demo's Zendesk was connected through OAuth and its sidebar installed through the Apps API; the dispute opened a ticket there.
    expect([...demo.zendesk.installations.values()].map((i) => i.settings.payment_field_id)).toEqual([DEMO.paymentFieldId]);
    await expect.poll(() => demo.zendesk.tickets.all().filter((t) => t.externalId?.startsWith("cko-dispute:")).length, { timeout: 20_000 }).toBe(1);
    await open("/app/disputes");
    await app
      .getByRole("link")
      .filter({ hasText: /#|dsp_/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await shot(page, "09-disputes");
    await app
      .getByRole("link")
      .filter({ hasText: /#|dsp_/ })
      .first()
      .click();
    await app.getByRole("button", { name: "Save to Checkout.com" }).waitFor({ timeout: 60_000 });
    await shot(page, "10-dispute");
    await app.getByRole("button", { name: "Save to Checkout.com" }).click();
    await expect.poll(() => Object.keys(demo.checkout.state.disputes.get(demo.seeded.disputeId)!.evidence).length, { timeout: 30_000 }).toBeGreaterThan(0);
    await app.getByRole("button", { name: "Submit evidence" }).click();
    await app.getByRole("button", { name: "Yes, submit evidence" }).click();
    await expect.poll(() => demo.checkout.state.disputes.get(demo.seeded.disputeId)!.fixture.status, { timeout: 30_000 }).toBe("evidence_under_review");
    await shot(page, "11-dispute-submitted");
  });

  it("reconciles: the refund made on Checkout.com's dashboard is a difference, and a payout's line without an order is flagged, also in its CSV", async () => {
    const dashboard = demo.seeded.orders.find((o) => o.key === "dashboardRefund")!;
    await open("/app/reconciliation");
    const difference = app.getByRole("row").filter({ hasText: dashboard.name });
    await difference.waitFor({ timeout: 60_000 });
    expect(await difference.textContent()).toContain("Refunded at Checkout.com, not on the order");
    expect(await difference.textContent()).toContain("£12.00");
    await shot(page, "15-reconciliation");

    await open("/app/payouts");
    const usd = app.getByRole("row").filter({ hasText: "USD" }).first();
    await usd.waitFor({ timeout: 60_000 });
    await shot(page, "16-payouts");
    await usd.getByRole("link").first().click();
    const invoiceLine = app.getByRole("row").filter({ hasText: demo.seeded.payments.invoice });
    await invoiceLine.waitFor({ timeout: 30_000 });
    expect(await invoiceLine.textContent()).toContain("No order");
    await shot(page, "17-payout");

    const [download] = await Promise.all([page.waitForEvent("download"), app.getByRole("button", { name: "Download CSV" }).click()]);
    const rows = fs
      .readFileSync((await download.path())!, "utf8")
      .trim()
      .split("\r\n")
      .map((row) => row.split(","));
    expect(rows[0]).toEqual([
      "processed_on",
      "action_id",
      "action_type",
      "payment_id",
      "order",
      "reference",
      "currency",
      "amount",
      "processing_fees",
      "scheme_fees",
      "other_fees",
      "net",
      "flag",
    ]);
    // USD 89.00 by the stand-in's fee schedule: 0.178 + 0.10 → 0.28 processing, 0.089 + 0.02 → 0.11 scheme.
    expect(rows.find((row) => row[3] === demo.seeded.payments.invoice)).toEqual([
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      expect.stringMatching(/^act_/),
      "Capture",
      demo.seeded.payments.invoice,
      "",
      "invoice-4410",
      "USD",
      "89.00",
      "0.28",
      "0.11",
      "0.00",
      "88.61",
      "no_order",
    ]);
    // Every other USD line is a capture of an order this shop has.
    expect(rows.slice(1).filter((row) => row[3] !== demo.seeded.payments.invoice && row[12] !== "")).toEqual([]);

    // The fix: the dashboard's refund is recorded on the order (no money moves), and the difference closes.
    await open("/app/reconciliation");
    const toFix = app.getByRole("row").filter({ hasText: dashboard.name });
    await toFix.getByRole("button", { name: "Record refund" }).click();
    await app.getByText(`Recorded on order ${dashboard.name}`, { exact: false }).first().waitFor({ timeout: 30_000 });
    await shot(page, "15b-reconciliation-recorded");
    await expect.poll(() => toFix.count(), { timeout: 10_000 }).toBe(0);
    const order = await demo.shopify.order(dashboard.id);
    expect(order?.transactions.filter((t) => t.kind === "REFUND").map((t) => [t.gateway, t.status, t.amount])).toEqual([["manual", "SUCCESS", 1_200]]);

    // Home charts the payouts, drawn in the browser, with the same figures as a table for screen readers.
    await open("/app");
    const viewPayouts = app.getByRole("link", { name: "View payouts" });
    await viewPayouts.waitFor({ timeout: 30_000 });
    await viewPayouts.scrollIntoViewIfNeeded();
    await app
      .locator("svg[role='table'], svg")
      .filter({ has: app.locator("rect") })
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await app.locator("caption").allTextContents()).toContainEqual(expect.stringMatching(/^Net paid out and fees by payout day, in [A-Z]{3}$/));
    await shot(page, "01b-home-payouts-chart");
  });

  it("shows Insights: a range and a currency change the charts and their tables, and a dated rate converts the totals", async () => {
    const rowsOf = (caption: string) => app.getByRole("table", { name: caption }).getByRole("row");
    /** The drawn chart under a heading (Polaris Viz's svg has groups; an icon's has none). */
    const chartUnder = (heading: string) => app.locator(`xpath=//h3[normalize-space()="${heading}"]/..`).locator("svg:has(g)").first();
    const counts = "Payments and approved payments per day, all currencies";

    await open("/app/insights?range=7d");
    await app.getByRole("heading", { name: "Approved volume per day" }).waitFor({ timeout: 30_000 });
    await chartUnder("Payments per day").waitFor({ timeout: 30_000 });
    // A row per day of the week, and the header.
    await expect.poll(() => rowsOf(counts).count(), { timeout: 10_000 }).toBe(8);
    const weekChart = await chartUnder("Payments per day").innerHTML();
    const weekTotals = await app.getByRole("table").filter({ hasText: "Approved volume, previous period" }).innerText();
    await shot(page, "18-insights-7-days");

    await app.getByRole("button", { name: "90 days" }).click();
    await expect.poll(() => rowsOf(counts).count(), { timeout: 30_000 }).toBe(91);
    await expect.poll(() => chartUnder("Payments per day").innerHTML(), { timeout: 10_000 }).not.toBe(weekChart);
    // The demo's older payments count over 90 days, not over 7.
    const quarterTotals = await app.getByRole("table").filter({ hasText: "Approved volume, previous period" }).innerText();
    const usdPayments = (totals: string) =>
      Number(
        totals
          .split("\n")
          .find((row) => row.startsWith("USD"))!
          .split("\t")[1],
      );
    expect(usdPayments(quarterTotals)).toBeGreaterThan(usdPayments(weekTotals));

    await app.getByLabel("Currency", { exact: true }).first().selectOption("EUR");
    await app.getByRole("table", { name: "Approved volume per day, in EUR" }).waitFor({ timeout: 30_000 });
    await expect(app.getByRole("table", { name: /^Approved volume per day, in (USD|GBP|JPY)$/ }).count()).resolves.toBe(0);
    const euroRows = await app.getByRole("table").filter({ hasText: "Approved volume, previous period" }).getByRole("row").allInnerTexts();
    expect(euroRows.slice(1).map((row) => row.split("\t")[0])).toEqual(["EUR"]);
    await chartUnder("Approved volume per day").waitFor({ timeout: 30_000 });
    await shot(page, "18b-insights-90-days-eur");

    // A dated rate, with where it comes from: the converted totals name it.
    await app.getByLabel("Currency", { exact: true }).first().selectOption("");
    await expect.poll(() => app.getByRole("table").filter({ hasText: "Approved volume, previous period" }).innerText(), { timeout: 30_000 }).toContain("USD");
    const rateForm = app.locator("form").filter({ has: app.getByRole("button", { name: "Add rate" }) });
    await rateForm.getByLabel("Currency").fill("EUR");
    await rateForm.getByLabel("Rate in USD").fill("1.08");
    await rateForm.getByLabel("From").fill("2026-01-01");
    await rateForm.getByLabel("Source").fill("ECB reference rate");
    await rateForm.getByRole("button", { name: "Add rate" }).click();
    await app.getByText("Rate for EUR saved.").waitFor({ timeout: 30_000 });
    await app.getByText("1 EUR = 1.08 USD from 1 Jan 2026 (ECB reference rate)", { exact: false }).first().waitFor({ timeout: 30_000 });
    await expect(
      app
        .getByText(/^No rates? for (GBP|JPY)/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    // Each section on screen, to be looked at.
    for (const [heading, name] of [
      ["Payments", "18c-insights-payments"],
      ["Approved volume per day", "18d-insights-volume"],
      ["Declines", "18e-insights-declines"],
      ["Declines by reason and card", "18f-insights-declines-by"],
      ["Disputes", "18g-insights-disputes"],
      ["Risk holds", "18h-insights-holds"],
      ["Conversion rates", "18i-insights-rates"],
    ]) {
      await app.getByRole("heading", { name: heading, exact: true }).evaluate((element) => element.scrollIntoView());
      // Let the browser paint the charts that came into view.
      await page.waitForTimeout(300);
      await shot(page, name);
    }

    // In German: the longer words in the same places.
    await open(withLocale("/app/insights?range=90d", "de"));
    await app.getByRole("heading", { name: german("insights:payments.volume.title") }).waitFor({ timeout: 30_000 });
    for (const [key, name] of [
      ["insights:payments.title", "18j-de-insights-payments"],
      ["insights:declines.title", "18k-de-insights-declines"],
      ["insights:declines.breakdowns.title", "18l-de-insights-declines-by"],
      ["insights:disputes.title", "18m-de-insights-disputes"],
      ["insights:holds.title", "18n-de-insights-holds"],
      ["insights:rates.title", "18o-de-insights-rates"],
    ]) {
      await app.getByRole("heading", { name: german(key), exact: true }).evaluate((element) => element.scrollIntoView());
      await page.waitForTimeout(300);
      await shot(page, name);
    }

    // Home's card, with the way to Insights.
    await open("/app");
    await app.getByRole("link", { name: "View insights" }).waitFor({ timeout: 30_000 });
    await app.getByRole("link", { name: "View insights" }).scrollIntoViewIfNeeded();
    await shot(page, "01c-home-insights");
  });

  it("connects Zendesk through Zendesk's consent page, installs the sidebar in one click, and agents see the disputed order on its ticket", async () => {
    // The demo connected its Zendesk at start; the merchant disconnects it here and connects again by hand.
    await open("/app/zendesk");
    await app.getByRole("button", { name: "Disconnect" }).click();
    await app.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
    await app.getByText("The Zendesk account was disconnected.").first().waitFor({ timeout: 30_000 });
    // An admin also removed the app in Zendesk: agents see no sidebar.
    for (const id of [...demo.zendesk.installations.keys()]) {
      const removed = await fetch(`${demo.zendesk.url}/api/v2/apps/installations/${id}.json`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${demo.zendesk.issueAccessToken()}` },
      });
      expect(removed.status).toBe(204);
    }
    const disputeTicket = demo.zendesk.tickets.all().find((t) => t.externalId?.startsWith("cko-dispute:"))!;
    const agent = await newPage(browser, { width: 1100, height: 900 });
    try {
      await agent.goto(demo.zendesk.ticketUrl(disputeTicket.id));
      await agent.getByText("No apps installed for this location.").waitFor({ timeout: 10_000 });

      // Zendesk's consent page cannot be framed: the whole admin window goes there, and comes back.
      const connectForm = app.locator("form").filter({ has: app.getByRole("button", { name: "Connect with Zendesk" }) });
      await connectForm.getByLabel("Zendesk subdomain").fill("demo-support");
      await connectForm.getByRole("button", { name: "Connect with Zendesk" }).click();
      await page.waitForURL((url) => url.href.startsWith(`${demo.zendesk.url}/oauth/authorizations/new`), { timeout: 30_000 });
      await shot(page, "12-zendesk-consent");
      await page.getByRole("button", { name: "Allow" }).click();
      await page.waitForURL(/\/app\/zendesk\?zendeskAccount=connected/, { timeout: 30_000 });
      app = page.frameLocator("#app");
      await app.getByText("Your Zendesk account is connected.").first().waitFor({ timeout: 30_000 });

      // One click installs it again, with this shop's settings; the page says which version.
      await app.getByRole("button", { name: /Install in Zendesk|Update in Zendesk|Set its settings again/ }).click();
      await app
        .getByText(/The sidebar is installed in Zendesk \(1\.0\.0 \([0-9a-f]{12}\)\)\./)
        .first()
        .waitFor({ timeout: 30_000 });
      await app
        .getByText(/Installed in Zendesk on .+ \(1\.0\.0 \([0-9a-f]{12}\)\)\./)
        .first()
        .waitFor({ timeout: 30_000 });
      await shot(page, "13-zendesk-installed");
      expect([...demo.zendesk.installations.values()].map((i) => i.settings.payment_field_id)).toEqual([DEMO.paymentFieldId]);

      // The dispute's ticket carries its payment id in the sidebar's field: the agent sees that payment and its order.
      const disputed = demo.seeded.orders.find((o) => o.key === "disputed")!;
      await agent.goto(demo.zendesk.ticketUrl(disputeTicket.id));
      const sidebar = agent.frameLocator("#app-frame");
      await sidebar.getByText(disputed.name, { exact: false }).first().waitFor({ timeout: 30_000 });
      await sidebar.getByRole("region", { name: "Dispute" }).or(sidebar.getByLabel("Dispute")).first().waitFor({ timeout: 30_000 });
      expect(await sidebar.getByTestId("payment-amount").textContent()).toMatch(/\d/);
      await agent.screenshot({ path: `${SCREENSHOTS}/14-zendesk-dispute-ticket.png`, fullPage: true, animations: "disabled" });
    } finally {
      await agent.close();
    }
  });
});
