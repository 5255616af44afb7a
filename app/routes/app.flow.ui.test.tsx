// @vitest-environment jsdom
// The Shopify Flow page as staff see it (Polaris in jsdom, Remix's hooks replaced by test data): each
// trigger a checkbox named by the page in the staff member's language, posting its handle.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";
import { FLOW_TRIGGER_NAMES, FLOW_TRIGGERS } from "../flow/triggers";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { default: FlowSettings } = await import("./app.flow");

const loaded = () => ({
  triggers: FLOW_TRIGGER_NAMES.map((name) => ({ name, handle: FLOW_TRIGGERS[name].handle, enabled: name === "dispute_opened" })),
});

afterEach(() => {
  cleanup();
  remix.actionData = undefined;
});

describe("Shopify Flow page", () => {
  it("lists every trigger with the words it had, checked as saved", () => {
    remix.loaderData = loaded();
    renderPage(<FlowSettings />);
    for (const name of FLOW_TRIGGER_NAMES) expect(screen.getByLabelText(FLOW_TRIGGERS[name].label)).toHaveProperty("value", FLOW_TRIGGERS[name].handle);
    expect(screen.getByLabelText("Dispute opened")).toHaveProperty("checked", true);
    expect(screen.getByLabelText("Payment declined")).toHaveProperty("checked", false);
    expect(screen.getByLabelText("Checkout payment declined")).toHaveProperty("value", "cko-checkout-payment-declined");
    expect(screen.getByText(/no order followed within 30 minutes/)).toBeTruthy();
  });

  it("speaks German and French", () => {
    remix.loaderData = loaded();
    remix.actionData = { ok: true, message: "Flow-Trigger gespeichert." };
    renderPage(<FlowSettings />, "de");
    expect(screen.getByText("Flow-Workflows mit Checkout.com-Ereignissen starten")).toBeTruthy();
    expect(screen.getByLabelText("Streitfall eröffnet")).toHaveProperty("checked", true);
    expect(screen.getByLabelText("Zahlung abgelehnt")).toHaveProperty("value", "cko-payment-declined");
    expect(screen.getByText(/nur für Zahlungen ausgelöst, die einer Shopify-Bestellung zugeordnet sind/)).toBeTruthy();
    expect(screen.getByLabelText("Zahlung im Checkout abgelehnt")).toHaveProperty("value", "cko-checkout-payment-declined");
    expect(screen.getByRole("button", { name: "Speichern" })).toBeTruthy();
    cleanup();

    remix.actionData = undefined;
    renderPage(<FlowSettings />, "fr");
    expect(screen.getByLabelText("Remboursement effectué")).toHaveProperty("value", "cko-refund-processed");
    expect(screen.getByLabelText("Paiement refusé au checkout")).toHaveProperty("value", "cko-checkout-payment-declined");
    expect(screen.getByRole("button", { name: "Enregistrer" })).toBeTruthy();
  });
});
