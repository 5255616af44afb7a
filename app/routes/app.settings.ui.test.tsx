// @vitest-environment jsdom
// Settings as a merchant sees it, in their language (Polaris in jsdom, Remix's hooks replaced by test
// data): the environments, the connection form and its test, the webhook, staff roles and data retention.
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";
import type { ConnectionSummary } from "../checkout/connection.server";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => ({
  ...remixHooks(await original(), remix),
  useSearchParams: () => [new URLSearchParams(), () => {}],
}));

const { default: Settings } = await import("./app.settings");
const { EnvironmentBadge } = await import("../checkout/ui/environment-badge");

const sandbox: ConnectionSummary = {
  accountType: "NAS",
  environment: "sandbox",
  subdomain: "abcd1234",
  active: true,
  processingChannelIds: [],
  entityIds: [],
  disconnectedAt: null,
  secretKeyLast4: "9x2z",
  signatureKeyLast4: null,
  authorizationLast4: null,
  previousWebhookKey: { last4: "k7q1", until: "2026-12-10T09:05:00.000Z" },
  endpointId: "ep_1",
  lastTestedAt: "2026-12-01T08:00:00.000Z",
  lastTestOk: true,
  lastTestMessage: null,
};

const loaderData = {
  environment: "sandbox",
  connections: { sandbox, production: null },
  workflow: {
    status: "registered",
    message: null,
    workflowId: "wf_abc",
    syncedAt: "2026-12-02T10:30:00.000Z",
    lastEvent: null,
    canSendTest: true,
  },
  webhookUrl: "https://app.example.com/webhooks/checkout/ep_1",
  eventTypes: ["payment_captured"],
  canEdit: true,
  retention: {
    payloadRetentionDays: 30,
    jobRetentionDays: 30,
    auditRetentionDays: 365,
    evidenceDaysAfterClose: 90,
    limits: {
      payloadRetentionDays: { min: 7, max: 365 },
      jobRetentionDays: { min: 7, max: 365 },
      auditRetentionDays: { min: 90, max: 3650 },
    },
    lastRun: { at: "2026-12-05T00:00:04.000Z", counts: { eventPayloads: 1, jobsShrunk: 0, jobsDeleted: 4, auditEntries: 0, evidenceFiles: 0 } },
  },
  roles: {
    defaultRole: "reviewer",
    staff: [
      { userId: "1", name: "Ana Owner", email: "ana@example.com", owner: true, role: "admin", assigned: false },
      { userId: "2", name: "Ben Staff", email: "ben@example.com", owner: false, role: "reviewer", assigned: false },
    ],
  },
  agents: { mcpUrl: "https://app.example.com/mcp", currency: "EUR", planRefused: null, tokens: [] },
};

afterEach(() => cleanup());

