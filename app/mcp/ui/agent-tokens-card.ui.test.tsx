// @vitest-environment jsdom
// Settings → Agent tools (MCP) as people see it: where an agent connects, each token's facts and state,
// Revoke behind a confirmation, a new token shown once with Copy, the Create form with every scope and
// the role it needs, nothing to change for non-admins, and the plan's message instead of the form.
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";
import type { AgentTokensView } from "../token-form.server";
import type { AgentTokenView } from "../tokens.server";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, submit: vi.fn() }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { AgentTokensCard } = await import("./agent-tokens-card");

const token = (overrides: Partial<AgentTokenView>): AgentTokenView => ({
  id: "tok-1",
  name: "Support bot",
  prefix: "ckmcp_Ab12Cd",
  scopes: ["read", "refund"],
  limits: { EUR: { perAction: 50_000, perDay: 200_000 } },
  createdBy: "Sam Owner <sam@example.com>",
  createdAt: "2026-11-02T09:30:00.000Z",
  expiresAt: "2027-01-31T23:00:00.000Z",
  revokedAt: null,
  lastUsedAt: "2026-12-01T14:05:00.000Z",
  state: "active",
  ...overrides,
});

const view = (overrides: Partial<AgentTokensView> = {}): AgentTokensView => ({
  mcpUrl: "https://app.example.com/mcp",
  currency: "EUR",
  planRefused: null,
  tokens: [
    token({}),
    token({ id: "tok-2", name: "Old bot", scopes: ["read"], limits: {}, expiresAt: "2026-11-30T00:00:00.000Z", lastUsedAt: null, state: "expired" }),
    token({
      id: "tok-3",
      name: "Leaked bot",
      limits: { USD: { perAction: null, perDay: 10_000 } },
      expiresAt: null,
      revokedAt: "2026-12-02T08:00:00.000Z",
      state: "revoked",
    }),
  ],
  ...overrides,
});

beforeEach(() => remix.submit.mockReset());
afterEach(() => cleanup());

