// @vitest-environment jsdom
// The Plan page as staff see it (Polaris in jsdom, Remix's hooks replaced by test data): the plan and
// this month's holds against its limit, the plans side by side, and the buttons only for admins and
// never on the development plan.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { default: PlanPage } = await import("./app.plan");
const { HoldLimitBanner } = await import("../billing/ui/hold-limit-banner");

const loaded = (overrides: Record<string, unknown> = {}) => ({
  plan: "free",
  test: false,
  currentPeriodEnd: null,
  holds: { used: 50, limit: 50, since: "2026-12-01T00:00:00.000Z" },
  role: "admin",
  testCharges: true,
  ...overrides,
});

/** The page's text with Intl's no-break spaces ("29 $", "99 $US") as plain ones. */
const text = (container: HTMLElement) => container.textContent?.replace(/[\u00a0\u202f]/g, " ") ?? "";

const buttons = () => screen.queryAllByRole("button").map((b) => b.textContent);

afterEach(cleanup);

describe("Plan page", () => {
  it("shows a Free shop its holds against the limit, and an admin the plans to choose", () => {
    remix.loaderData = loaded();
    renderPage(<PlanPage />);
    expect(screen.getByText("Orders held since 1 Dec 2026 (UTC): 50 of 50")).toBeTruthy();
    expect(screen.getByText(/The limit is reached/)).toBeTruthy();
    expect(screen.getByText("Risk holds on fulfillment: up to 50 orders a month")).toBeTruthy();
    expect(screen.getByText(/test charges here/)).toBeTruthy();
    expect(buttons()).toEqual(["Current plan", "Choose Growth", "Choose Plus"]);
  });

  it("offers a paying shop's admin the way back to Free", () => {
    remix.loaderData = loaded({
      plan: "plus",
      test: true,
      currentPeriodEnd: "2027-01-04T10:00:00.000Z",
      holds: { used: 80, limit: null, since: "2026-12-01T00:00:00.000Z" },
    });
    renderPage(<PlanPage />);
    expect(screen.getByText("Test charge")).toBeTruthy();
    expect(screen.getByText("$99 every 30 days, renews 4 Jan 2027.")).toBeTruthy();
    expect(screen.getByText("Orders held since 1 Dec 2026 (UTC): 80 (no limit)")).toBeTruthy();
    expect(buttons()).toEqual(["Downgrade to Free", "Choose Growth", "Current plan"]);
  });

  it("shows no buttons to a viewer, nor on the development plan", () => {
    remix.loaderData = loaded({ role: "viewer" });
    renderPage(<PlanPage />);
    expect(buttons()).toEqual([]);
    expect(screen.getByText("Only store admins can change the plan.")).toBeTruthy();
    cleanup();

    remix.loaderData = loaded({ plan: "development", holds: { used: 3, limit: null, since: "2026-12-01T00:00:00.000Z" } });
    renderPage(<PlanPage />);
    expect(buttons()).toEqual([]);
    expect(screen.getByText("The development plan includes everything at no charge.")).toBeTruthy();
  });

  it("shows the answer to a change", () => {
    remix.loaderData = loaded({ plan: "growth" });
    remix.actionData = { ok: false, message: "Shopify did not start the Plus subscription: price is invalid" };
    renderPage(<PlanPage />);
    expect(screen.getByText("Shopify did not start the Plus subscription: price is invalid")).toBeTruthy();
    remix.actionData = undefined;
  });

  it("speaks German: the usage, the features, the buttons and prices as German writes dollars", () => {
    remix.loaderData = loaded();
    const { container } = renderPage(<PlanPage />, "de");
    expect(screen.getByText("Seit 1. Dez. 2026 (UTC) gesperrte Bestellungen: 50 von 50")).toBeTruthy();
    expect(screen.getByText(/Das Limit ist erreicht/)).toBeTruthy();
    expect(screen.getByText("Risikosperren für die Ausführung: bis zu 50 Bestellungen pro Monat")).toBeTruthy();
    expect(text(container)).toContain("29 $ alle 30 Tage");
    expect(buttons()).toEqual(["Aktueller Tarif", "Growth wählen", "Plus wählen"]);
    cleanup();

    remix.loaderData = loaded({
      plan: "plus",
      currentPeriodEnd: "2027-01-04T10:00:00.000Z",
      holds: { used: 80, limit: null, since: "2026-12-01T00:00:00.000Z" },
    });
    const french = renderPage(<PlanPage />, "fr");
    expect(text(french.container)).toContain("99 $US tous les 30 jours, renouvelé le 4 janv. 2027.");
    expect(screen.getByText("Commandes bloquées depuis le 1 déc. 2026 (UTC) : 80 (sans limite)")).toBeTruthy();
    expect(buttons()).toEqual(["Revenir au forfait Free", "Choisir Growth", "Forfait actuel"]);
  });

  it("names the plan in the review queue's limit banner in the staff member's language", () => {
    const { container } = renderPage(<HoldLimitBanner usage={{ planName: "Free", used: 50, limit: 50 }} />, "fr");
    expect(container.textContent).toContain("Forfait Free : 50 blocages sur 50 utilisés ce mois-ci");
    expect(screen.getByRole("link", { name: "Voir les forfaits" })).toBeTruthy();
  });
});