describe("Settings", () => {
  it("reads in English as before", () => {
    remix.loaderData = loaderData;
    const { container } = renderPage(<Settings />);
    expect(screen.getByText("Staff and roles")).toBeTruthy();
    expect(container.textContent).toContain("Calls Checkout.com with the stored sandbox key.");
    expect(container.textContent).toContain("Reviewer: Also releases holds, keeps deny lists and drafts dispute evidence.");
    expect(screen.getByText("Store owner: Admin")).toBeTruthy();
    expect(screen.getAllByRole("tab", { name: "Production" }).length).toBeGreaterThan(0);
    expect(screen.getByText("Workflow wf_abc, updated 2 Dec 2026, 10:30 UTC")).toBeTruthy();
  });

  it("speaks French: sections, environments, connection, webhook, roles and retention, with French dates", () => {
    remix.loaderData = loaderData;
    const { container } = renderPage(<Settings />, "fr");
    expect(screen.getByText("Paramètres")).toBeTruthy();
    expect(screen.getByText("Membres du personnel et rôles")).toBeTruthy();
    expect(screen.getAllByRole("tab", { name: "Production" }).length).toBeGreaterThan(0);
    expect(screen.getAllByText("Actif").length).toBeGreaterThan(0);
    expect(screen.getByText("Non configuré")).toBeTruthy();
    expect(container.textContent).toContain("Appelle Checkout.com avec la clé sandbox enregistrée.");
    expect(screen.getByText("Fonctionne")).toBeTruthy();
    expect(screen.getByLabelText("Clé secrète")).toBeTruthy();
    expect(container.textContent).toContain("Enregistrée (se termine par 9x2z). Laissez vide pour la conserver.");
    expect(container.textContent).toContain("restent acceptées jusqu'au 10 déc. 2026, 09:05 UTC");
    expect(screen.getByText("Workflow wf_abc, mis à jour le 2 déc. 2026, 10:30 UTC")).toBeTruthy();
    expect(screen.getByText("Dernier événement reçu : aucun pour l'instant")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Envoyer un événement de test" })).toBeTruthy();
    expect(container.textContent).toContain("Analyste : Libère aussi les blocages");
    expect(screen.getByText("Propriétaire de la boutique : Administrateur")).toBeTruthy();
    expect(screen.getByRole("option", { name: "Par défaut (Analyste)" })).toBeTruthy();
    expect(screen.getByLabelText("Journal d'audit")).toBeTruthy();
    expect(container.textContent).toContain("De 90 à 3650 jours.");
    expect(container.textContent).toContain("Dernière exécution le 5 déc. 2026, 00:00 UTC : 1 contenu de webhook vidé, 4 exécutions planifiées supprimées.");
    expect(container.textContent).not.toContain("Staff and roles");
  });

  it("speaks German, with the action's answer in the section it belongs to", () => {
    remix.loaderData = {
      ...loaderData,
      environment: "production",
      webhookUrl: null,
      connections: { sandbox: { ...sandbox, active: false }, production: null },
    };
    remix.actionData = { intent: "retention", ok: true, message: "Datenaufbewahrung gespeichert.", fieldErrors: {} };
    const { container } = renderPage(<Settings />, "de");
    remix.actionData = undefined;
    expect(screen.getByText("Einstellungen")).toBeTruthy();
    expect(container.textContent).toContain("Ruft Checkout.com mit dem gespeicherten Produktionsschlüssel auf.");
    expect(screen.getByText("Speichern Sie Ihre Schlüssel, um die Verbindung zu testen.")).toBeTruthy();
    expect(screen.getByText("Speichern Sie die Verbindung: Die App registriert dann ihren Webhook bei Checkout.com.")).toBeTruthy();
    expect(screen.getByText("Gespeichert, nicht aktiv")).toBeTruthy();
    expect(screen.getAllByRole("tab", { name: "Produktion" }).length).toBeGreaterThan(0);
    expect(screen.getByText("Datenaufbewahrung gespeichert.")).toBeTruthy();
    expect(screen.getByText("Shop-Inhaber: Administrator")).toBeTruthy();
    expect(container.textContent).toContain("Letzter Lauf am 5. Dez. 2026, 00:00 UTC: 1 Webhook-Inhalt geleert, 4 geplante Läufe gelöscht.");
    expect(screen.getByRole("button", { name: "Datenaufbewahrung speichern" })).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Sandbox aktivieren" }));
    expect(screen.getByText("Sandbox aktivieren?")).toBeTruthy();
    expect(screen.getByText(/^Testzahlungen wirken sich dann auf Bestellungen aus/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Wechseln" })).toBeTruthy();
  });

  it("shows a disconnected environment asking for its keys again, with the disconnect's answer above the environments", () => {
    const disconnected = {
      ...sandbox,
      active: false,
      disconnectedAt: "2026-12-04T10:00:00.000Z",
      secretKeyLast4: "",
      previousWebhookKey: null,
      lastTestedAt: null,
      lastTestOk: null,
    };
    remix.loaderData = { ...loaderData, webhookUrl: null, connections: { sandbox: disconnected, production: null } };
    const answer = "Sandbox disconnected: its keys were forgotten, and the events already received stay.";
    remix.actionData = { intent: "disconnect", ok: true, message: answer };
    renderPage(<Settings />);
    remix.actionData = undefined;
    expect(screen.getByText(answer)).toBeTruthy();
    expect(screen.getByText("Disconnected")).toBeTruthy();
    expect(screen.getByText("Disconnected on 4 Dec 2026, 10:00 UTC")).toBeTruthy();
    expect(screen.getByText("Enter the secret key and save to connect this environment again: the app registers its webhook anew.")).toBeTruthy();
    expect(screen.getByText("Save your keys to test the connection.")).toBeTruthy();
    expect(screen.getByText("Save the connection: the app then registers its webhook with Checkout.com.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Disconnect/ })).toBeNull();
  });

  it("names the environment above every page in the staff member's language", () => {
    renderPage(<EnvironmentBadge environment="sandbox" />, "de");
    expect(screen.getByText("Checkout.com: Sandbox (Testzahlungen)").closest("a")?.getAttribute("href")).toBe("/app/settings");
    cleanup();
    renderPage(<EnvironmentBadge environment="production" />, "fr");
    expect(screen.getByText("Checkout.com : production")).toBeTruthy();
  });
});
