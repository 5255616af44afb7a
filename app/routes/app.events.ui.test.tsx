// @vitest-environment jsdom
// The Events screens in the staff member's language (Polaris in jsdom, Remix's hooks replaced by test
// data): the list with its banners and filters in German, one event in French, dates as their readers
// write them; Checkout.com's event types stay its own names.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => ({
  ...remixHooks(await original(), remix),
  useSearchParams: () => [new URLSearchParams(), () => {}],
}));

const { default: Events } = await import("./app.events._index");
const { default: EventDetail } = await import("./app.events.$id");

afterEach(() => {
  cleanup();
  remix.actionData = undefined;
});

const RECEIVED = "2026-03-02T09:05:00.000Z";
const event = (over: Record<string, unknown> = {}) => ({
  id: "e-1",
  eventId: "evt_1",
  type: "payment_captured",
  status: "processed",
  attempts: 1,
  ckoPaymentId: "pay_1",
  receivedAt: RECEIVED,
  processedAt: RECEIVED,
  nextAttemptAt: RECEIVED,
  lastError: null,
  skipped: null,
  environment: "production",
  known: true,
  ...over,
});

function listData() {
  return {
    events: [
      event(),
      event({ id: "e-2", eventId: "evt_2", type: "payment_teleported", status: "dead", attempts: 5, known: false }),
      event({ id: "e-3", eventId: "evt_3", environment: "sandbox", skipped: "inactive_environment" }),
    ],
    hasNext: false,
    deadCount: 1,
    waitingForShopify: 3,
    filters: { page: 1 },
    redelivery: { available: true, reason: null, maxRangeDays: 31 },
    canRedeliver: true,
  };
}

describe("the Events list", () => {
  it("speaks German: banners counted in German, statuses, scope badges and filters; event types as Checkout.com names them", () => {
    remix.loaderData = listData();
    renderPage(<Events />, "de");
    expect(screen.getByText("Von Checkout.com empfangene Webhook-Ereignisse")).toBeTruthy();
    expect(screen.getByText("3 Folgeaufgaben warten auf den Zugriff auf diesen Shop in Shopify")).toBeTruthy();
    expect(screen.getByText("1 Ereignis konnte nicht verarbeitet werden")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Alle zurückgestellten erneut verarbeiten" })).toBeTruthy();
    expect(screen.getAllByText("Verarbeitet").length).toBeGreaterThan(0);
    expect(screen.getByText("Nicht verarbeitet")).toBeTruthy();
    expect(screen.getByText("Nicht angewendet: inaktive Umgebung")).toBeTruthy();
    expect(screen.getByRole("option", { name: "Von dieser App nicht verarbeitete Typen" })).toBeTruthy();
    expect(screen.getByRole("option", { name: "Zurückgestellt" })).toBeTruthy();
    expect(screen.getAllByText("payment_captured").length).toBeGreaterThan(0);
    expect(screen.getAllByText("2. März 2026, 09:05 UTC").length).toBe(3);
  });

  it("says one of each in French", () => {
    remix.loaderData = { ...listData(), deadCount: 1, waitingForShopify: 1 };
    renderPage(<Events />, "fr");
    expect(screen.getByText("1 tâche de suivi attend l'accès à cette boutique dans Shopify")).toBeTruthy();
    expect(screen.getByText("1 événement n'a pas pu être traité")).toBeTruthy();
    expect(screen.getByText("Non géré")).toBeTruthy();
  });

  it("keeps its English words", () => {
    remix.loaderData = listData();
    renderPage(<Events />);
    expect(screen.getByText("3 follow-up tasks are waiting for access to this shop in Shopify")).toBeTruthy();
    expect(screen.getByText("1 event could not be processed")).toBeTruthy();
    expect(screen.getAllByText("Dead-lettered")).toHaveLength(2);
  });
});

describe("one event", () => {
  it("speaks French: why it gave up, why it did not act, its fields and the replay", () => {
    remix.loaderData = {
      event: event({
        status: "dead",
        attempts: 5,
        lastError: "Order lookup failed",
        skipped: "inactive_environment",
        environment: "sandbox",
        envelope: "NAS",
        paymentRowId: "p-1",
        pretty: "{}",
        payloadRemoved: true,
      }),
    };
    renderPage(<EventDetail />, "fr");
    expect(screen.getByText("Mis de côté")).toBeTruthy();
    expect(screen.getByText("Abandonné après 5 tentatives")).toBeTruthy();
    expect(screen.getByText(/^Il provient de votre compte sandbox \(paiements de test\), qui n'est pas l'environnement actif\./)).toBeTruthy();
    expect(screen.getByText("Reçu")).toBeTruthy();
    expect(screen.getAllByText("2 mars 2026, 09:05 UTC").length).toBeGreaterThan(0);
    expect(screen.getByRole("button", { name: "Relancer" })).toBeTruthy();
    expect(screen.getByText(/^Supprimé par la conservation des données/)).toBeTruthy();
  });

  it("says in German that an event of another entity was kept aside, and why", () => {
    remix.loaderData = { event: event({ skipped: "other_entity", envelope: "NAS", paymentRowId: null, pretty: "{}", payloadRemoved: false }) };
    renderPage(<EventDetail />, "de");
    expect(screen.getByText("Nicht angewendet: andere Entität")).toBeTruthy();
    expect(screen.getByText(/^Es gehört zu einer Entität Ihres Checkout.com-Kontos, die dieser Shop in den Einstellungen nicht aufführt\./)).toBeTruthy();
  });

  it("speaks German about a type it does not handle, and the replay's answer", () => {
    remix.loaderData = { event: event({ known: false, type: "payment_teleported", envelope: null, paymentRowId: null, pretty: "{}", payloadRemoved: false }) };
    remix.actionData = { ok: true, message: "Das Ereignis wird erneut verarbeitet." };
    renderPage(<EventDetail />, "de");
    expect(screen.getByText("Diese App verarbeitet diesen Ereignistyp nicht")).toBeTruthy();
    expect(screen.getByText("Nutzdaten wie empfangen")).toBeTruthy();
    expect(screen.getByText("Das Ereignis wird erneut verarbeitet.")).toBeTruthy();
  });
});
