// @vitest-environment jsdom
// The Zendesk settings page as the merchant sees it (Polaris in jsdom, Remix's hooks replaced by test
// data): a new secret shown once with the steps, the rest only as last 4, and the forms' fields.
import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";
import { ShopTimeZoneProvider } from "../ui/format";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { default: ZendeskSettings } = await import("./app.zendesk");

const connection = (overrides: Record<string, unknown> = {}) => ({
  id: "4f9c1b2e-7a55-4c1e-9a61-0b8d2f3e4a5b",
  subdomain: "acme",
  secretLast4: "Zx9Q",
  allowRefunds: true,
  allowVoids: false,
  allowEvidence: true,
  refundCaps: [{ currency: "EUR", amount: "500.00" }],
  createdAt: "2026-11-01T10:00:00.000Z",
  revokedAt: null,
  installed: null,
  ticketFieldId: null,
  ...overrides,
});

/** The dispute tickets card's settings as the loader gives them when they were never saved. */
const disputeTickets = { enabled: false, minAmountsText: "", categories: [], requester: "customer", requesterEmail: null, groupId: null, tagsText: "" };

function show(loaderData: object, actionData?: unknown, locale?: "en" | "fr" | "de") {
  remix.loaderData = { disputeTickets, ...loaderData };
  remix.actionData = actionData;
  return renderPage(<ZendeskSettings />, locale);
}

afterEach(() => cleanup());

const SIDEBAR = "1.0.0 (3f2a9c0b7d1e)";
const connectedAccount = {
  subdomain: "acme",
  authKind: "oauth",
  email: null,
  status: "connected",
  statusDetail: null,
  connectedBy: "Sam",
  connectedAt: "2026-11-01T10:00:00.000Z",
};

