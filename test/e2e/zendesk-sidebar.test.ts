// The built sidebar in the Zendesk stand-in, in Chromium, against the contract fake backend: the real
// ZAF SDK talks to the stand-in's workspace, requests go through its proxy with signed tokens.
// Screenshots go to test-results/. (The end-to-end test against the real app swaps the backend.)
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_DIR } from "../../zendesk-app/scripts/manifest";
import { paymentTimeline, timelineEntry } from "../../zendesk-app/src/testing/fake-backend";
import { startContractBackend, type ContractBackend } from "../standins/zendesk/fake-backend-server";
import { createZendeskStandIn, type ZendeskStandIn } from "../standins/zendesk/server";
import { launchBrowser, newPage } from "./browser";

const SECRET = "e2e-shared-secret-0123456789";
const RESULTS = join(process.cwd(), "test-results");

let assets: string;
let backend: ContractBackend;
let zd: ZendeskStandIn;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  assets = mkdtempSync(join(tmpdir(), "zendesk-sidebar-"));
  await build({ configFile: join(APP_DIR, "vite.config.ts"), logLevel: "silent", build: { outDir: assets } });
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 2, 10, minutes)).toISOString();
  backend = await startContractBackend({
    secret: SECRET,
    timelines: [
      paymentTimeline({
        payment: { riskFlagged: true },
        entries: [
          timelineEntry({ id: "e1", type: "authorized", occurredAt: at(0), amount: 4234, currency: "EUR", summary: "Visa •••• 4242, 3-D Secure passed" }),
          timelineEntry({ id: "e2", type: "flagged", occurredAt: at(1), summary: "Risk score 78 (threshold 70)" }),
          timelineEntry({ id: "e3", type: "held", occurredAt: at(2), summary: "Fulfilment of order #1001 put on hold" }),
          timelineEntry({ id: "e4", type: "released", occurredAt: at(40), summary: "Released by Sam (store admin)", actor: "Sam" }),
          timelineEntry({ id: "e5", type: "captured", occurredAt: at(41), amount: 4234, currency: "EUR" }),
        ],
      }),
    ],
  });
  zd = await createZendeskStandIn({
    appAssetsDir: assets,
    settings: { backend_url: backend.url, shared_secret: SECRET, connection_id: "conn_e2e", payment_field_id: 360001 },
    tickets: [
      {
        id: 7,
        subject: "Charged twice for my order",
        requester: { id: 501, name: "Ada Lovelace", email: "ada@example.com" },
        customFields: { 360001: "pay_captured1" },
        comments: [{ from: "requester", body: "Hello, I see two charges for order #1001. Can you refund one of them?", public: true }],
      },
    ],
  });
  browser = await launchBrowser();
  page = await newPage(browser, { width: 1100, height: 900 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await zd?.close();
  await backend?.close();
  if (assets) rmSync(assets, { recursive: true, force: true });
});

describe("the sidebar in the Zendesk stand-in", () => {
  it("shows the ticket's payment timeline in a 320 px sidebar", async () => {
    await page.goto(zd.ticketUrl(7));
    const app = page.frameLocator("#app-frame");
    await expect.poll(() => app.getByTestId("payment-amount").textContent(), { timeout: 15_000 }).toBe("€42.34");
    await expect.poll(() => app.getByTestId("timeline-entry").count()).toBe(5);
    expect(await page.locator("#app-frame").evaluate((el) => el.getBoundingClientRect().width)).toBe(320);
    // The app asked for its own height: the whole sidebar is visible without an inner scrollbar.
    const sizes = await app.locator("body").evaluate((body) => ({ scroll: body.scrollWidth, client: body.clientWidth }));
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);
    await page.screenshot({ path: join(RESULTS, "zendesk-sidebar.png"), fullPage: true, animations: "disabled" });
    await page.locator("aside.apps").screenshot({ path: join(RESULTS, "zendesk-sidebar-320.png"), animations: "disabled" });
    expect(backend.claims[0]).toMatchObject({ ticket_id: 7, connection_id: "conn_e2e", agent_email: "jane.agent@example.com", subdomain: "acme" });
  });

  it("refunds part of the payment after confirmation and shows the internal note", async () => {
    const app = page.frameLocator("#app-frame");
    await app.getByRole("button", { name: "Refund", exact: true }).click();
    await app.getByLabel(/Amount/).fill("12.34");
    await app.getByLabel("Reason").selectOption("Duplicate charge");
    await app.getByRole("button", { name: "Review refund" }).click();
    await expect.poll(() => app.getByRole("dialog").isVisible()).toBe(true);
    await page.locator("aside.apps").screenshot({ path: join(RESULTS, "zendesk-sidebar-confirm.png"), animations: "disabled" });
    await app.getByRole("button", { name: "Refund €12.34" }).click();

    const note = page.locator("#conversation .comment.internal");
    await expect.poll(() => note.textContent(), { timeout: 15_000 }).toContain("Partial refund of EUR 12.34 (of EUR 42.34 captured)");
    await expect.poll(() => app.getByTestId("refundable").textContent(), { timeout: 15_000 }).toBe("€30.00");
    expect(await app.getByRole("button", { name: "Refund", exact: true }).isEnabled()).toBe(true);
    expect(backend.backend.actions).toMatchObject([{ action: "refund", amount: 1234, currency: "EUR" }]);
    expect(zd.tickets.get(7)!.comments.at(-1)).toMatchObject({ public: false, authorId: 9001 });
    await page.screenshot({ path: join(RESULTS, "zendesk-sidebar-refunded.png"), fullPage: true, animations: "disabled" });
  });
});
