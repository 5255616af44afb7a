// @vitest-environment jsdom
// The dispute tickets card on Settings > Zendesk, and the dispute page's Zendesk ticket card: what
// they post, the errors beside their fields, a deleted ticket said and "Create a new ticket" offered.
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { DisputeTicketsCard } = await import("./dispute-tickets-card");
const { ZendeskTicketCard } = await import("../../disputes/ui/zendesk-ticket-card");

const settings = {
  enabled: true,
  minAmountsText: "USD 100.00",
  categories: ["fraudulent"],
  requester: "internal" as const,
  requesterEmail: "disputes@merchant.example",
  groupId: "360001234567",
  tagsText: "chargeback vip",
};
const categories = ["fraudulent", "duplicate", "general"];

afterEach(() => cleanup());

describe("the dispute tickets card", () => {
  it("posts its intent, on/off and the chosen categories as fields, with the saved values", () => {
    const { container } = renderPage(
      <DisputeTicketsCard settings={settings} categories={categories} connected intent="disputeTickets.save" reply={undefined} busy={false} />,
    );
    const posted = () => [...container.querySelectorAll('input[type="hidden"]')].map((i) => `${i.getAttribute("name")}=${i.getAttribute("value")}`);
    expect(posted()).toEqual(["intent=disputeTickets.save", "enabled=true", "category.fraudulent=true"]);
    expect(container.querySelector('textarea[name="minAmounts"]')).toHaveProperty("value", "USD 100.00");
    expect(container.querySelector('input[name="groupId"]')).toHaveProperty("value", "360001234567");
    expect(container.querySelector('input[name="tags"]')).toHaveProperty("value", "chargeback vip");

    fireEvent.click(screen.getByLabelText("Duplicate"));
    fireEvent.click(screen.getByLabelText("Open a Zendesk ticket when a dispute opens"));
    expect(posted()).toEqual(["intent=disputeTickets.save", "category.fraudulent=true", "category.duplicate=true"]);
    expect(screen.queryByText(/Connect your Zendesk account above/)).toBeNull();
  });

  it("shows the reply and each field's error, in French too, and says Zendesk must be connected", () => {
    const reply = {
      intent: "disputeTickets.save",
      ok: false,
      message: "Vérifiez les champs signalés.",
      fieldErrors: { groupId: "Un ID de groupe Zendesk est un nombre." },
    };
    renderPage(
      <DisputeTicketsCard settings={settings} categories={categories} connected={false} intent="disputeTickets.save" reply={reply} busy={false} />,
      "fr",
    );
    expect(screen.getByText("Vérifiez les champs signalés.")).toBeTruthy();
    expect(screen.getByText("Un ID de groupe Zendesk est un nombre.")).toBeTruthy();
    expect(screen.getByText(/Connectez votre compte Zendesk ci-dessus/)).toBeTruthy();
    expect(screen.getByLabelText("Uniquement à partir de")).toBeTruthy();
  });
});

describe("the dispute page's Zendesk ticket card", () => {
  it("links an open ticket", () => {
    renderPage(
      <ZendeskTicketCard
        ticket={{ state: "open", ticketId: "42", url: "https://acme.zendesk.com/agent/tickets/42", lastError: null, canCreate: false }}
        editable
        busy={false}
        onCreate={() => {}}
      />,
    );
    expect(screen.getByRole("link", { name: /Open ticket #42 in Zendesk/ }).getAttribute("href")).toBe("https://acme.zendesk.com/agent/tickets/42");
    expect(screen.queryByRole("button", { name: /Create/ })).toBeNull();
  });

  it("says an agent deleted it and offers a new one, in German; a viewer gets no button", () => {
    const onCreate = vi.fn();
    const deleted = { state: "deleted" as const, ticketId: "42", url: null, lastError: "deleted", canCreate: true };
    renderPage(<ZendeskTicketCard ticket={deleted} editable busy={false} onCreate={onCreate} />, "de");
    expect(screen.getByText("Ticket #42 wurde in Zendesk gelöscht. Ein neues Ticket wird nur auf Ihren Wunsch angelegt.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Neues Ticket anlegen" }));
    expect(onCreate).toHaveBeenCalledOnce();
    cleanup();
    renderPage(<ZendeskTicketCard ticket={deleted} editable={false} busy={false} onCreate={onCreate} />);
    expect(screen.getByText(/Ticket #42 was deleted in Zendesk/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Create a new ticket" })).toBeNull();
  });

  it("shows why Zendesk refused it", () => {
    renderPage(
      <ZendeskTicketCard
        ticket={{ state: "failed", ticketId: null, url: null, lastError: "Zendesk refused the ticket (422): Requester: Email is invalid", canCreate: true }}
        editable
        busy={false}
        onCreate={() => {}}
      />,
    );
    expect(screen.getByText("Zendesk did not create the ticket.")).toBeTruthy();
    expect(screen.getByText(/Requester: Email is invalid/)).toBeTruthy();
  });
});
