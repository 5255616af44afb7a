// @vitest-environment jsdom
// The "Zendesk account" card: the ways to connect (OAuth when the operator set it up, else the API token
// only, saying why), a connected account's facts, reconnect when Zendesk refused it, and the OAuth outcome.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { ZendeskAccountCard } = await import("./account-card");

const account = {
  subdomain: "acme",
  authKind: "api_token" as const,
  email: "agent@acme.example",
  status: "connected" as const,
  statusDetail: null,
  connectedBy: "Sam Owner",
  connectedAt: "2026-11-01T10:00:00.000Z",
};

afterEach(() => cleanup());

describe("the Zendesk account card", () => {
  it("offers Connect with Zendesk and, behind a disclosure, the API token", () => {
    const { container } = renderPage(<ZendeskAccountCard account={null} oauthAvailable outcome={null} reply={undefined} busy={null} />);
    expect(screen.getByRole("button", { name: "Connect with Zendesk" })).toBeTruthy();
    expect(container.querySelector('input[name="intent"][value="account.oauth"]')).toBeTruthy();
    expect(screen.getByRole("button", { name: "Use an API token instead" }).getAttribute("aria-expanded")).toBe("false");
  });

  it("offers only the API token, and says why, when OAuth is not set up", () => {
    const { container } = renderPage(<ZendeskAccountCard account={null} oauthAvailable={false} outcome={null} reply={undefined} busy={null} />);
    expect(screen.queryByRole("button", { name: "Connect with Zendesk" })).toBeNull();
    expect(container.textContent).toContain("has not configured a Zendesk OAuth client");
    expect(screen.getByLabelText("API token")).toHaveProperty("type", "password");
    expect(container.querySelector('input[name="subdomain"]')).toBeTruthy();
  });

  it("shows a connected account's facts and Disconnect; asks to reconnect when Zendesk refused it", () => {
    const { container } = renderPage(<ZendeskAccountCard account={account} oauthAvailable outcome={null} reply={undefined} busy={null} />);
    expect(container.textContent).toContain("acme.zendesk.com · API token of agent@acme.example · connected by Sam Owner on");
    expect(screen.getByText("Connected")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Disconnect" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Connect with Zendesk" })).toBeNull();

    cleanup();
    const refused = { ...account, authKind: "oauth" as const, status: "needs_reauth" as const, statusDetail: "Zendesk refused the OAuth token." };
    const german = renderPage(<ZendeskAccountCard account={refused} oauthAvailable outcome={null} reply={undefined} busy={null} />, "de");
    expect(screen.getByText("Neu verbinden")).toBeTruthy();
    expect(screen.getByText(/Zendesk akzeptiert diese Verbindung nicht mehr/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Mit Zendesk verbinden" })).toBeTruthy();
    expect(german.container.querySelector('input[name="subdomain"]')).toHaveProperty("value", "acme");
  });

  it("says how the OAuth authorization ended, in French too", () => {
    renderPage(<ZendeskAccountCard account={null} oauthAvailable outcome="denied" reply={undefined} busy={null} />, "fr");
    expect(screen.getByText("L’accès n’a pas été autorisé dans Zendesk : rien n’a été connecté.")).toBeTruthy();
  });

  it("sends the top frame to Zendesk's consent page", () => {
    const open = vi.spyOn(window, "open").mockImplementation(() => null);
    const reply = {
      intent: "account.oauth",
      ok: true,
      message: "Opening Zendesk…",
      fieldErrors: {},
      authorizeUrl: "https://acme.zendesk.com/oauth/authorizations/new?x=1",
    };
    renderPage(<ZendeskAccountCard account={null} oauthAvailable outcome={null} reply={reply} busy={null} />);
    expect(open).toHaveBeenCalledWith(reply.authorizeUrl, "_top");
    open.mockRestore();
  });
});
