// Money moves through Shopify, seen in the browser on the demo: a support agent refunds part of an
// order from the Zendesk sidebar, and the order in the local Shopify admin shows the refund; a fraud
// reviewer cancels a held order from the review queue, and the order shows canceled, voided and
// restocked. Screenshots go to test-results/e2e.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type Demo } from "../demo/demo";
import { launchBrowser, newPage, shot } from "./browser";

let demo: Demo;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  demo = await startDemo({ dataDir: `/tmp/cko-e2e-money-${process.pid}` });
  browser = await launchBrowser();
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

const store = () => demo.shop.replace(/\.myshopify\.com$/, "");
const orderPage = (orderId: string) => `${demo.admin.adminUrl}/store/${store()}/orders/${orderId.split("/").pop()}`;

describe("money through Shopify, in the browser", () => {
  it("a partial refund from the Zendesk sidebar shows on the order in the Shopify admin", async () => {
    const order = demo.seeded.orders.find((o) => o.key === "captured")!;
    await page.goto(demo.zendeskUrl);
    const sidebar = page.frameLocator("#app-frame");
    await sidebar.getByRole("button", { name: "Refund", exact: true }).click({ timeout: 30_000 });
    await expect.poll(() => sidebar.getByTestId("money-path").textContent(), { timeout: 20_000 }).toContain(`Goes through Shopify order ${order.name}`);
    await sidebar.getByLabel(/Amount/).fill("10.00");
    await sidebar.getByLabel("Reason").selectOption("Item damaged or not as described");
    await sidebar.getByRole("button", { name: "Review refund" }).click();
    await shot(page, "money-01-zendesk-confirm");
    // The agent's Zendesk is in US English: the sidebar writes amounts as they do.
    const tenInTheirWords = new Intl.NumberFormat("en-US", { style: "currency", currency: order.currency }).format(10);
    await sidebar.getByRole("button", { name: `Refund ${tenInTheirWords}` }).click();
    const note = page.locator("#conversation .comment.internal");
    await expect.poll(() => note.textContent(), { timeout: 30_000 }).toContain(`Made through Shopify order ${order.name}`);
    await shot(page, "money-02-zendesk-refunded");

    // Shopify's payments app carried it out once at Checkout.com.
    await demo.shopify.paymentsAppIdle();
    expect((await demo.shopify.paymentsAppCalls(order.id)).filter((c) => c.kind === "REFUND")).toHaveLength(1);

    await page.goto(orderPage(order.id));
    await expect.poll(() => page.locator('[data-status="PARTIALLY_REFUNDED"]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const refund = page.locator("[data-refund]");
    await expect(refund.count()).resolves.toBe(1);
    // Amounts as Shopify writes decimals ("10.0").
    expect(await refund.textContent()).toMatch(new RegExp(`10\\.0 ${order.currency} Success`));
    expect(await refund.textContent()).toMatch(/Item damaged or not as described/);
    await shot(page, "money-03-shopify-order-refunded");
  });

  it("cancelling a held order from the review queue cancels, voids and restocks it in Shopify", async () => {
    const order = demo.seeded.orders.find((o) => o.key === "risky")!;
    await page.goto(demo.admin.appPageUrl(demo.shop, "/app/holds"));
    const app = page.frameLocator("#app");
    await app.getByRole("link", { name: order.name }).click({ timeout: 60_000 });
    await app.getByRole("button", { name: "Cancel order…" }).click({ timeout: 30_000 });
    await app
      .getByText(`Cancel ${order.name} in Shopify (reason: fraud). Shopify will void the payment through Checkout.com`, { exact: false })
      .waitFor({ timeout: 30_000 });
    expect(await app.getByLabel("Restock items that have not shipped").isChecked()).toBe(true);
    await shot(page, "money-04-cancel-confirm");
    await app.getByRole("button", { name: "Cancel order and void" }).click();
    await app.getByText(`Order ${order.name} canceled. Shopify voids the authorisation`, { exact: false }).first().waitFor({ timeout: 30_000 });
    await shot(page, "money-05-canceled");

    await demo.shopify.paymentsAppIdle();
    const after = (await demo.shopify.order(order.id))!;
    expect(after.cancelReason).toBe("FRAUD");
    expect(after.transactions.filter((t) => t.kind === "VOID").map((t) => t.status)).toEqual(["SUCCESS"]);
    expect(
      (await demo.shopify.inventory(demo.shop, "HP-900")).entries
        .filter((e) => e.reason === "restock" && e.orderId === order.id)
        .reduce((s, e) => s + e.delta, 0),
    ).toBe(2);

    await page.goto(orderPage(order.id));
    await page.locator("#cancellation").waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-status="VOIDED"]').count()).toBeGreaterThan(0);
    expect(await page.locator("#cancellation").textContent()).toMatch(/fraud/i);
    await shot(page, "money-06-shopify-order-canceled");
  });
});
