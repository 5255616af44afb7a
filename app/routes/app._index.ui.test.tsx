// @vitest-environment jsdom
// Home as a merchant sees it (Polaris in jsdom, Remix's hooks replaced by test data): the warning that
// disputes need evidence within the reminder's lead time, with the nearest deadline in UTC and a link
// to the disputes list; nothing when none is due.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";

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

  it("says it in the singular for one dispute, and shows nothing when none is due", () => {
    remix.loaderData = loaderData({ count: 1, nearest: "2026-12-01T09:00:00.000Z", hours: 1 });
    renderPage(<Home />);
    expect(screen.getByText("1 dispute needs evidence within 1 hour")).toBeTruthy();
    cleanup();

    remix.loaderData = loaderData({ count: 0, nearest: null, hours: 72 });
    renderPage(<Home />);
    expect(screen.queryByText(/need(s)? evidence within/)).toBeNull();
  });
});
