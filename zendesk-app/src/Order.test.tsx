// @vitest-environment jsdom
// The sidebar's Order section, "Cancel order", and the agent's language (ZAF's currentUser.locale).
import "../../test/helpers/jsdom-gaps";
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { OrderView, PaymentTimeline } from "#app/zendesk/contract";
import { Sidebar } from "./App";
import { createFakeBackend, orderView, paymentTimeline } from "./testing/fake-backend";
import { FakeZafClient } from "./testing/fake-zaf-client";
import { languageOf, speechFor } from "./words";

const SETTINGS = { backend_url: "https://companion.example.com", connection_id: "conn_1", payment_field_id: 360001 };

function setup(options: { locale?: string; timeline?: PaymentTimeline; order?: OrderView } = {}) {
  const timeline = options.timeline ?? paymentTimeline();
  const backend = createFakeBackend([timeline], undefined, options.order ? { orders: { [timeline.payment.paymentId]: options.order } } : {});
  const client = new FakeZafClient({
    ticket: { id: 123, requester: { name: "Ada Lovelace", email: "ada@example.com" }, customFields: { 360001: timeline.payment.paymentId } },
    settings: SETTINGS,
    agent: { id: 901, name: "Jane Agent", email: "jane@support.example", locale: options.locale ?? "en-US" },
    backend: (call) => backend.handle(call),
  });
  render(<Sidebar client={client} />);
  return { client, backend, user: userEvent.setup() };
}

const orderSection = (name = "Order") => screen.findByLabelText(name);

afterEach(cleanup);

describe("the Order section", () => {
  it("shows items, fulfilment with a tracking link in a new tab, the address, Shopify's status and the hold", async () => {
    setup({
      order: orderView({
        order: {
          fulfillmentStatus: "FULFILLED",
          fulfillments: [
            {
              status: "IN_TRANSIT",
              createdAt: "2026-11-03T09:00:00.000Z",
              deliveredAt: null,
              tracking: [{ company: "DHL", number: "JD014600", url: "https://dhl.example/track/JD014600" }],
            },
          ],
        },
        hold: { status: "held", reasons: ["Risk score 91 (threshold 80)"] },
      }),
    });
    const section = await orderSection();
    const items = await within(section).findAllByTestId("order-item");
    expect(items.map((i) => i.textContent)).toEqual(["1 × Linen shirt (M / Blue)€32.34", "1 × Gift wrap€10.00"]);
    expect(within(section).getByTestId("order-financial")).toHaveTextContent("Paid");
    expect(within(section).getByTestId("order-fulfilment")).toHaveTextContent("Fulfilled");
    const link = within(section).getByRole("link", { name: "Track DHL JD014600" });
    expect(link).toHaveAttribute("href", "https://dhl.example/track/JD014600");
    expect(link).toHaveAttribute("target", "_blank");
    expect(link).toHaveAttribute("rel", "noopener noreferrer");
    expect(within(section).getByTestId("order-address")).toHaveTextContent("Ada Lovelace12 Rue de Rivoli75001 ParisFrance");
    expect(within(section).getByTestId("order-hold")).toHaveTextContent("On risk hold");
    expect(within(section).getByTestId("order-hold")).toHaveTextContent("Risk score 91 (threshold 80)");
  });

  it("says so when no order is linked", async () => {
    setup({ timeline: paymentTimeline({ payment: { orderName: null } }) });
    const section = await orderSection();
    expect(await within(section).findByText("No Shopify order is linked to this payment yet.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Cancel order" })).not.toBeInTheDocument();
  });
});

