import { describe, expect, it } from "vitest";
import { acceptsEvidence, countdown, isDeadlinePassed, statusBadge } from "./status";

const now = new Date("2026-03-01T12:00:00Z");
const later = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe("deadlines", () => {
  it("counts down in days, then hours, then minutes; urgent within 48 hours", () => {
    expect(countdown(later(5 * 86_400_000 + 3_600_000), now)).toEqual({ text: "5 days left", urgent: false, overdue: false });
    expect(countdown(later(47 * 3_600_000), now)).toEqual({ text: "47 hours left", urgent: true, overdue: false });
    expect(countdown(later(3_600_000), now)).toEqual({ text: "1 hour left", urgent: true, overdue: false });
    expect(countdown(later(30 * 60_000 + 5_000), now)).toEqual({ text: "30 minutes left", urgent: true, overdue: false });
    expect(countdown(later(0), now)).toEqual({ text: "Overdue", urgent: true, overdue: true });
    expect(countdown(null, now).text).toBe("No deadline");
  });

  it("treats the deadline instant itself as passed", () => {
    expect(isDeadlinePassed(later(1), now)).toBe(false);
    expect(isDeadlinePassed(later(0), now)).toBe(true);
    expect(isDeadlinePassed(null, now)).toBe(false);
  });
});

describe("statuses", () => {
  it("takes evidence only while required, unanswered and before the deadline", () => {
    const open = { status: "evidence_required", responseState: "none", evidenceRequiredBy: later(3_600_000), submittedAt: null, category: "fraudulent" };
    expect(acceptsEvidence(open, now)).toBe(true);
    expect(acceptsEvidence({ ...open, responseState: "submitting" }, now)).toBe(false);
    expect(acceptsEvidence({ ...open, responseState: "accepted" }, now)).toBe(false);
    expect(acceptsEvidence({ ...open, status: "evidence_under_review" }, now)).toBe(false);
    expect(acceptsEvidence({ ...open, evidenceRequiredBy: later(-1) }, now)).toBe(false);
  });

  it("labels known statuses and spells out unknown ones", () => {
    expect(statusBadge("won")).toEqual({ label: "Won", tone: "success" });
    expect(statusBadge("some_new_status")).toEqual({ label: "some new status", tone: undefined });
  });
});
