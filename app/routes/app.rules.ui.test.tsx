// @vitest-environment jsdom
// The Risk rules page as an admin sees it (Polaris in jsdom, Remix's hooks replaced by test data): the
// saved velocity, card-check, 3-D Secure and history rules shown as saved, the choices posted in the
// form's hidden fields as the action reads them, and each field's own error after a refused save.
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";
import type { RiskRulesConfig } from "../holds/rules";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown, routeError: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { default: RiskRulesPage } = await import("./app.rules");

const rules: RiskRulesConfig & { amountThresholdsText: string; earlyWarningRefundUpToText: string } = {
  enabled: true,
  monitorOnly: false,
  holdOnFlagged: true,
  scoreThreshold: 70,
  amountThresholds: {},
  amountThresholdsText: "",
  holdOnCountryMismatch: false,
  holdOnIpCountryMismatch: false,
  holdOnCardCountryMismatch: false,
  earlyWarningRefundUpTo: { EUR: 5000 },
  earlyWarningRefundUpToText: "EUR 50.00",
  velocity: { hours: 12, maxPayments: 3, maxCards: null },
  holdOnAvsNoMatch: true,
  holdOnCvvNoMatch: false,
  holdOn3dsOutcomes: ["failed"],
  holdOnPriorChargeback: true,
  holdOnPriorRefund: false,
  cancelOnDenyListHit: true,
  shipBy: { hours: 48, warningHours: 6 },
};

const hidden = (name: string) => (document.querySelector(`input[type=hidden][name=${name}]`) as HTMLInputElement).value;

afterEach(() => {
  cleanup();
  remix.actionData = undefined;
});

describe("Risk rules page", () => {
  it("shows the saved rules, and posts the 3-D Secure choices and toggles as the action reads them", () => {
    remix.loaderData = { rules, matchWindowMinutes: 1440, entries: [] };
    renderPage(<RiskRulesPage />);
    expect((screen.getByLabelText("Hold after more than this many payments") as HTMLInputElement).value).toBe("3");
    expect((screen.getByLabelText("…or more than this many different cards") as HTMLInputElement).value).toBe("");
    expect((screen.getByLabelText("Within (hours)") as HTMLInputElement).value).toBe("12");
    expect((screen.getByLabelText("Refund at once when the issuer warns, for payments up to") as HTMLTextAreaElement).value).toBe("EUR 50.00");
    expect(hidden("holdOn3dsOutcomes")).toBe("failed");
    expect(hidden("holdOnAvsNoMatch")).toBe("true");
    expect(hidden("holdOnPriorRefund")).toBe("false");
    expect(hidden("cancelOnDenyListHit")).toBe("true");
    expect((screen.getByLabelText("Orders ship within (hours of the order)") as HTMLInputElement).value).toBe("48");
    expect((screen.getByLabelText("Warn this many hours before") as HTMLInputElement).value).toBe("6");

    fireEvent.click(screen.getByLabelText("card not enrolled"));
    fireEvent.click(screen.getByLabelText("failed or rejected"));
    expect(hidden("holdOn3dsOutcomes")).toBe("not_enrolled");
    fireEvent.click(screen.getByLabelText("Hold when this email or card had an earlier payment refunded here"));
    expect(hidden("holdOnPriorRefund")).toBe("true");
  });

  it("shows each refused field's own message", () => {
    remix.loaderData = { rules, matchWindowMinutes: 1440, entries: [] };
    remix.actionData = {
      intent: "rules",
      ok: false,
      message: "Fix the highlighted fields. Nothing was saved.",
      fieldErrors: { velocityMaxPayments: "Enter a whole number from 1 to 1000, or leave it empty to turn this rule off." },
    };
    renderPage(<RiskRulesPage />);
    expect(screen.getByText("Enter a whole number from 1 to 1000, or leave it empty to turn this rule off.")).toBeTruthy();
    expect(screen.getByText("Fix the highlighted fields. Nothing was saved.")).toBeTruthy();
  });

  it("speaks German and French: the sections, the rules' labels and help, and the save button", () => {
    remix.loaderData = { rules, matchWindowMinutes: 1440, entries: [] };
    remix.actionData = { intent: "rules", ok: true, message: "Regeln gespeichert.", fieldErrors: {} };
    const { container } = renderPage(<RiskRulesPage />, "de");
    expect(screen.getByRole("heading", { name: "Risikoregeln" })).toBeTruthy();
    expect(screen.getByText("Zulassungs- und Sperrlisten")).toBeTruthy();
    expect((screen.getByLabelText("Sperren ab einem Risikowert von") as HTMLInputElement).value).toBe("70");
    expect((screen.getByLabelText("Sofort erstatten, wenn der Kartenausgeber warnt, bei Zahlungen bis") as HTMLTextAreaElement).value).toBe("EUR 50.00");
    expect((screen.getByLabelText("Bestellungen werden versandt innerhalb von (Stunden nach Bestellung)") as HTMLInputElement).value).toBe("48");
    expect(container.textContent).toContain("Eine Währung pro Zeile, z. B. „USD 1000.00“.");
    expect(screen.getByText("Regeln gespeichert.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Regeln speichern" })).toBeTruthy();
    cleanup();

    renderPage(<RiskRulesPage />, "fr");
    expect(screen.getByRole("heading", { name: "Règles de risque" })).toBeTruthy();
    expect((screen.getByLabelText("Avertir ce nombre d'heures avant") as HTMLInputElement).value).toBe("6");
    expect(screen.getByRole("button", { name: "Enregistrer les règles" })).toBeTruthy();
  });
});
