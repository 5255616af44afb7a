// @vitest-environment jsdom
// Settings → Webhook in the states a merchant must act on: a key that may not manage workflows (the
// scope named, the manual steps shown) and a workflow deleted on the dashboard (offered to be made again).
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";
import type { WorkflowView } from "../workflow.server";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { WebhookSetupCard } = await import("./webhook-setup-card");

const URL = "https://app.example.com/webhooks/checkout/ep_1";
const view = (overrides: Partial<WorkflowView>): WorkflowView => ({
  status: "registered",
  message: null,
  workflowId: null,
  syncedAt: "2026-12-02T10:30:00.000Z",
  lastEvent: null,
  canSendTest: false,
  ...overrides,
});
const card = (workflow: WorkflowView, locale: "en" | "de" = "en", canEdit = true) =>
  renderPage(
    <WebhookSetupCard
      environment="sandbox"
      webhookUrl={URL}
      eventTypes={["payment_captured", "dispute_received"]}
      workflow={workflow}
      canEdit={canEdit}
      busy={null}
    />,
    locale,
  );

afterEach(() => cleanup());

describe("the webhook setup card", () => {
  it("manual: names the missing scope, offers to register again, and shows the steps by hand (URL and events)", () => {
    const message =
      "This key may not manage webhooks: give it the flow:workflows scope (Checkout.com Dashboard → Developers → Keys) and register again, or create the webhook by hand with the steps below.";
    const { container } = card(view({ status: "manual", message }));
    expect(screen.getByText("Set up by hand")).toBeTruthy();
    expect(screen.getByText(message)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Register with Checkout.com" })).toBeTruthy();
    expect((screen.getByLabelText("Webhook URL") as HTMLInputElement).value).toBe(URL);
    expect(screen.getByText("payment_captured")).toBeTruthy();
    expect(screen.getByText("dispute_received")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Send test event" })).toBeNull();
    expect(container.querySelector('input[name="intent"][value="register-webhook"]')).toBeTruthy();
  });

  it("missing: says the workflow was deleted on the dashboard and offers to make it again", () => {
    card(
      view({
        status: "missing",
        // As the loader says the recorded English in the staff member's language.
        message:
          "Der Workflow der App wurde im Checkout.com-Dashboard gelöscht, daher kommen keine Ereignisse an. Registrieren Sie ihn erneut, um ihn neu zu erstellen.",
        lastEvent: { type: "payment_captured", receivedAt: "2026-12-01T08:00:00.000Z" },
      }),
      "de",
    );
    expect(screen.getByText("Nicht registriert")).toBeTruthy();
    expect(screen.getByText(/im Checkout.com-Dashboard gelöscht/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Bei Checkout.com registrieren" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Erneut registrieren" })).toBeNull();
    expect(screen.getByText(/payment_captured, 1\. Dez\. 2026/)).toBeTruthy();
  });

  it("shows a viewer the state without the buttons", () => {
    card(view({ status: "missing", message: "gone" }), "en", false);
    expect(screen.getByText("Not registered")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Register with Checkout.com" })).toBeNull();
  });
});
