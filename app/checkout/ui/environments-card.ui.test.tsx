// @vitest-environment jsdom
// Settings → Environments as an admin and a viewer see it: each environment's state, switching and
// disconnecting, each only after a confirmation that says what follows.
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";
import type { ConnectionSummary } from "../connection.server";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, submit: vi.fn() }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { EnvironmentsCard } = await import("./environments-card");

const connection = (overrides: Partial<ConnectionSummary>): ConnectionSummary => ({
  accountType: "NAS",
  environment: "sandbox",
  subdomain: "abcd1234",
  active: true,
  processingChannelIds: [],
  entityIds: [],
  disconnectedAt: null,
  secretKeyLast4: "9x2z",
  signatureKeyLast4: "k7q1",
  authorizationLast4: null,
  previousWebhookKey: null,
  endpointId: "ep_1",
  lastTestedAt: null,
  lastTestOk: null,
  lastTestMessage: null,
  ...overrides,
});

const both = {
  sandbox: connection({}),
  production: connection({ environment: "production", active: false, endpointId: "ep_2" }),
};

beforeEach(() => remix.submit.mockClear());
afterEach(() => cleanup());

describe("the environments card", () => {
  it("lets an admin disconnect an environment once confirmed, saying what it does", () => {
    renderPage(<EnvironmentsCard connections={both} canEdit busy={null} />);
    fireEvent.click(screen.getByRole("button", { name: "Disconnect sandbox" }));
    expect(screen.getByText("Disconnect sandbox?")).toBeTruthy();
    expect(screen.getByText(/^The app deletes its webhook at Checkout.com and forgets the sandbox keys/)).toBeTruthy();
    expect(remix.submit).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Disconnect" }));

    expect(remix.submit).toHaveBeenCalledWith({ intent: "disconnect", environment: "sandbox" }, { method: "post" });
  });

  it("asks nothing of Checkout.com when the confirmation is canceled", () => {
    renderPage(<EnvironmentsCard connections={both} canEdit busy={null} />);
    fireEvent.click(screen.getByRole("button", { name: "Disconnect production" }));
    expect(screen.getByText("Disconnect production?")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(remix.submit).not.toHaveBeenCalled();
  });

  it("shows a viewer the states without a button, and a disconnected environment as such, with nothing to switch to or disconnect", () => {
    renderPage(<EnvironmentsCard connections={both} canEdit={false} busy={null} />);
    expect(screen.queryByRole("button", { name: /Disconnect/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /active/ })).toBeNull();
    cleanup();

    renderPage(
      <EnvironmentsCard
        connections={{ sandbox: both.sandbox, production: { ...both.production, disconnectedAt: "2026-12-04T10:00:00.000Z", secretKeyLast4: "" } }}
        canEdit
        busy={null}
      />,
      "fr",
    );
    expect(screen.getByText("Déconnecté")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Activer la production" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Déconnecter la production" })).toBeNull();
    expect(screen.getByRole("button", { name: "Déconnecter la sandbox" })).toBeTruthy();
  });
});
