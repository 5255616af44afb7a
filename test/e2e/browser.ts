// Chromium for browser tests: Debian's /usr/bin/chromium through playwright-core, with the flags that
// keep it off the network, and a normal Chrome user agent (shopify-app-remix answers bots with 410).
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const SCREENSHOTS = path.resolve(__dirname, "../../test-results/e2e");

export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A page as a merchant's browser would open it; `locale` and `timezoneId` default to the machine's. */
export async function newPage(browser: Browser, viewport = { width: 1400, height: 900 }, place: { locale?: string; timezoneId?: string } = {}): Promise<Page> {
  const page = await browser.newPage({
    viewport,
    ...place,
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
  });
  // Nothing may leave this machine: any request off loopback fails the test that made it.
  await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
  return page;
}

export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
