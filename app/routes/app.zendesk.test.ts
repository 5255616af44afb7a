// Settings > Zendesk: a connection's secret is made here, encrypted, shown once; permissions are
// validated field by field; everything is scoped to the signed-in shop and audited.
import { beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { callAction } from "../../test/helpers/shopify";
import { extensionRequest, seedOfflineSession, seedStaff, sessionToken } from "../../test/helpers/session-token";
import { db } from "../db.server";
import { formatDateTime } from "../lib/dates";
import { previousSecretOf, sharedSecretOf } from "../zendesk/connections.server";
import { action, loader } from "./app.zendesk";

const A = "zendesk-settings-a.myshopify.com";
const B = "zendesk-settings-b.myshopify.com";
let shopA: string;

const post = (shop: string, fields: Record<string, string>) =>
  callAction(action, extensionRequest("/app/zendesk", shop, { method: "POST", body: new URLSearchParams(fields) }));
const load = async (shop: string) => (await callAction(loader, extensionRequest("/app/zendesk", shop))).json();

beforeAll(async () => {
  shopA = (await createShop(A)).id;
  await createShop(B);
  await seedOfflineSession(A);
  await seedStaff(A, { userId: 74_000_001 });
  await seedOfflineSession(B);
  await seedStaff(B, { userId: 74_000_001 });
});

async function connect(subdomain = "https://Acme.zendesk.com/agent/") {
  const response = await post(A, { intent: "create", subdomain });
  expect(response.status).toBe(200);
  return (await response.json()) as { secret: { value: string; connection: { id: string } } };
}

describe("/app/zendesk", () => {
  it("creates a connection, shows its secret once, and stores it only encrypted", async () => {
    const created = await connect();
    const { value: secret, connection } = created.secret;
    expect(secret.length).toBeGreaterThanOrEqual(43);

    const row = await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(row).toMatchObject({ shopId: shopA, subdomain: "acme", secretLast4: secret.slice(-4), allowRefunds: true });
    expect(row.sharedSecretEnc).not.toContain(secret);
    expect(sharedSecretOf(row)).toBe(secret);
    // Bound to its record: the ciphertext does not open as another connection's.
    expect(() => sharedSecretOf({ id: "another-id", sharedSecretEnc: row.sharedSecretEnc })).toThrow();

    const listed = await load(A);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.backendUrl).toBe("https://cko-companion.test");
    expect(listed.connections.find((c: { id: string }) => c.id === connection.id)).toMatchObject({ subdomain: "acme", secretLast4: secret.slice(-4) });
    expect(await db().auditLog.count({ where: { shopId: shopA, action: "zendesk.connect" } })).toBeGreaterThan(0);
  });

  it("refuses a subdomain that is not one, with the field's error", async () => {
    const before = await db().zendeskConnection.count();
    const response = await post(A, { intent: "create", subdomain: "acme corp!" });
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors.subdomain).toMatch(/part before \.zendesk\.com/);
    expect(await db().zendeskConnection.count()).toBe(before);
  });

  it("saves permissions and refund limits per currency in minor units, and explains bad ones", async () => {
    const { connection } = (await connect("acme-perms")).secret;
    const caps = () =>
      db().zendeskRefundCap.findMany({ where: { connectionId: connection.id }, orderBy: { currency: "asc" }, select: { currency: true, maxAmount: true } });
    const saved = await post(A, {
      intent: "permissions",
      id: connection.id,
      allowRefunds: "true",
      "cap.0.currency": "EUR",
      "cap.0.amount": "250.50",
      "cap.1.currency": "jpy",
      "cap.1.amount": "30000",
      "cap.2.currency": "USD",
      "cap.2.amount": "",
    });
    expect(saved.status).toBe(200);
    expect(await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
      allowRefunds: true,
      allowVoids: false,
      allowEvidence: false,
    });
    // A yen limit is whole yen, a euro limit cents; USD without an amount has no limit.
    expect(await caps()).toEqual([
      { currency: "EUR", maxAmount: 25_050 },
      { currency: "JPY", maxAmount: 30_000 },
      { currency: "USD", maxAmount: null },
    ]);
    expect((await load(A)).connections.find((c: { id: string }) => c.id === connection.id).refundCaps).toEqual([
      { currency: "EUR", amount: "250.50" },
      { currency: "JPY", amount: "30000" },
      { currency: "USD", amount: "" },
    ]);

    const bad = await post(A, {
      intent: "permissions",
      id: connection.id,
      allowRefunds: "true",
      "cap.0.currency": "EUR",
      "cap.0.amount": "12.345",
      "cap.1.currency": "JPY",
      "cap.1.amount": "10.5",
      "cap.2.currency": "XYZ",
      "cap.3.currency": "EUR",
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fieldErrors).toEqual({
      "cap.0.amount": "EUR has 2 decimal places.",
      "cap.1.amount": "JPY has no decimal places.",
      "cap.2.currency": "XYZ is not a currency code; use one like EUR or JPY.",
      "cap.3.currency": "EUR is listed twice.",
    });
    expect((await caps()).length).toBe(3);

    // Cancelling orders from Zendesk is off until the merchant turns it on.
    expect(await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({ allowCancel: false });
    await post(A, { intent: "permissions", id: connection.id, allowVoids: "true", allowCancel: "true" });
    expect(await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
      allowRefunds: false,
      allowVoids: true,
      allowCancel: true,
    });
    expect(await caps()).toEqual([]);
  });

  it("rotates the secret (shown once again) and revokes for good", async () => {
    const { value: first, connection } = (await connect("acme-rotate")).secret;
    const rotated = await post(A, { intent: "rotate", id: connection.id });
    const { secret } = await rotated.json();
    expect(secret.value).not.toBe(first);
    expect(sharedSecretOf(await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } }))).toBe(secret.value);

    expect((await post(A, { intent: "revoke", id: connection.id })).status).toBe(200);
    expect((await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } })).revokedAt).not.toBeNull();
    expect((await post(A, { intent: "rotate", id: connection.id })).status).toBe(404);
    expect((await post(A, { intent: "permissions", id: connection.id, allowRefunds: "true" })).status).toBe(404);
  });

  it("rotates with the grace chosen in the form, lists it, and stops the previous secret on request (audited)", async () => {
    const { value: first, connection } = (await connect("acme-grace")).secret;
    const rotated = await post(A, { intent: "rotate", id: connection.id, graceHours: "72" });
    expect(rotated.status).toBe(200);
    const { secret, message } = await rotated.json();
    const until = secret.connection.previousSecretExpiresAt;
    expect(new Date(until).getTime() - Date.now()).toBeGreaterThan(71 * 3_600_000);
    expect(message).toBe(
      `New shared secret made. The previous one keeps working until ${formatDateTime(until, null, "en")}: update the Zendesk app's settings before then.`,
    );
    const row = await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(previousSecretOf(row)).toBe(first);
    const listed = await load(A);
    expect(JSON.stringify(listed)).not.toContain(first);
    expect(listed.connections.find((c: { id: string }) => c.id === connection.id)).toMatchObject({
      previousSecretExpiresAt: until,
      previousSecretUsedAt: null,
    });

    // Another shop cannot stop it; this shop's admin can, once.
    expect((await post(B, { intent: "stopPreviousSecret", id: connection.id })).status).toBe(404);
    expect(previousSecretOf(await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } }))).toBe(first);
    const stopped = await post(A, { intent: "stopPreviousSecret", id: connection.id });
    expect(stopped.status).toBe(200);
    expect((await stopped.json()).message).toBe("The previous shared secret is no longer accepted.");
    expect(await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
      previousSecretEnc: null,
      previousSecretExpiresAt: null,
    });
    const again = await post(A, { intent: "stopPreviousSecret", id: connection.id });
    expect(again.status).toBe(404);
    expect((await again.json()).message).toBe("This connection has no previous shared secret that is still accepted.");
    const audited = await db().auditLog.findMany({ where: { shopId: shopA, action: { in: ["zendesk.rotate_secret", "zendesk.stop_previous_secret"] } } });
    expect(
      audited
        .filter((e) => e.details.includes(connection.id))
        .map((e) => e.action)
        .sort(),
    ).toEqual(["zendesk.rotate_secret", "zendesk.stop_previous_secret"]);

    const leaked = await post(A, { intent: "rotate", id: connection.id, graceHours: "0" });
    expect((await leaked.json()).message).toBe("New shared secret made. The old one no longer works: update the Zendesk app's settings now.");
  });

  it("refuses a grace that is not offered, in the staff member's language, and keeps the secret", async () => {
    const { value: first, connection } = (await connect("acme-grace-refused")).secret;
    const refused = await post(A, { intent: "rotate", id: connection.id, graceHours: "12" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      message: "Fix the highlighted field. The secret was not changed.",
      fieldErrors: { graceHours: "Choose how long the previous secret keeps working: 0, 1, 24 or 72 hours." },
    });
    await seedStaff(A, { userId: 74_000_010, locale: "de" });
    const german = await callAction(
      action,
      extensionRequest("/app/zendesk", A, {
        method: "POST",
        token: sessionToken(A, { userId: 74_000_010 }),
        body: new URLSearchParams({ intent: "rotate", id: connection.id, graceHours: "168" }),
      }),
    );
    expect(await german.json()).toMatchObject({
      message: "Korrigieren Sie das markierte Feld. Das Geheimnis wurde nicht geändert.",
      fieldErrors: { graceHours: "Wählen Sie, wie lange das vorherige Geheimnis weiter funktioniert: 0, 1, 24 oder 72 Stunden." },
    });
    expect(sharedSecretOf(await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } }))).toBe(first);
  });

  it("does not let another shop see, change, rotate or revoke this shop's connection", async () => {
    const { connection } = (await connect("acme-tenancy")).secret;
    expect((await load(B)).connections).toEqual([]);
    expect((await post(B, { intent: "revoke", id: connection.id })).status).toBe(404);
    expect((await post(B, { intent: "rotate", id: connection.id })).status).toBe(404);
    expect((await post(B, { intent: "permissions", id: connection.id, "cap.0.currency": "EUR", "cap.0.amount": "1" })).status).toBe(404);
    expect(await db().zendeskConnection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({ revokedAt: null, allowRefunds: true });
    expect(await db().zendeskRefundCap.count({ where: { connectionId: connection.id, maxAmount: 100 } })).toBe(0);
  });

  it("answers 400 for an unknown intent", async () => {
    expect((await post(A, { intent: "delete-everything" })).status).toBe(400);
  });

  it("answers in the staff member's language", async () => {
    await seedStaff(A, { userId: 74_000_009, locale: "de" });
    const token = sessionToken(A, { userId: 74_000_009 });
    const ask = (fields: Record<string, string>) =>
      callAction(action, extensionRequest("/app/zendesk", A, { method: "POST", token, body: new URLSearchParams(fields) }));
    const created = await ask({ intent: "create", subdomain: "acme-deutsch" });
    expect(created.status).toBe(200);
    const { message, secret } = await created.json();
    expect(message).toBe("acme-deutsch.zendesk.com ist verbunden.");
    const refused = await ask({ intent: "create", subdomain: "acme corp!" });
    expect(await refused.json()).toMatchObject({
      message: "Korrigieren Sie das markierte Feld. Es wurde nichts angelegt.",
      fieldErrors: { subdomain: "Verwenden Sie den Teil vor .zendesk.com: Buchstaben, Ziffern und Bindestriche, z. B. acme für acme.zendesk.com." },
    });
    const limits = await ask({
      intent: "permissions",
      id: secret.connection.id,
      "cap.0.currency": "EUROS",
      "cap.1.currency": "JPY",
      "cap.1.amount": "10.5",
      "cap.2.currency": "EUR",
      "cap.2.amount": "0",
      allowRefunds: "maybe",
    });
    expect(limits.status).toBe(400);
    expect((await limits.json()).fieldErrors).toEqual({
      "cap.0.currency": "EUROS ist kein Währungscode; verwenden Sie einen wie EUR oder JPY.",
      "cap.1.amount": "JPY hat keine Nachkommastellen.",
      "cap.2.amount": "Entfernen Sie stattdessen EUR: Ohne Limitzeile können EUR-Zahlungen nicht über Zendesk erstattet werden.",
      allowRefunds: "Muss ein- oder ausgeschaltet sein.",
    });
    const unknown = await ask({ intent: "revoke", id: crypto.randomUUID() });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).message).toBe("Diese Zendesk-Verbindung existiert in diesem Shop nicht oder wurde bereits widerrufen.");
  });
});
