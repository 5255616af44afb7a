// @vitest-environment jsdom
// Home as a merchant sees it (Polaris in jsdom, Remix's hooks replaced by test data): the warning that
// disputes need evidence within the reminder's lead time, with the nearest deadline in the shop's time
// zone (UTC when unknown) and a link to the disputes list; nothing when none is due; the setup checklist; the import from Checkout.com;
// the open reconciliation differences and the last check; and all of it in the staff member's language.
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
  reconciliation: { open: 0, values: [], byKind: [], lastSweep: null },
  payouts: { days: 90, currencies: [] },
  insights: { from: "2026-11-02", to: "2026-12-01", approvalRate: null, declineRate: null, releaseRate: null, disputes: null },
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
    const step = (id: string, detail: string, done: boolean, url: string | null) => ({ id, detail, done, url });
    const steps = [
      step("checkout", "works", true, "/app/settings"),
      step("webhooks", "arriving", true, "/app/settings"),
      step("rules", "todo", false, "/app/rules"),
      step("order_block", "todo", false, null),
    ];
    remix.loaderData = { ...loaderData({ count: 0, nearest: null, hours: 72 }), setup: steps };
    renderPage(<Home />);
    expect(screen.getByText("2 of 4 done")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Review the risk rules" }).getAttribute("href")).toBe("/app/rules");
    expect(screen.queryByRole("link", { name: "Connect Checkout.com" })).toBeNull();
    expect(screen.getByText("Add the block to the order page")).toBeTruthy();
    expect(screen.getByText(/^Open any order in the Shopify admin, click the apps icon/)).toBeTruthy();
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

  it("shows the open reconciliation differences with their value per currency and the last check, linking to them", () => {
    remix.loaderData = {
      ...loaderData({ count: 0, nearest: null, hours: 72 }),
      reconciliation: {
        open: 3,
        values: [
          { currency: "EUR", minor: 4_500, count: 1 },
          { currency: "USD", minor: 1_234, count: 2 },
        ],
        byKind: [],
        lastSweep: { day: "2026-12-01", checked: 42, startedAt: "2026-12-01T03:00:00.000Z", finishedAt: "2026-12-01T03:10:00.000Z" },
      },
    };
    renderPage(<Home />);
    expect(screen.getByText("3 open differences with Checkout.com")).toBeTruthy();
    expect(screen.getByText("€45.00 in 1 difference")).toBeTruthy();
    expect(screen.getByText("$12.34 across 2 differences")).toBeTruthy();
    expect(screen.getByText("Last checked 1 Dec 2026, 03:10 UTC: 42 payments compared.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Review" }).getAttribute("href")).toBe("/app/reconciliation");
    cleanup();

    remix.loaderData = loaderData({ count: 0, nearest: null, hours: 72 });
    renderPage(<Home />);
    expect(screen.getByText("Checkout.com and your orders agree")).toBeTruthy();
    expect(screen.getByText("The daily check has not run yet.")).toBeTruthy();
  });

  it("speaks German to a German staff member: the checklist, the connection, the import with its date, and the figures", () => {
    const steps = [
      { id: "checkout", done: true, detail: "works", url: "/app/settings" },
      { id: "flow", done: false, detail: "on", url: "/app/flow", count: 2 },
      { id: "rules", done: false, detail: "todo", url: "/app/rules" },
    ];
    remix.loaderData = {
      ...loaderData({ count: 0, nearest: null, hours: 72 }),
      connection: { accountType: "NAS", environment: "production", secretKeyLast4: "4f2a", lastTestOk: false, lastTestMessage: null },
      figures: { ...figures, payments: 12_345, held: 3 },
      setup: steps,
      checkoutImport: { state: "done", disputesFound: 1, paymentsFound: 1_204, finishedAt: "2026-12-03T10:00:00.000Z" },
      canRetryImport: true,
    };
    const { container } = renderPage(<Home />, "de");
    expect(screen.getByText("App einrichten")).toBeTruthy();
    expect(screen.getByText("1 von 3 erledigt")).toBeTruthy();
    expect(screen.getByText("Ihre Schlüssel funktionieren.")).toBeTruthy();
    expect(screen.getByText("2 Trigger aktiv.")).toBeTruthy();
    expect(screen.getByText("Prüfen Sie, welche Zahlungen zur Prüfung gesperrt werden, und speichern Sie die Regeln.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Risikoregeln prüfen" }).getAttribute("href")).toBe("/app/rules");
    expect(container.textContent).toContain("NAS · Produktion · Schlüssel endet auf 4f2a");
    expect(screen.getByText("Fehlerhaft")).toBeTruthy();
    expect(screen.getByText("Am 3. Dez. 2026 importiert: 1 offener Streitfall und 1.204 Zahlungen aus der Zeit, bevor die App verbunden wurde.")).toBeTruthy();
    expect(screen.getByText("Zahlungen (30 Tage)")).toBeTruthy();
    expect(screen.getByText("12.345")).toBeTruthy();
    expect(screen.getByText("Gesperrte Bestellungen")).toBeTruthy();
    expect(container.textContent).not.toContain("Payments (30 days)");
  });

  it("speaks French to a French staff member, the Checkout.com banner and a stopped import included", () => {
    remix.loaderData = {
      ...loaderData({ count: 0, nearest: null, hours: 72 }),
      checkoutImport: { state: "failed", phase: "payments", disputesFound: 2, paymentsFound: 0, error: "Checkout.com answered 503" },
      canRetryImport: true,
    };
    renderPage(<Home />, "fr");
    expect(screen.getByText("Connectez votre compte Checkout.com")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Ouvrir les paramètres" }).getAttribute("href")).toBe("/app/settings");
    expect(screen.getByText("L'import depuis Checkout.com s'est arrêté")).toBeTruthy();
    expect(screen.getByText("Résultats jusqu'ici : 2 litiges ouverts et 0 paiement.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Réessayer" })).toBeTruthy();
    expect(screen.getByText("Événements en échec définitif")).toBeTruthy();
  });
});
