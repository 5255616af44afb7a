// @vitest-environment jsdom
// The Risk rules parts this area draws (velocity, card checks, history; the allow and deny lists) in
// German: labels, the 3-D Secure outcomes and the list kinds in the staff member's words.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";
import { rulesConfigOf } from "../rules-settings.server";

const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { CardAndHistoryRules } = await import("./card-and-history-rules");
const { ListEntriesCard } = await import("./list-entries");

afterEach(cleanup);

describe("risk rules parts", () => {
  it("speak German", () => {
    renderPage(
      <>
        <CardAndHistoryRules rules={{ ...rulesConfigOf(null), holdOn3dsOutcomes: ["failed"] }} errors={{}} />
        <ListEntriesCard entries={[{ id: "e-1", list: "deny", kind: "card_fingerprint", value: "F31828E2BDAB", note: null }]} reply={undefined} />
      </>,
      "de",
    );
    expect(screen.getByLabelText("Sperren nach mehr als so vielen Zahlungen")).toBeTruthy();
    expect(screen.getByText("Pro E-Mail, Karte oder IP-Adresse. Leer: aus.")).toBeTruthy();
    expect((screen.getByLabelText("fehlgeschlagen oder abgelehnt") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText("Karte nicht registriert") as HTMLInputElement).checked).toBe(false);
    expect(screen.getByText("Karten-Fingerprint")).toBeTruthy();
    expect(screen.getByRole("button", { name: "F31828E2BDAB von der Sperrliste entfernen" })).toBeTruthy();
  });
});
