// @vitest-environment jsdom
// Events → Redeliver from Checkout.com as people see it: a payment id or a from/to range labelled UTC,
// the action's answer and field errors in the card, and why it is unavailable or whose it is.
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";
import type { RedeliveryView } from "../reflow.server";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { RedeliveryCard } = await import("./redelivery-card");

const available: RedeliveryView = { available: true, reason: null, maxRangeDays: 31 };
const BUTTON = { name: "Ask Checkout.com to redeliver" };

afterEach(() => cleanup());

describe("the redelivery card", () => {
  it("asks for a payment id, or for a from/to range in UTC", () => {
    renderPage(<RedeliveryCard view={available} canRedeliver reply={undefined} busy={false} />);
    expect((screen.getByLabelText("Checkout.com payment id") as HTMLInputElement).name).toBe("paymentId");
    expect(screen.getByLabelText("One payment")).toMatchObject({ name: "mode", value: "payment", checked: true });
    fireEvent.click(screen.getByLabelText("Every payment of a time range"));
    expect((screen.getByLabelText("From (UTC)") as HTMLInputElement).type).toBe("datetime-local");
    expect((screen.getByLabelText("To (UTC)") as HTMLInputElement).name).toBe("to");
    expect(screen.getByText(/at most 31 days after the start/)).toBeTruthy();
    expect(screen.queryByLabelText("Checkout.com payment id")).toBeNull();
    expect(screen.getByRole("button", BUTTON)).toBeTruthy();
  });

  it("shows its answer and a field's error; not another form's answer", () => {
    const refused = {
      intent: "redeliver",
      ok: false,
      message: "Fix the highlighted fields. Nothing was asked of Checkout.com.",
      fieldErrors: { paymentId: "Enter a Checkout.com payment id: pay_ followed by 26 letters and digits." },
    };
    renderPage(<RedeliveryCard view={available} canRedeliver reply={refused} busy={false} />);
    expect(screen.getByText(refused.message)).toBeTruthy();
    expect(screen.getByText(refused.fieldErrors.paymentId)).toBeTruthy();
    cleanup();
    renderPage(<RedeliveryCard view={available} canRedeliver reply={{ ...refused, intent: "replay-dead" }} busy={false} />);
    expect(screen.queryByText(refused.message)).toBeNull();
  });

  it("says why when the shop's webhook is not the app's, and who may ask", () => {
    renderPage(
      <RedeliveryCard
        view={{ available: false, reason: "Register it with Checkout.com in Settings first.", maxRangeDays: 31 }}
        canRedeliver
        reply={undefined}
        busy={false}
      />,
    );
    expect(screen.getByText("Register it with Checkout.com in Settings first.")).toBeTruthy();
    expect(screen.queryByRole("button", BUTTON)).toBeNull();
    cleanup();
    renderPage(<RedeliveryCard view={available} canRedeliver={false} reply={undefined} busy={false} />);
    expect(screen.getByText("Reviewers and above can ask for a redelivery.")).toBeTruthy();
    expect(screen.queryByRole("button", BUTTON)).toBeNull();
  });

  it("speaks French: the choice, the UTC range with its limit in days, and who may ask", () => {
    renderPage(<RedeliveryCard view={available} canRedeliver reply={undefined} busy={false} />, "fr");
    expect(screen.getByText("Renvoi des événements par Checkout.com")).toBeTruthy();
    expect((screen.getByLabelText("Identifiant de paiement Checkout.com") as HTMLInputElement).name).toBe("paymentId");
    fireEvent.click(screen.getByLabelText("Tous les paiements d'une période"));
    expect((screen.getByLabelText("Début (UTC)") as HTMLInputElement).name).toBe("from");
    expect(screen.getByText("Jusqu'à ce moment ; au plus 31 jours après le début.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Demander le renvoi à Checkout.com" })).toBeTruthy();
    cleanup();
    renderPage(<RedeliveryCard view={available} canRedeliver={false} reply={undefined} busy={false} />, "de");
    expect(screen.getByText("Prüfer und höhere Rollen können eine erneute Zustellung anfordern.")).toBeTruthy();
  });
});