describe("the sidebar in Zendesk, per connection", () => {
  it("asks for the Zendesk account before offering to install", () => {
    show({ backendUrl: "https://app.example.com", sidebarVersion: SIDEBAR, account: null, connections: [connection()] });
    expect(screen.getByText("Connect your Zendesk account above to install the sidebar in one click.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Install in Zendesk" })).toBeNull();
    expect(screen.getByRole("button", { name: "Download the app (.zip)" })).toBeTruthy();
  });

  it("installs in one click, says which version is installed and offers a newer one", () => {
    show({ backendUrl: "https://app.example.com", sidebarVersion: SIDEBAR, account: connectedAccount, connections: [connection()] });
    const install = screen.getByRole("button", { name: "Install in Zendesk" });
    expect(install.closest("form")?.querySelector('input[name="intent"]')?.getAttribute("value")).toBe("install");
    cleanup();
    show({
      backendUrl: "https://app.example.com",
      sidebarVersion: SIDEBAR,
      account: connectedAccount,
      connections: [connection({ installed: { version: "1.0.0 (000000000000)", at: "2026-11-02T10:00:00.000Z" } })],
    });
    expect(screen.getByText("A newer sidebar is available: 1.0.0 (3f2a9c0b7d1e).")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Update in Zendesk" })).toBeTruthy();
  });

  it("speaks German", () => {
    show(
      {
        backendUrl: "https://app.example.com",
        sidebarVersion: SIDEBAR,
        account: connectedAccount,
        connections: [connection({ installed: { version: SIDEBAR, at: "2026-11-02T10:00:00.000Z" } })],
      },
      undefined,
      "de",
    );
    expect(screen.getByText(/In Zendesk installiert am .*\(1\.0\.0 \(3f2a9c0b7d1e\)\)\./)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Einstellungen erneut setzen" })).toBeTruthy();
  });
});

describe("Settings > Zendesk", () => {
  it("lists a connection by its last 4, with its permissions as form fields", () => {
    const { container } = show({
      backendUrl: "https://app.example.com",
      currency: "EUR",
      connections: [connection(), connection({ id: "old", subdomain: "legacy", revokedAt: "2026-11-10T10:00:00.000Z" })],
    });
    expect(screen.getByText("acme.zendesk.com")).toBeTruthy();
    expect(container.textContent).toContain("shared secret ends in Zx9Q");
    expect(screen.getByLabelText("Agents may refund from Zendesk")).toHaveProperty("checked", true);
    expect(screen.getByLabelText("Agents may void authorised payments from Zendesk")).toHaveProperty("checked", false);
    expect(container.querySelector('input[name="cap.0.currency"]')).toHaveProperty("value", "EUR");
    expect(container.querySelector('input[name="cap.0.amount"]')).toHaveProperty("value", "500.00");
    // An empty row to add another currency.
    expect(container.querySelector('input[name="cap.1.currency"]')).toHaveProperty("value", "");
    // The checkboxes post "true" under their field names; unchecked ones post nothing (off).
    expect(container.querySelector('input[name="allowRefunds"]')?.getAttribute("value")).toBe("true");
    // A revoked connection has no forms left.
    expect(screen.getAllByRole("button", { name: "Revoke" })).toHaveLength(1);
    expect(screen.getByText("Revoked")).toBeTruthy();
  });

  it("shows a new secret once, with the connection id, the backend URL and the steps", () => {
    const secret = { value: "s3cr3t-value-only-shown-once-0123456789abcd", connection: connection() };
    show(
      { backendUrl: "https://app.example.com", currency: "EUR", connections: [connection()] },
      { intent: "create", ok: true, message: "Connected acme.zendesk.com.", fieldErrors: {}, secret },
    );
    const banner = screen.getByText("Copy the shared secret now: it is shown only once").closest(".Polaris-Banner") as HTMLElement;
    expect(within(banner).getByLabelText("Shared secret")).toHaveProperty("value", secret.value);
    expect(within(banner).getByLabelText("Connection id")).toHaveProperty("value", secret.connection.id);
    expect(within(banner).getByLabelText("Backend URL")).toHaveProperty("value", "https://app.example.com");
    expect(banner.textContent).toContain("Download the app for this shop:");
    expect(banner.textContent).not.toContain("npm");

    cleanup();
    const { container } = show({ backendUrl: "https://app.example.com", currency: "EUR", connections: [connection()] });
    expect(container.textContent).not.toContain(secret.value);
  });

  it("shows a field's error next to it", () => {
    show(
      { backendUrl: "https://app.example.com", currency: "EUR", connections: [] },
      {
        intent: "create",
        ok: false,
        message: "Fix the highlighted field. Nothing was created.",
        fieldErrors: { subdomain: "Use the part before .zendesk.com" },
      },
    );
    expect(screen.getByText("Use the part before .zendesk.com")).toBeTruthy();
    expect(screen.getByText("No Zendesk account is connected yet.")).toBeTruthy();
  });

  it("speaks the staff member's language: German labels, steps and dates", () => {
    const secret = { value: "s3cr3t-value-only-shown-once-0123456789abcd", connection: connection() };
    const { container } = show(
      {
        backendUrl: "https://app.example.com",
        planRefused: null,
        connections: [connection(), connection({ id: "old", subdomain: "legacy", revokedAt: "2026-11-10T10:00:00.000Z" })],
      },
      { intent: "create", ok: true, message: "acme.zendesk.com ist verbunden.", fieldErrors: {}, secret },
      "de",
    );
    expect(screen.getByText("Zendesk-Konto verbinden")).toBeTruthy();
    expect(screen.getByText("Kopieren Sie das gemeinsame Geheimnis jetzt: Es wird nur einmal angezeigt")).toBeTruthy();
    expect(screen.getByLabelText("Gemeinsames Geheimnis")).toHaveProperty("value", secret.value);
    expect(screen.getByLabelText("Support-Mitarbeiter dürfen über Zendesk erstatten")).toHaveProperty("checked", true);
    // The sentences keep their code parts where German puts them, and dates are German.
    expect(container.textContent).toContain(
      "Verbindungs-ID 4f9c1b2e-7a55-4c1e-9a61-0b8d2f3e4a5b · gemeinsames Geheimnis endet auf Zx9Q · verbunden am 1. Nov. 2026",
    );
    expect(container.textContent).toContain("widerrufen am 10. Nov. 2026");
    expect(container.textContent).toContain("Laden Sie die App für diesen Shop herunter:");
    expect(screen.getAllByRole("button", { name: "App herunterladen (.zip)" }).length).toBeGreaterThan(0);
    expect(screen.getAllByRole("button", { name: "Widerrufen" })).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Limit für EUR entfernen" })).toBeTruthy();
    expect(container.textContent).not.toMatch(/Connect a Zendesk account|shared secret ends in|Revoke\b/);
  });

  it("shows, in German and the shop's time zone, until when the previous secret works, its use, and how to stop it now", () => {
    remix.loaderData = {
      disputeTickets,
      backendUrl: "https://app.example.com",
      planRefused: null,
      connections: [connection({ previousSecretExpiresAt: "2026-12-07T09:05:00.000Z", previousSecretUsedAt: "2026-12-06T20:30:00.000Z" })],
    };
    remix.actionData = undefined;
    const { container } = renderPage(
      <ShopTimeZoneProvider timeZone="Europe/Berlin">
        <ZendeskSettings />
      </ShopTimeZoneProvider>,
      "de",
    );
    expect(screen.getByText("Das vorherige Geheimnis funktioniert bis 7. Dez. 2026, 10:05 UTC+01:00")).toBeTruthy();
    expect(container.textContent).toContain("Die Zendesk-App hat am 6. Dez. 2026, 21:30 UTC+01:00 noch eine Anfrage mit dem vorherigen Geheimnis signiert");
    const stop = screen.getByRole("button", { name: "Vorheriges Geheimnis ab sofort nicht mehr akzeptieren" });
    expect(stop.closest("form")?.querySelector('input[name="intent"]')).toHaveProperty("value", "stopPreviousSecret");
    // The rotation's grace: 24 hours unless the merchant picks another, none for a leaked secret.
    const grace = screen.getByLabelText("Das vorherige Geheimnis weiter akzeptieren für") as HTMLSelectElement;
    expect(grace.name).toBe("graceHours");
    expect(grace.value).toBe("24");
    expect([...grace.options].map((o) => o.textContent)).toEqual([
      "Gar nicht: sofort ablehnen (es ist bekannt geworden)",
      "1 Stunde",
      "24 Stunden",
      "72 Stunden",
    ]);
  });

  it("shows no previous secret once it is no longer accepted", () => {
    show({
      backendUrl: "https://app.example.com",
      planRefused: null,
      connections: [connection({ previousSecretExpiresAt: null, previousSecretUsedAt: null })],
    });
    expect(screen.queryByText(/previous secret works until/)).toBeNull();
    expect(screen.queryByRole("button", { name: "Stop accepting the previous secret now" })).toBeNull();
  });
});
