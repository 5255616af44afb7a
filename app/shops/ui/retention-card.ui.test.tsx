// @vitest-environment jsdom
// Settings → Data retention as people see it: the days as form fields with their ranges, what the last
// run removed, the field errors of a refused save, and no way to save for someone who is not an admin.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { remixHooks, renderPage } from "../../../test/helpers/remix-page";
import type { RetentionView } from "../retention.server";

const remix = vi.hoisted(() => ({ loaderData: null as unknown }));
vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));

const { RetentionCard } = await import("./retention-card");

const view = (overrides: Partial<RetentionView> = {}): RetentionView => ({
  payloadRetentionDays: 30,
  jobRetentionDays: 45,
  auditRetentionDays: 365,
  evidenceDaysAfterClose: 90,
  limits: {
    payloadRetentionDays: { min: 7, max: 365 },
    jobRetentionDays: { min: 7, max: 365 },
    auditRetentionDays: { min: 90, max: 3650 },
  },
  lastRun: null,
  ...overrides,
});

afterEach(() => cleanup());

describe("the data retention card", () => {
  it("lets an admin change the days, each within its range, and says it has not run yet", () => {
    const { container } = renderPage(<RetentionCard view={view()} canEdit reply={undefined} busy={false} />);
    const jobs = screen.getByLabelText("Finished background jobs") as HTMLInputElement;
    expect(jobs.value).toBe("45");
    expect(jobs.name).toBe("jobRetentionDays");
    expect(jobs.disabled).toBe(false);
    expect((screen.getByLabelText("Audit log") as HTMLInputElement).min).toBe("90");
    expect(container.textContent).toContain("From 90 to 3650 days.");
    expect(container.textContent).toContain("Evidence files are deleted 90 days after their dispute closed.");
    expect(container.textContent).toContain("It has not run yet.");
    expect(container.querySelector('input[name="intent"]')?.getAttribute("value")).toBe("retention");
    expect(screen.getByRole("button", { name: "Save data retention" })).toBeTruthy();
  });

  it("shows a viewer the days and the last run, without a way to save", () => {
    const lastRun = { at: "2026-12-05T00:00:04.000Z", counts: { eventPayloads: 1, jobsShrunk: 12, jobsDeleted: 0, auditEntries: 3, evidenceFiles: 0 } };
    const { container } = renderPage(<RetentionCard view={view({ lastRun })} canEdit={false} reply={undefined} busy={false} />);
    expect((screen.getByLabelText("Webhook payloads") as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole("button", { name: "Save data retention" })).toBeNull();
    expect(container.textContent).toContain("Last run 5 Dec 2026, 00:00 UTC: 1 webhook payload emptied, 12 finished jobs emptied, 3 audit entries deleted.");
  });

  it("shows a refused save's errors beside their fields", () => {
    const reply = {
      intent: "retention",
      ok: false,
      message: "Fix the highlighted fields. Nothing was saved.",
      fieldErrors: { auditRetentionDays: "At least 90 days." },
    };
    const { container } = renderPage(<RetentionCard view={view()} canEdit reply={reply} busy={false} />);
    expect(container.textContent).toContain("Fix the highlighted fields. Nothing was saved.");
    expect(container.textContent).toContain("At least 90 days.");
  });

  it("speaks German: the fields, their ranges, the evidence rule and the last run with its German date", () => {
    const lastRun = { at: "2026-12-05T00:00:04.000Z", counts: { eventPayloads: 0, jobsShrunk: 1, jobsDeleted: 0, auditEntries: 1_200, evidenceFiles: 2 } };
    const { container } = renderPage(<RetentionCard view={view({ lastRun })} canEdit reply={undefined} busy={false} />, "de");
    expect((screen.getByLabelText("Abgeschlossene Hintergrundjobs") as HTMLInputElement).value).toBe("45");
    expect(container.textContent).toContain("Von 90 bis 3650 Tagen.");
    expect(container.textContent).toContain("Nachweisdateien werden 90 Tage nach Abschluss ihres Streitfalls gelöscht.");
    expect(container.textContent).toContain(
      "Letzter Lauf am 5. Dez. 2026, 00:00 UTC: 1 abgeschlossener Job geleert, 1.200 Audit-Einträge gelöscht, 2 Nachweisdateien gelöscht.",
    );
    expect(screen.getByRole("button", { name: "Datenaufbewahrung speichern" })).toBeTruthy();
  });

  it("says in French that the last run found nothing old enough", () => {
    const lastRun = { at: "2026-12-05T00:00:04.000Z", counts: { eventPayloads: 0, jobsShrunk: 0, jobsDeleted: 0, auditEntries: 0, evidenceFiles: 0 } };
    const { container } = renderPage(<RetentionCard view={view({ lastRun })} canEdit={false} reply={undefined} busy={false} />, "fr");
    expect(container.textContent).toContain("Dernière exécution le 5 déc. 2026, 00:00 UTC : rien n'était assez ancien pour être supprimé.");
    expect((screen.getByLabelText("Contenus des webhooks") as HTMLInputElement).disabled).toBe(true);
  });
});
