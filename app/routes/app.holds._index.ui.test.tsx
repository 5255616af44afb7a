// @vitest-environment jsdom
// The review queue in the staff member's language (Polaris in jsdom, Remix's hooks replaced by test
// data): the banners, filters, table and bulk confirmation in German and French, amounts and totals as
// their readers write them.
import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";
import { confirmation } from "../holds/ui/hold-queue-table";
import { createI18n } from "../i18n/i18n";
import { formatMoneyIn, formatTotals } from "../lib/money";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => ({
  ...remixHooks(await original(), remix),
  useSearchParams: () => [new URLSearchParams(), () => {}],
}));

const { default: HoldsQueue } = await import("./app.holds._index");

/** Testing Library reads text with its spaces collapsed: a no-break space as a space. */
const seen = (text: string) => text.replace(/\s+/g, " ");

afterEach(() => {
  cleanup();
  remix.actionData = undefined;
});

const row = (id: string, orderName: string, amountMinor: number, currency: string, extra: Record<string, unknown> = {}) => ({
  id,
  status: "held",
  orderName,
  orderUrl: `shopify:admin/orders/${id}`,
  amountMinor,
  currency,
  assignee: null,
  assignedToMe: false,
  orderedAt: "2026-03-02T09:05:00.000Z",
  shipBy: null,
  customer: "Ana Lima",
  email: "ana@example.com",
  riskScore: 82,
  rules: ["flagged", "risk_score"],
  weakMatch: false,
  decidedAt: "2026-03-02T09:06:00.000Z",
  ...extra,
});

function queue() {
  return {
    total: 2,
    pages: 1,
    holds: [
      row("h-1", "#1001", 106_540, "EUR", { shipBy: "overdue", assignee: "Sam", assignedToMe: true }),
      row("h-2", "#1002", 5_000, "USD", { customer: null, weakMatch: true, status: "monitored", rules: ["velocity_cards"] }),
    ],
    unmatched: 3,
    holdLimit: null,
    dueToShip: { dueSoon: 2, overdue: 1 },
    shipBy: { hours: 48, warningHours: 6 },
    filters: { status: "open", confidence: "any", q: "", sort: "newest", assignee: "any", page: 1 },
    role: "owner",
    statusFilters: ["open", "monitored", "released", "canceled", "all"],
    sorts: ["newest", "oldest", "amount_desc", "amount_asc", "score_desc", "order_age"],
  };
}

describe("review queue", () => {
  it("reads as before in English, amounts in the staff member's format", () => {
    remix.loaderData = queue();
    renderPage(<HoldsQueue />);
    expect(screen.getByText("Risk holds")).toBeTruthy();
    expect(screen.getByText("1 held order is past your ship-by time; 2 are due to ship within 6 hours")).toBeTruthy();
    expect(screen.getByText("3 risky payments have no order")).toBeTruthy();
    expect(screen.getByText("€1,065.40")).toBeTruthy();
    expect(screen.getByText("Sam (you)")).toBeTruthy();
    expect(screen.getByText("Unknown customer")).toBeTruthy();
    expect(screen.getByText("2 holds")).toBeTruthy();
  });

  it("speaks German: banners, filters and table", () => {
    remix.loaderData = queue();
    renderPage(<HoldsQueue />, "de");

    expect(screen.getByRole("heading", { name: "Risikosperren" })).toBeTruthy();
    expect(screen.getByText("1 gesperrte Bestellung hat Ihre Versandfrist überschritten; 2 müssen innerhalb von 6 Stunden versendet werden")).toBeTruthy();
    expect(screen.getByText("3 riskante Zahlungen haben keine Bestellung")).toBeTruthy();
    expect((screen.getByLabelText("Sortieren nach") as HTMLSelectElement).options[5].textContent).toBe(
      "Bestellalter, älteste zuerst (Versandfrist am nächsten)",
    );

    const table = within(screen.getByRole("table"));
    expect(table.getByText(seen("1.065,40 €"))).toBeTruthy();
    expect(table.getByText(seen("50,00 $"))).toBeTruthy();
    expect(table.getByText("Von Checkout.com markiert")).toBeTruthy();
    expect(table.getByText("Versandfrist überschritten")).toBeTruthy();
    expect(table.getByText("Sam (Sie)")).toBeTruthy();
    expect(table.getByText("Unbekannter Kunde")).toBeTruthy();
    expect(table.getByText("Nur Überwachung")).toBeTruthy();
    expect(screen.getByText("2 Sperren")).toBeTruthy();
  });

  it("speaks French", () => {
    remix.loaderData = queue();
    renderPage(<HoldsQueue />, "fr");
    expect(screen.getByRole("heading", { name: "Blocages pour risque" })).toBeTruthy();
    expect(screen.getAllByText("Paiements non associés (3)").length).toBeGreaterThan(0);
    expect(screen.getByText(seen("1 065,40 €"))).toBeTruthy();
    expect(screen.getByText("Association faible")).toBeTruthy();
    expect(screen.getByText("2 blocages")).toBeTruthy();
  });

  // The bulk confirmation, as the modal shows it (jsdom hides Polaris's bulk actions behind a popover it cannot open).
  it("confirms a bulk release and cancel in German with the total per currency", () => {
    const t = createI18n("de").getFixedT("de", "holds");
    const totals = (amounts: Array<{ minor: number; currency: string }>) => formatTotals(amounts, (minor, currency) => formatMoneyIn("de", minor, currency));
    const rows = queue().holds as Parameters<typeof confirmation>[1];
    const release = confirmation("release", rows, t, totals);
    expect(release.title).toBe("2 Sperren freigeben?");
    expect(seen(release.paragraphs[0])).toMatch(/^2 Bestellungen im Wert von 1\.065,40 € \+ 50,00 \$ können dann ausgeführt werden\./);
    const cancel = confirmation("cancel", rows.slice(0, 1), t, totals);
    expect([cancel.title, cancel.confirm]).toEqual(["1 Bestellung stornieren?", "1 Bestellung stornieren"]);
  });
});
