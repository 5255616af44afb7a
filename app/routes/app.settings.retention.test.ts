// Settings → Data retention through the route: everyone sees the days and the last run, only admins
// change them, a wrong field is answered 400 beside the field, and shop B is never touched.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createShop } from "../../test/helpers/factories";
import { callAction } from "../../test/helpers/shopify";
import { extensionRequest, seedOfflineSession, seedStaff, sessionToken } from "../../test/helpers/session-token";
import { action, loader } from "./app.settings";

const A = "retention-settings-a.myshopify.com";
const B = "retention-settings-b.myshopify.com";
const OWNER = 74_000_001;
const VIEWER = 74_000_002;
const GERMAN_ADMIN = 74_000_003;
let shopA: string;
let shopB: string;

const post = (shop: string, userId: number, fields: Record<string, string>) =>
  callAction(action, extensionRequest("/app/settings", shop, { method: "POST", body: new URLSearchParams(fields), token: sessionToken(shop, { userId }) }));
const load = async (shop: string, userId: number) =>
  (await callAction(loader, extensionRequest("/app/settings", shop, { token: sessionToken(shop, { userId }) }))).json();
const daysOf = (shopId: string) =>
  db().shopSettings.findUniqueOrThrow({ where: { shopId }, select: { payloadRetentionDays: true, jobRetentionDays: true, auditRetentionDays: true } });
const retentionForm = (overrides: Record<string, string> = {}) => ({
  intent: "retention",
  payloadRetentionDays: "60",
  jobRetentionDays: "14",
  auditRetentionDays: "1825",
  ...overrides,
});

beforeAll(async () => {
  shopA = (await createShop(A)).id;
  shopB = (await createShop(B)).id;
  for (const shop of [A, B]) {
    await seedOfflineSession(shop);
    await seedStaff(shop, { userId: OWNER });
    await seedStaff(shop, { userId: VIEWER, role: "viewer" });
  }
  await seedStaff(A, { userId: GERMAN_ADMIN, role: "admin", locale: "de" });
});

describe("Settings → Data retention", () => {
  it("shows a viewer the days and the last run, and refuses their change with 403", async () => {
    const retentionRunAt = new Date("2026-12-05T00:00:03.000Z");
    const counts = { eventPayloads: 12, jobsShrunk: 30, jobsDeleted: 24, auditEntries: 0, evidenceFiles: 2 };
    await db().shopSettings.update({ where: { shopId: shopA }, data: { retentionRunAt, retentionCounts: JSON.stringify(counts) } });
    const page = await load(A, VIEWER);
    expect(page.canEdit).toBe(false);
    expect(page.retention).toMatchObject({
      payloadRetentionDays: 30,
      jobRetentionDays: 30,
      auditRetentionDays: 365,
      evidenceDaysAfterClose: 90,
      lastRun: { at: retentionRunAt.toISOString(), counts },
    });

    const refused = await post(A, VIEWER, retentionForm());
    expect(refused.status).toBe(403);
    expect(await daysOf(shopA)).toEqual({ payloadRetentionDays: 30, jobRetentionDays: 30, auditRetentionDays: 365 });
    expect(await db().auditLog.count({ where: { shopId: shopA, action: "settings.retention_changed" } })).toBe(0);
  });

  it("answers a wrong field with 400 beside it and saves nothing", async () => {
    const response = await post(A, OWNER, retentionForm({ payloadRetentionDays: "400", auditRetentionDays: "30" }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      intent: "retention",
      ok: false,
      fieldErrors: { payloadRetentionDays: "At most 365 days.", auditRetentionDays: "At least 90 days." },
    });
    expect(await daysOf(shopA)).toEqual({ payloadRetentionDays: 30, jobRetentionDays: 30, auditRetentionDays: 365 });
  });

  it("saves an admin's change for this shop only, audited with before and after", async () => {
    const response = await post(A, OWNER, retentionForm());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ intent: "retention", ok: true });
    expect(await daysOf(shopA)).toEqual({ payloadRetentionDays: 60, jobRetentionDays: 14, auditRetentionDays: 1825 });
    expect(await daysOf(shopB)).toEqual({ payloadRetentionDays: 30, jobRetentionDays: 30, auditRetentionDays: 365 });
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA, action: "settings.retention_changed", result: "ok" } });
    expect(JSON.parse(entry.details)).toEqual({
      before: { payloadRetentionDays: 30, jobRetentionDays: 30, auditRetentionDays: 365 },
      after: { payloadRetentionDays: 60, jobRetentionDays: 14, auditRetentionDays: 1825 },
    });
    expect((await load(A, VIEWER)).retention).toMatchObject({ payloadRetentionDays: 60, jobRetentionDays: 14, auditRetentionDays: 1825 });
  });

  it("answers a staff member in their language, field errors included; the audit log keeps the domain's English", async () => {
    const refused = await post(A, GERMAN_ADMIN, retentionForm({ auditRetentionDays: "30", jobRetentionDays: "a week" }));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      ok: false,
      message: "Korrigieren Sie die markierten Felder. Es wurde nichts gespeichert.",
      fieldErrors: { auditRetentionDays: "Mindestens 90 Tage.", jobRetentionDays: "Geben Sie eine Anzahl von Tagen ein." },
    });
    const entry = await db().auditLog.findFirstOrThrow({
      where: { shopId: shopA, action: "settings.retention_changed", result: "error" },
      orderBy: { createdAt: "desc" },
    });
    expect(entry.error).toBe("Enter a number of days. At least 90 days.");
    const saved = await post(A, GERMAN_ADMIN, retentionForm());
    expect(await saved.json()).toMatchObject({ ok: true, message: "Datenaufbewahrung gespeichert." });
    expect(await (await post(A, OWNER, retentionForm())).json()).toMatchObject({ ok: true, message: "Data retention saved." });
  });
});

describe("Settings → Staff roles and environments, in the staff member's language", () => {
  it("answers a German admin's role change in German; the audit log keeps the English", async () => {
    const owner = await post(A, GERMAN_ADMIN, { intent: "staff-role", userId: String(OWNER), role: "viewer" });
    expect(owner.status).toBe(404);
    expect(await owner.json()).toMatchObject({ ok: false, message: "Der Shop-Inhaber ist immer Administrator." });
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA, action: "staff.role", result: "error" } });
    expect(entry.error).toBe("The store owner is always an admin.");

    const changed = await post(A, GERMAN_ADMIN, { intent: "staff-role", userId: String(VIEWER), role: "reviewer" });
    expect(await changed.json()).toMatchObject({ ok: true, message: "Sam Staff hat jetzt die Rolle „Prüfer“." });
    const defaulted = await post(A, OWNER, { intent: "default-role", role: "reviewer" });
    expect(await defaulted.json()).toMatchObject({ ok: true, message: "Staff without a role of their own are now Reviewers." });
  });

  it("refuses a German admin's switch to an environment with no keys in German", async () => {
    const refused = await post(A, GERMAN_ADMIN, { intent: "activate", environment: "production" });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ ok: false, message: "Speichern Sie zuerst die Produktionsschlüssel." });
  });
});
