// @vitest-environment jsdom
// The Reconciliation and Payouts screens on a plan without payout reconciliation: the plan's refusal and
// the way to the Plan page instead of their content, in the staff member's language.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { default: ReconciliationPage } = await import("../../routes/app.reconciliation._index");
const { default: PayoutsPage } = await import("../../routes/app.payouts._index");

afterEach(() => cleanup());

describe("the plan gate", () => {
  it("shows the refusal and a link to the Plan page instead of the differences", () => {
    const refusal = "Payout reconciliation needs the Plus plan (this shop is on Growth). A store admin can change the plan on the Plan page.";
    remix.loaderData = { planRefused: refusal };
    const { container } = renderPage(<ReconciliationPage />);
    expect(screen.getByText(refusal)).toBeTruthy();
    expect(screen.getByRole("link", { name: "See plans" }).getAttribute("href")).toBe("/app/plan");
    expect(container.textContent).toContain("Differences and payouts recorded before stay");
    expect(screen.queryByLabelText("Status")).toBeNull();
  });

  it("says it in German on the Payouts screen, with no import button", () => {
    remix.loaderData = { planRefused: "Der Abgleich der Auszahlungen erfordert den Tarif Plus." };
    renderPage(<PayoutsPage />, "de");
    expect(screen.getByText("Auszahlungen")).toBeTruthy();
    expect(screen.getByText("Der Abgleich der Auszahlungen erfordert den Tarif Plus.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Tarife ansehen" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: /import/i })).toBeNull();
  });
});
