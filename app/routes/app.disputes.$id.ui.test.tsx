// @vitest-environment jsdom
// The dispute page as the merchant uses it (Polaris in jsdom, Remix's hooks replaced by test data):
// the buttons' names, the confirmation before the final steps, and what each sends.
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../test/helpers/remix-page";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, submit: vi.fn() }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { default: DisputePage } = await import("./app.disputes.$id");

afterEach(() => {
  cleanup();
  remix.submit.mockReset();
});

const NOW = "2026-03-01T12:00:00.000Z";
function detail(overrides: { refusal?: string | null; missing?: string[]; responseState?: string; submittedAt?: string | null } = {}) {
  const pdf = {
    id: "file-1",
    field: "invoice_or_receipt_file",
    filename: "invoice-1001.pdf",
    contentType: "application/pdf",
    size: 17_000,
    generated: true,
    ckoFileId: null,
    sha256: "x",
  };
  return {
    now: NOW,
    role: "finance" as const,
    dispute: {
      id: "d-1",
      ckoDisputeId: "dsp_0123456789abcdef0123",
      ckoPaymentId: "pay_abc",
      paymentId: "p-1",
      category: "fraudulent",
      reasonCode: "10.4",
      amount: 6540,
      currency: "USD",
      status: "evidence_required",
      responseState: overrides.responseState ?? "none",
      evidenceRequiredBy: "2026-03-02T12:00:00.000Z",
      receivedOn: null,
      orderName: "#1001",
      evidenceBuilt: true,
      needsResponse: true,
      orderGid: "gid://shopify/Order/1001",
      evidenceBuiltAt: NOW,
      evidenceSavedAt: null,
      submittedAt: overrides.submittedAt ?? null,
      submittedBy: overrides.submittedAt ? "Sam Owner <sam@example.com>" : null,
      acceptedAt: null,
      acceptedBy: null,
      responseError: null,
      lastSyncedAt: NOW,
    },
    payment: { ckoPaymentId: "pay_abc", amount: 6540, currency: "USD", customerEmail: "jane@example.com", cardScheme: "Visa", cardLast4: "4242" },
    evidence: [
      { type: "invoice_or_receipt", textField: "invoice_or_receipt_text", text: "Invoice for order #1001.", file: pdf, missing: false },
      {
        type: "customer_communication",
        textField: "customer_communication_text",
        text: "",
        file: null,
        missing: (overrides.missing ?? ["customer_communication"]).includes("customer_communication"),
      },
    ],
    conversation: { tickets: [{ id: "812", subject: "Where is my parcel?", messages: 2 }], excludedTickets: ["813"] },
    deliveryDateText: "",
    readiness: {
      canSend: overrides.refusal ? false : true,
      complete: false,
      missing: overrides.missing ?? ["customer_communication"],
      refusal: overrides.refusal ?? null,
    },
    activity: [],
  };
}

function show(data = detail(), locale: "en" | "fr" | "de" = "en") {
  remix.loaderData = data;
  renderPage(<DisputePage />, locale);
}

const sent = () => Object.fromEntries((remix.submit.mock.calls.at(-1)![0] as FormData).entries());

describe("dispute page", () => {
  it("has the three actions by name, and texts limited to 500 characters", () => {
    show();
    for (const name of ["Save to Checkout.com", "Submit evidence", "Accept dispute"]) expect(screen.getByRole("button", { name })).toBeTruthy();
    const text = screen.getByLabelText("Invoice or receipt: text for the card issuer") as HTMLTextAreaElement;
    expect(text.maxLength).toBe(500);
    expect(screen.getByText("Checkout.com asks for evidence that is still empty")).toBeTruthy();
  });

  it("asks before submitting, says it cannot be undone, then sends the texts with the submission", () => {
    show();
    fireEvent.change(screen.getByLabelText("Invoice or receipt: text for the card issuer"), { target: { value: "Edited invoice text." } });
    fireEvent.click(screen.getByRole("button", { name: "Submit evidence" }));
    expect(remix.submit).not.toHaveBeenCalled();
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByText(/This cannot be undone/)).toBeTruthy();
    expect(within(dialog).getByText("Still empty: Customer communication.")).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Yes, submit evidence" }));
    expect(sent()).toMatchObject({ intent: "submit", invoice_or_receipt_text: "Edited invoice text.", customer_communication_text: "" });
  });

  it("asks before accepting, naming the amount given up", () => {
    show();
    fireEvent.click(screen.getByRole("button", { name: "Accept dispute" }));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByText(/You give up \$65\.40 to the cardholder/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Yes, accept dispute" }));
    expect(sent()).toEqual({ intent: "accept" });
  });

  it("saves to Checkout.com without asking", () => {
    show();
    fireEvent.click(screen.getByRole("button", { name: "Save to Checkout.com" }));
    expect(sent()).toMatchObject({ intent: "save_checkout", invoice_or_receipt_text: "Invoice for order #1001." });
  });

  it("offers no action once the dispute is answered, and says why", () => {
    const submittedAt = "2026-03-01T10:00:00.000Z";
    show(
      detail({
        refusal: "Evidence was submitted to Checkout.com on 1 Mar 2026, 10:00 UTC and cannot be changed.",
        responseState: "submitted",
        submittedAt,
        missing: [],
      }),
    );
    expect(screen.getByText("Evidence was submitted to Checkout.com on 1 Mar 2026, 10:00 UTC and cannot be changed.")).toBeTruthy();
    for (const name of ["Save to Checkout.com", "Submit evidence", "Accept dispute"]) expect(screen.queryByRole("button", { name })).toBeNull();
    expect((screen.getByLabelText("Invoice or receipt: text for the card issuer") as HTMLTextAreaElement).disabled).toBe(true);
  });
});