describe("Cancel order", () => {
  it("is offered only when the store allows it, and says why not", async () => {
    setup();
    const button = await screen.findByRole("button", { name: "Cancel order" });
    expect(button).toBeDisabled();
    expect(screen.getByText("This store does not allow canceling orders from Zendesk.")).toBeInTheDocument();
  });

  it("is not offered for a shipped order", async () => {
    setup({ order: orderView({ canCancel: true, order: { fulfillmentStatus: "FULFILLED" } }) });
    expect(await screen.findByRole("button", { name: "Cancel order" })).toBeDisabled();
    expect(screen.getByText(/Items have shipped/)).toBeInTheDocument();
  });

  it("confirms what happens to the money, cancels once, notes it and shows the order canceled", async () => {
    const authorised = paymentTimeline({ payment: { state: "authorized", capturedAmount: 0, refundableAmount: 0, canVoid: true } });
    const { user, client, backend } = setup({ timeline: authorised, order: orderView({ canCancel: true }) });
    await user.click(await screen.findByRole("button", { name: "Cancel order" }));
    const form = screen.getByRole("form", { name: "Cancel order" });
    await user.click(within(form).getByRole("checkbox", { name: "Email the customer about the cancellation" }));
    await user.click(within(form).getByRole("button", { name: "Cancel order" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText("Cancel order #1001?")).toBeInTheDocument();
    expect(within(dialog).getByTestId("cancel-money")).toHaveTextContent("the €42.34 authorisation on the customer's card is voided");
    expect(within(dialog).getByText("The customer is not emailed.", { exact: false })).toBeInTheDocument();
    const confirm = within(dialog).getByRole("button", { name: "Cancel order" });
    await user.dblClick(confirm);
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(backend.actions).toEqual([expect.objectContaining({ action: "cancel", amount: 4234 })]);
    const cancels = client.backendCalls.filter((c) => c.path.endsWith("/cancel"));
    expect(cancels).toHaveLength(1);
    expect(cancels[0].body).toEqual({ ticketId: 123, reason: "Customer asked to cancel", restock: true, notifyCustomer: false });
    expect(await screen.findByRole("status")).toHaveTextContent("Order canceled");
    expect(client.notes[0].body).toMatch(/^Order #1001 canceled for payment pay_captured1 \(order #1001\): the authorisation of EUR 42\.34 voided\./);
    expect(await within(await orderSection()).findByText(/^Canceled /)).toBeInTheDocument();
  });
});

describe("the agent's language", () => {
  it("picks English, French or German from ZAF's locale; anything else reads as English", () => {
    expect(["de", "de-AT", "fr-FR", "fr_CA", "en-GB", "es-ES", "ja"].map(languageOf)).toEqual(["de", "de", "fr", "fr", "en", "en", "en"]);
    expect(speechFor("es-ES").money(4234, "EUR")).toBe("€42.34");
  });

  it("speaks German, with German money and dates", async () => {
    setup({ locale: "de", order: orderView({ canCancel: true }) });
    expect(await screen.findByTestId("payment-amount")).toHaveTextContent("42,34 €");
    expect(screen.getByRole("heading", { name: "Zahlung" })).toBeInTheDocument();
    expect(screen.getByText("Erfasst", { selector: "div, span" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Erstatten" })).toBeInTheDocument();
    const section = await orderSection("Bestellung");
    expect(await within(section).findByTestId("order-financial")).toHaveTextContent("Bezahlt");
    expect(within(section).getByTestId("order-fulfilment")).toHaveTextContent("Nicht versandt");
    expect(within(section).getByText(/aufgegeben am 2\. Nov\. 2026/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Bestellung stornieren" })).toBeEnabled();
    expect(screen.getByRole("heading", { name: "Verlauf" })).toBeInTheDocument();
  });

  it("speaks French, with French money", async () => {
    setup({ locale: "fr-FR" });
    expect(await screen.findByTestId("payment-amount")).toHaveTextContent(/42,34\s€/);
    expect(screen.getByRole("heading", { name: "Paiement" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Rembourser" })).toBeInTheDocument();
    expect(await screen.findByText("Cette boutique n'autorise pas l'annulation de commandes depuis Zendesk.")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Historique" })).toBeInTheDocument();
  });
});
