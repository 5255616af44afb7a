// @vitest-environment jsdom
// The audit log page as staff see it (Polaris in jsdom, Remix's hooks replaced by test data): the
// entries with their time in the staff member's language, the outcome, and the filters.
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => ({
  ...remixHooks(await original(), remix),
  useSearchParams: () => [new URLSearchParams(), () => {}],
}));

const { default: AuditLog } = await import("./app.audit._index");

const entry = (overrides: Record<string, unknown> = {}) => ({
  id: "a1",
  at: "2026-12-01T10:05:00.000Z",
  actor: "Kim Finance <kim@example.com>",
  source: "admin",
  action: "payment.refund",
  result: "ok",
  error: null,
  orderGid: "gid://shopify/Order/6000000102",
  paymentId: "p1",
  disputeId: null,
  ...overrides,
});

const table = () => within(screen.getByRole("table"));

const loaded = (entries: unknown[], page = 1, hasNext = false) => ({ entries, hasNext, actions: ["hold.release", "payment.refund"], filters: { page } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("Audit log page", () => {
  it("lists who did what and how it ended", () => {
    remix.loaderData = loaded([
      entry(),
      entry({ id: "a2", at: "2026-11-30T23:00:00.000Z", source: "system", action: "hold.release", result: "error", error: "Shopify refused", orderGid: null }),
    ]);
    const { container } = renderPage(<AuditLog />);
    expect(screen.getByText("1 Dec 2026, 10:05 UTC")).toBeTruthy();
    expect(screen.getByText("30 Nov 2026, 23:00 UTC")).toBeTruthy();
    expect(screen.getByRole("link", { name: "payment.refund" })).toBeTruthy();
    expect(table().getByText("Done")).toBeTruthy();
    expect(table().getByText("Failed: Shopify refused")).toBeTruthy();
    expect(container.textContent).toContain("(system)");
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeTruthy();
  });

  it("speaks German: headings, outcomes, sources, filters, dates and pages", () => {
    remix.loaderData = loaded(
      [
        entry(),
        entry({
          id: "a2",
          at: "2026-11-30T23:00:00.000Z",
          source: "system",
          action: "hold.release",
          result: "error",
          error: "Shopify refused",
          orderGid: null,
        }),
      ],
      2,
      true,
    );
    const { container } = renderPage(<AuditLog />, "de");
    expect(screen.getByText("1. Dez. 2026, 10:05 UTC")).toBeTruthy();
    expect(table().getByText("Erledigt")).toBeTruthy();
    // The recorded error stays as it was recorded.
    expect(table().getByText("Fehlgeschlagen: Shopify refused")).toBeTruthy();
    expect(container.textContent).toContain("(System)");
    expect(screen.getByRole("button", { name: "Als CSV exportieren" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Filter anwenden" })).toBeTruthy();
    expect(screen.getByLabelText("Ergebnis")).toBeTruthy();
    expect(screen.getByRole("option", { name: "Fehlgeschlagen oder abgelehnt" })).toBeTruthy();
    expect(screen.getByRole("option", { name: "Alle Aktionen" })).toBeTruthy();
    expect(screen.getByText("Seite 2")).toBeTruthy();
  });

  it("says when there is nothing, and why an export failed, in French", async () => {
    remix.loaderData = loaded([]);
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("", { status: 500 })),
    );
    renderPage(<AuditLog />, "fr");
    expect(screen.getByText("Rien pour l'instant")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Journal d'audit" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Exporter en CSV" }));
    expect(await screen.findByText("Le fichier n'a pas pu être téléchargé (500).")).toBeTruthy();
  });
});
