// @vitest-environment jsdom
// Home as a merchant sees it (Polaris in jsdom, Remix's hooks replaced by test data): the warning that
// disputes need evidence within the reminder's lead time, with the nearest deadline in the shop's time
// zone (UTC when unknown) and a link to the disputes list; nothing when none is due; the setup checklist; the import from Checkout.com.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";
import { ShopTimeZoneProvider } from "../ui/format";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { default: Home } = await import("./app._index");

const figures = { payments: 0, held: 0, openDisputes: 0, disputesDueSoon: 0, pendingEvents: 0, deadEvents: 0 };
const loaderData = (evidenceDue: { count: number; nearest: string | null; hours: number }) => ({
  shop: "home.myshopify.com",
  connection: null,
  figures,
  dueSoon: [],
  unmatched: 0,
  evidenceDue,
  setup: [] as Array<{ id: string; title: string; done: boolean; detail: string; url: string | null }>,
  now: "2026-12-01T08:00:00.000Z",
});

afterEach(cleanup);

describe("Home", () => {
  it("warns how many disputes need evidence within the lead time, when the nearest is due, and links to them", () => {
    remix.loaderData = loaderData({ count: 2, nearest: "2026-12-02T14:05:00.000Z", hours: 72 });
    renderPage(<Home />);
    expect(screen.getByText("2 disputes need evidence within 72 hours")).toBeTruthy();
    expect(screen.getByText(/The nearest deadline is 2 Dec 2026, 14:05 UTC\./)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Open disputes" }).getAttribute("href")).toBe("/app/disputes");
  });

  it("gives the deadline in the shop's time zone, which the layout provides", () => {
    remix.loaderData = loaderData({ count: 2, nearest: "2026-12-02T04:05:00.000Z", hours: 72 });
    renderPage(
      <ShopTimeZoneProvider timeZone="America/New_York">
        <Home />
      </ShopTimeZoneProvider>,
    );
    // 04:05 UTC on the 2nd is still the 1st in New York.
    expect(screen.getByText(/The nearest deadline is 1 Dec 2026, 23:05 UTC-05:00\./)).toBeTruthy();
  });

  it("says it in the singular for one dispute, and shows nothing when none is due", () => {
    remix.loaderData = loaderData({ count: 1, nearest: "2026-12-01T09:00:00.000Z", hours: 1 });
    renderPage(<Home />);
    expect(screen.getByText("1 dispute needs evidence within 1 hour")).toBeTruthy();
    cleanup();

    remix.loaderData = loaderData({ count: 0, nearest: null, hours: 72 });
    renderPage(<Home />);
    expect(screen.queryByText(/need(s)? evidence within/)).toBeNull();
  });

  it("shows the setup checklist with what is done and a way to each step left, and hides it once all are done", () => {
    const step = (id: string, title: string, done: boolean, url: string | null) => ({ id, title, done, detail: `${title}: detail`, url });
    const steps = [
      step("checkout", "Connect Checkout.com", true, "/app/settings"),
      step("webhooks", "Receive payment events", true, "/app/settings"),
      step("rules", "Review the risk rules", false, "/app/rules"),
      step("order_block", "Add the block to the order page", false, null),
    ];
    remix.loaderData = { ...loaderData({ count: 0, nearest: null, hours: 72 }), setup: steps };
    renderPage(<Home />);
    expect(screen.getByText("2 of 4 done")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Review the risk rules" }).getAttribute("href")).toBe("/app/rules");
    expect(screen.queryByRole("link", { name: "Connect Checkout.com" })).toBeNull();
    expect(screen.getByText("Add the block to the order page: detail")).toBeTruthy();
    cleanup();

    remix.loaderData = { ...loaderData({ count: 0, nearest: null, hours: 72 }), setup: steps.map((s) => ({ ...s, done: true })) };
    renderPage(<Home />);
    expect(screen.queryByText("Set up the app")).toBeNull();
  });

  it("shows the import from Checkout.com while it runs, when it is done, and when it stopped, with a retry for admins", () => {
    const home = (checkoutImport: unknown, canRetryImport = true) => {
      cleanup();
      remix.loaderData = { ...loaderData({ count: 0, nearest: null, hours: 72 }), checkoutImport, canRetryImport };
      renderPage(<Home />);
    };
    const found = { disputesFound: 3, paymentsFound: 41 };
    home({ state: "running", phase: "payments", waitingForOrders: false, page: 2, pages: 13, ...found, lastError: null });
    expect(screen.getByText("Importing from Checkout.com: 3 open disputes, 41 payments found.")).toBeTruthy();
    expect(screen.getByText("Finding the payments of your orders of the last 30 days (page 2 of 13).")).toBeTruthy();

    home({ state: "running", phase: "payments", waitingForOrders: true, page: 1, pages: null, disputesFound: 1, paymentsFound: 0, lastError: null });
    expect(screen.getByText("Importing from Checkout.com: 1 open dispute, 0 payments found.")).toBeTruthy();
    expect(screen.getByText("Waiting for your recent Shopify orders to be read first.")).toBeTruthy();

    home({ state: "done", ...found, finishedAt: "2026-12-03T10:00:00.000Z" });
    expect(screen.getByText(/^Imported on 3 Dec 2026: 3 open disputes and 41 payments from before the app was connected\.$/)).toBeTruthy();

    home({ state: "failed", phase: "payments", ...found, error: "Checkout.com refused the secret key." });
    expect(screen.getByText("The import from Checkout.com stopped")).toBeTruthy();
    expect(screen.getByText("Checkout.com refused the secret key.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Retry" })).toBeTruthy();
    home({ state: "failed", phase: "payments", ...found, error: "Checkout.com refused the secret key." }, false);
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
  });
});