describe("the agent tokens card", () => {
  it("shows an admin where agents connect and each token's facts, with Revoke for active tokens only", () => {
    const { container } = renderPage(<AgentTokensCard view={view()} canEdit reply={undefined} />);
    expect((screen.getByLabelText("MCP server URL") as HTMLInputElement).value).toBe("https://app.example.com/mcp");
    expect(container.textContent).toContain("send its token with every request in the header Authorization: Bearer <token>.");
    const text = container.textContent!;
    expect(text).toContain("Starts with ckmcp_Ab12Cd…");
    expect(text).toContain("Scopes: Read, Refund");
    expect(text).toContain("Money limit: EUR at most €500.00 per action and €2,000.00 per 24 hours; no other currency.");
    expect(text).toContain("Created by Sam Owner <sam@example.com> on 2 Nov 2026, 09:30 UTC");
    expect(text).toContain("Expires 31 Jan 2027, 23:00 UTC");
    expect(text).toContain("Last used 1 Dec 2026, 14:05 UTC");
    expect(text).toContain("Money limit: none beyond the scopes.");
    expect(text).toContain("Expired 30 Nov 2026, 00:00 UTC");
    expect(text).toContain("Not used yet");
    expect(text).toContain("Money limit: USD at most $100.00 per 24 hours; no other currency.");
    expect(text).toContain("Revoked 2 Dec 2026, 08:00 UTC");
    expect(screen.getByText("Active")).toBeTruthy();
    expect(screen.getByText("Expired")).toBeTruthy();
    expect(screen.getByText("Revoked")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Revoke Support bot" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Revoke Old bot" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Revoke Leaked bot" })).toBeNull();
    // Never a secret: the loader has none to show.
    expect(screen.queryByLabelText("Agent token")).toBeNull();
  });

  it("revokes only after the confirmation, posting the token's id", async () => {
    renderPage(<AgentTokensCard view={view()} canEdit reply={undefined} />);
    fireEvent.click(screen.getByRole("button", { name: "Revoke Support bot" }));
    expect(remix.submit).not.toHaveBeenCalled();
    expect(await screen.findByText("Revoke “Support bot”?")).toBeTruthy();
    const dialog = screen.getByRole("dialog");
    fireEvent.click(Array.from(dialog.querySelectorAll("button")).find((b) => b.textContent === "Revoke")!);
    expect(remix.submit).toHaveBeenCalledWith({ intent: "agent-token-revoke", id: "tok-1" }, { method: "post" });
  });

  it("shows a new token once, from the reply, with Copy and the warning", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const reply = {
      intent: "agent-token-create",
      ok: true,
      message: "Token “Support bot” created.",
      fieldErrors: {},
      token: { name: "Support bot", value: "ckmcp_secret-value" },
    };
    const { container } = renderPage(<AgentTokensCard view={view()} canEdit reply={reply} />);
    expect(screen.getByText("Token “Support bot” created. Copy it now: it will not be shown again.")).toBeTruthy();
    expect((screen.getByLabelText("Agent token") as HTMLInputElement).value).toBe("ckmcp_secret-value");
    expect(container.textContent).toContain("The app keeps only a fingerprint of it.");
    fireEvent.click(screen.getByRole("button", { name: "Copy Agent token" }));
    expect(writeText).toHaveBeenCalledWith("ckmcp_secret-value");
    await waitFor(() => expect(screen.getByRole("button", { name: "Copy Agent token" }).textContent).toBe("Copied"));
  });

  it("offers every scope with the role it needs, the money limit in the shop's currency and the expiry; refused fields beside them", () => {
    const reply = {
      intent: "agent-token-create",
      ok: false,
      message: "Fix the highlighted fields. Nothing was saved.",
      fieldErrors: { scopes: "Choose at least one scope.", limitPerDay: "EUR has 2 decimal places." },
    };
    const { container } = renderPage(<AgentTokensCard view={view()} canEdit reply={reply} />);
    expect(container.querySelector('input[name="intent"][value="agent-token-create"]')).toBeTruthy();
    const scopes = Array.from(container.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')).map((box) => [box.name, box.checked]);
    expect(scopes).toEqual([
      ["scope.read", true],
      ["scope.refund", false],
      ["scope.void_capture", false],
      ["scope.evidence", false],
      ["scope.risk_lists", false],
      ["scope.holds", false],
      ["scope.customers", false],
    ]);
    expect(container.textContent).toContain("Refund payments, and cancel orders (the money goes back to the customer). Needs the Finance role.");
    expect(container.textContent).toContain("Release held orders. Needs the Reviewer role.");
    expect((screen.getByLabelText("Currency") as HTMLInputElement).value).toBe("EUR");
    expect((screen.getByLabelText("Expires") as HTMLSelectElement).value).toBe("90");
    expect(screen.queryByLabelText("Last day")).toBeNull();
    fireEvent.change(screen.getByLabelText("Expires"), { target: { value: "date" } });
    expect(screen.getByLabelText("Last day")).toHaveProperty("name", "expiresOn");
    expect(container.textContent).toContain("Fix the highlighted fields. Nothing was saved.");
    expect(container.textContent).toContain("Choose at least one scope.");
    expect(container.textContent).toContain("EUR has 2 decimal places.");
    expect(screen.getByRole("button", { name: "Create token" })).toBeTruthy();
  });

  it("gives a non-admin the tokens without Revoke or the form", () => {
    const { container } = renderPage(<AgentTokensCard view={view()} canEdit={false} reply={undefined} />);
    expect(screen.queryByRole("button", { name: "Revoke Support bot" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Create token" })).toBeNull();
    expect(container.textContent).toContain("Only admins can create and revoke agent tokens.");
  });

  it("shows the plan's message and a link to the Plan page instead of the form", () => {
    const planRefused = "Agent tools need the Plus plan (this shop is on Growth). A store admin can change the plan on the Plan page.";
    const { container } = renderPage(<AgentTokensCard view={view({ planRefused })} canEdit reply={undefined} />);
    expect(screen.getByText(planRefused)).toBeTruthy();
    expect(container.querySelector('a[href="/app/plan"]')?.textContent).toBe("See plans");
    expect(screen.queryByRole("button", { name: "Create token" })).toBeNull();
  });

  it("speaks German: the tokens' facts with German dates and amounts, the scopes and their roles, the form", () => {
    const { container } = renderPage(<AgentTokensCard view={view({ tokens: [token({})] })} canEdit reply={undefined} />, "de");
    const text = container.textContent!.replace(/\u00a0/g, " ");
    expect((screen.getByLabelText("URL des MCP-Servers") as HTMLInputElement).value).toBe("https://app.example.com/mcp");
    expect(text).toContain("Berechtigungen: Lesen, Erstatten");
    expect(text).toContain("Betragslimit: EUR höchstens 500,00 € pro Aktion und 2.000,00 € pro 24 Stunden; keine andere Währung.");
    expect(text).toContain("Erstellt von Sam Owner <sam@example.com> am 2. Nov. 2026, 09:30 UTC");
    expect(text).toContain("Läuft ab am 31. Jan. 2027, 23:00 UTC");
    expect(text).toContain("Zuletzt verwendet am 1. Dez. 2026, 14:05 UTC");
    expect(screen.getByText("Aktiv")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Support bot widerrufen" })).toBeTruthy();
    expect(text).toContain("Zahlungen erstatten und Bestellungen stornieren (das Geld geht an den Kunden zurück). Erfordert die Rolle Finanzen.");
    expect(screen.getByRole("option", { name: "An einem Tag Ihrer Wahl" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Token erstellen" })).toBeTruthy();
    expect(text).not.toContain("Revoke");
  });
});