describe("the Zendesk tickets quoted as customer communication", () => {
  it("lists them, removes one and puts a removed one back", () => {
    show();
    expect(screen.getByText("#812 Where is my parcel? (2 messages)")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Remove ticket #812 from the evidence" }));
    expect(sent()).toEqual({ intent: "exclude_ticket", ticketId: "812" });
    fireEvent.click(screen.getByRole("button", { name: "Put ticket #813 back into the evidence" }));
    expect(sent()).toEqual({ intent: "include_ticket", ticketId: "813" });
  });

  it("offers neither once the dispute is answered", () => {
    show(detail({ refusal: "answered", responseState: "submitted", submittedAt: NOW, missing: [] }));
    expect(screen.getByText("#812 Where is my parcel? (2 messages)")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Remove ticket #812 from the evidence" })).toBeNull();
  });

  it("speaks German", () => {
    show(detail(), "de");
    expect(screen.getByText("Kundenkommunikation aus Zendesk")).toBeTruthy();
    expect(screen.getByText("#812 Where is my parcel? (2 Nachrichten)")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Ticket #813 wieder in die Nachweise aufnehmen" })).toBeTruthy();
  });
});

describe("dispute page in the staff member's language", () => {
  it("speaks German: title, status, actions, evidence, deadline and the amount in German notation", () => {
    show(detail(), "de");
    expect(screen.getByText("Streitfall zu #1001: Betrug")).toBeTruthy();
    expect(screen.getByText("Nachweise erforderlich")).toBeTruthy();
    expect(screen.getByText("65,40 $ · dsp_0123456789abcdef0123 · Grundcode 10.4")).toBeTruthy();
    for (const name of ["Bei Checkout.com speichern", "Nachweise einreichen", "Streitfall akzeptieren"])
      expect(screen.getByRole("button", { name })).toBeTruthy();
    expect(screen.getByLabelText("Rechnung oder Beleg: Text für den Kartenaussteller")).toBeTruthy();
    expect(screen.getByText("Checkout.com fordert Nachweise an, die noch leer sind")).toBeTruthy();
    expect(screen.getByText("2. März 2026, 12:00 UTC")).toBeTruthy();
    expect(screen.getByText("Noch 24 Stunden")).toBeTruthy();
    expect(screen.getByText("Aus der Bestellung erstellt")).toBeTruthy();
    expect(screen.getByText("17 KB")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Streitfall akzeptieren" }));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByText(/Sie überlassen 65,40 \$ dem Karteninhaber/)).toBeTruthy();
  });

  it("says in French why the evidence can no longer change, with the date in French", () => {
    show(detail({ refusal: "(English from the server)", responseState: "submitted", submittedAt: "2026-03-01T10:00:00.000Z", missing: [] }), "fr");
    expect(screen.getByText("Les preuves ont été soumises à Checkout.com le 1 mars 2026, 10:00 UTC et ne peuvent plus être modifiées.")).toBeTruthy();
    expect(screen.queryByText("(English from the server)")).toBeNull();
    expect(screen.getByText("Soumises le 1 mars 2026, 10:00 UTC par Sam Owner <sam@example.com>")).toBeTruthy();
    expect(screen.getByText("Litige sur #1001 : Fraude")).toBeTruthy();
    expect(screen.getByText("65,40 $US · dsp_0123456789abcdef0123 · code de motif 10.4")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Soumettre les preuves" })).toBeNull();
  });
});
