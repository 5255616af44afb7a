// @vitest-environment jsdom
// The Privacy page as an admin sees it (Polaris in jsdom, Remix's hooks replaced by test data): the
// reports with their download buttons (fetched with the session token App Bridge adds, saved as a
// file), the empty state, and what a staff member without the admin role sees instead (the 403).
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, routeError: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { default: Privacy, ErrorBoundary } = await import("./app.privacy");

const report = {
  id: "6d1f0a52-3c0b-4d7e-9a44-1e2f3a4b5c6d",
  requestId: "99",
  customerId: "7001",
  email: "ada.lovelace@example.com",
  payments: 4,
  createdAt: "2026-12-01T10:00:00.000Z",
  expiresAt: "2026-12-31T10:00:00.000Z",
  readable: true,
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("Privacy page", () => {
  it("lists the reports with when they expire, and downloads one through the app's fetch", async () => {
    remix.loaderData = { reports: [report], days: 30 };
    const fetchMock = vi.fn(async () => new Response('{"format":"x"}', { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    URL.createObjectURL = vi.fn(() => "blob:report");
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    renderPage(<Privacy />);
    expect(screen.getByText("ada.lovelace@example.com")).toBeTruthy();
    expect(screen.getByText("7001")).toBeTruthy();
    expect(screen.getByText("31 Dec 2026, 10:00 UTC", { exact: false })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: /Download the report for ada.lovelace@example.com/ }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(fetchMock).toHaveBeenCalledWith(`/app/privacy/${report.id}`);
  });

  it("says when there are no reports", () => {
    remix.loaderData = { reports: [], days: 30 };
    renderPage(<Privacy />);
    expect(screen.getByText("No customer data reports")).toBeTruthy();
  });

  it("tells a staff member without the admin role why the page is refused", () => {
    remix.routeError = {
      status: 403,
      statusText: "Forbidden",
      internal: false,
      data: { ok: false, message: "Your role in this app does not allow this. Ask a store admin for the Admin role." },
    };
    renderPage(<ErrorBoundary />);
    expect(screen.getByText("Only admins can see customer data reports")).toBeTruthy();
    expect(screen.getByText(/Ask a store admin for the Admin role/)).toBeTruthy();
  });

  it("speaks French: the table, the download and what the webhooks do; and German to a refused staff member", async () => {
    remix.loaderData = { reports: [report, { ...report, id: "r2", email: null, customerId: "7002", readable: false }], days: 30 };
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("gone", { status: 404 })),
    );
    const { container } = renderPage(<Privacy />, "fr");
    expect(screen.getAllByText("Identifiant client Shopify").length).toBeGreaterThan(0);
    expect(screen.getAllByText("31 déc. 2026, 10:00 UTC")).toHaveLength(2);
    expect(screen.getByText("Illisible (clé de chiffrement modifiée)")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Télécharger le rapport du client 7002" }).getAttribute("aria-disabled")).toBe("true");
    expect(container.textContent).toContain("Demande de données : un rapport des paiements Checkout.com du client");
    expect(container.textContent).toContain("il est supprimé au bout de 30 jours.");
    expect(screen.getByText("Demande de données").tagName).toBe("STRONG");
    fireEvent.click(screen.getByRole("button", { name: "Télécharger le rapport de ada.lovelace@example.com" }));
    expect(await screen.findByText("Ce rapport a expiré.")).toBeTruthy();
    cleanup();

    remix.routeError = { status: 403, statusText: "Forbidden", internal: false, data: { ok: false, message: "Your role in this app does not allow this." } };
    renderPage(<ErrorBoundary />, "de");
    expect(screen.getByText("Nur Administratoren können Kundendatenberichte sehen")).toBeTruthy();
    expect(screen.getByText("Ihre Rolle in dieser App erlaubt dies nicht. Bitten Sie einen Shop-Administrator um die Rolle Administrator.")).toBeTruthy();
  });
});
