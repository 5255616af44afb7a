// The dispute words the screens and the routes' answers use: the same facts as status.ts's English,
// in the staff member's language.
import { describe, expect, it } from "vitest";
import { translator } from "../../i18n/i18n";
import type { Locale } from "../../i18n/locales";
import { formatDateTime } from "../../lib/dates";
import { evidenceRefusal, refusalReason, type DisputeAnswerState } from "../status";
import { disputeWords } from "./labels";

const now = new Date("2026-03-01T12:00:00Z");
const words = (locale: Locale) => disputeWords(translator(locale, "disputes"), locale, (at) => formatDateTime(at, null, locale));
const open: DisputeAnswerState = {
  status: "evidence_required",
  responseState: "none",
  evidenceRequiredBy: "2026-03-05T12:00:00Z",
  submittedAt: null,
  category: "fraudulent",
};
const cases: DisputeAnswerState[] = [
  { ...open, responseState: "submitted", submittedAt: "2026-02-27T09:30:00Z" },
  { ...open, responseState: "submitting" },
  { ...open, responseState: "accepted" },
  { ...open, status: "arbitration_won", category: "not_as_described" },
  { ...open, evidenceRequiredBy: "2026-02-28T08:00:00Z" },
];

describe("dispute words", () => {
  it("say in English exactly what the domain's English refusal says", () => {
    expect(refusalReason(open, now)).toBeNull();
    for (const dispute of cases) expect(words("en").refusal(refusalReason(dispute, now)!)).toBe(evidenceRefusal(dispute, now));
  });

  it("say why in German and French, a closed dispute's status and category as labels", () => {
    const closed = refusalReason(cases[3], now)!;
    expect(words("de").refusal(closed)).toBe(
      "Dieser Streitfall (Nicht wie beschrieben) hat den Status „Im Schiedsverfahren gewonnen“: Checkout.com nimmt dafür keine Nachweise mehr an.",
    );
    expect(words("fr").refusal(refusalReason(cases[4], now)!)).toBe(
      "L'échéance de réponse était le 28 févr. 2026, 08:00 UTC\u00a0: Checkout.com n'accepte plus de preuves pour ce litige.",
    );
  });

  it("name unknown categories and statuses as Checkout.com spells them, and count down in the language's plural", () => {
    expect(words("de").category("some_new_reason")).toBe("some new reason");
    expect(words("de").category(null)).toBe("Unbekannter Grund");
    expect(words("fr").status("some_new_status")).toBe("some new status");
    expect(words("de").timeLeft("2026-03-02T13:00:00Z", now)).toEqual({ text: "Noch 25 Stunden", urgent: true, overdue: false });
    expect(words("fr").timeLeft("2026-03-01T12:01:30Z", now).text).toBe("1 minute restante");
    expect(words("fr").timeLeft("2026-03-04T12:00:00Z", now).text).toBe("3 jours restants");
    expect(words("de").timeLeft(null, now).text).toBe("Keine Frist");
    expect(words("en").timeLeft("2026-03-01T11:00:00Z", now)).toEqual({ text: "Overdue", urgent: true, overdue: true });
  });
});
