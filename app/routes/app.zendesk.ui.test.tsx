// @vitest-environment jsdom
// The Zendesk settings page as the merchant sees it (Polaris in jsdom, Remix's hooks replaced by test
// data): a new secret shown once with the steps, the rest only as last 4, and the forms' fields.
import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";

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
  ...overrides,
});

function show(loaderData: unknown, actionData?: unknown, locale?: "en" | "fr" | "de") {
  remix.loaderData = loaderData;
  remix.actionData = actionData;
  return renderPage(<ZendeskSettings />, locale);
}

afterEach(() => cleanup());

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
    expect(banner.textContent).toContain("SHOPIFY_APP_URL=https://app.example.com npm run zendesk:package");

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
    expect(container.textContent).toContain("Erstellen Sie die Zendesk-App: SHOPIFY_APP_URL=https://app.example.com npm run zendesk:package schreibt");
    expect(screen.getAllByRole("button", { name: "Widerrufen" })).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Limit für EUR entfernen" })).toBeTruthy();
    expect(container.textContent).not.toMatch(/Connect a Zendesk account|shared secret ends in|Revoke\b/);
  });
});
