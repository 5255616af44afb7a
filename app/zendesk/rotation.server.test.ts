// Rotating a connection's shared secret without downtime: the secret it replaces keeps signing valid
// requests until its grace ends (audited the first time), then is refused with a message that says
// why; grace 0 and "stop now" refuse it at once; one shop's rotation never touches another's.
import { describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { connectZendesk, zendeskRequest, zendeskToken, type ZendeskSetup } from "../../test/helpers/zendesk";
import { db } from "../db.server";
import { applyRetention } from "../shops/retention.server";
import { authenticateZendesk } from "./auth.server";
import {
  listZendeskConnections,
  PREVIOUS_SECRET_USED,
  previousSecretOf,
  resealZendeskSecrets,
  revokeZendeskConnection,
  rotateZendeskSecret,
  sharedSecretOf,
  stopAcceptingPreviousSecret,
} from "./connections.server";
import { zendeskRoutes } from "./contract";
import { ZendeskApiError } from "./errors";

const HOUR_MS = 3_600_000;
const ADMIN = "owner@example.com";

/** Authenticates a request signed with `secret` at `at`, as Zendesk's proxy would sign it then: the caller, or the 401's message. */
async function signedAt(setup: ZendeskSetup, secret: string, at: Date): Promise<{ ok: true; actor: string } | { ok: false; status: number; message: string }> {
  const token = await zendeskToken({ ...setup, secret }, { iat: Math.floor(at.getTime() / 1000) });
  try {
    const caller = await authenticateZendesk(zendeskRequest(zendeskRoutes.payment("pay_x"), token), at);
    return { ok: true, actor: caller.actor };
  } catch (error) {
    if (!(error instanceof ZendeskApiError)) throw error;
    return { ok: false, status: error.status, message: error.message };
  }
}

async function rotate(setup: ZendeskSetup, form: Record<string, unknown>, now: Date) {
  const rotated = await rotateZendeskSecret(setup.connection.shopId, setup.connection.id, ADMIN, form, now);
  if (!rotated.ok) throw new Error(rotated.message);
  return rotated;
}

async function world() {
  const shop = await createShop();
  return { shopId: shop.id, zendesk: await connectZendesk(shop.id) };
}

const row = (id: string) => db().zendeskConnection.findUniqueOrThrow({ where: { id } });
const auditOf = (shopId: string, action: string) => db().auditLog.findMany({ where: { shopId, action }, orderBy: { createdAt: "asc" } });
const ROTATED = /previous shared secret, which stopped working after the secret was rotated/;

describe("rotating a Zendesk shared secret", () => {
  it("accepts the new secret, and the old one for 24 hours by default, then refuses it saying it was rotated", async () => {
    const { shopId, zendesk } = await world();
    const now = new Date();
    const rotated = await rotate(zendesk, {}, now);
    const until = new Date(now.getTime() + 24 * HOUR_MS);
    // What a caller needs to push the new secret into the installed app.
    expect(rotated.secret).not.toBe(zendesk.secret);
    expect(rotated.connection.previousSecretExpiresAt).toBe(until.toISOString());

    const stored = await row(zendesk.connection.id);
    expect(stored.previousSecretExpiresAt).toEqual(until);
    expect(stored.previousSecretEnc).not.toContain(zendesk.secret);
    expect(previousSecretOf(stored)).toBe(zendesk.secret);
    // Sealed for its own field: the ciphertext does not open as the current secret.
    expect(() => sharedSecretOf({ id: stored.id, sharedSecretEnc: stored.previousSecretEnc! })).toThrow();

    expect(await signedAt(zendesk, rotated.secret, now)).toMatchObject({ ok: true });
    expect(await signedAt(zendesk, zendesk.secret, now)).toMatchObject({ ok: true });
    expect(await signedAt(zendesk, zendesk.secret, new Date(until.getTime() - 60_000))).toMatchObject({ ok: true });

    const after = new Date(until.getTime() + 1000);
    expect(await signedAt(zendesk, zendesk.secret, after)).toMatchObject({ ok: false, status: 401, message: expect.stringMatching(ROTATED) });
    expect(await signedAt(zendesk, rotated.secret, after)).toMatchObject({ ok: true });
    // A secret that never was this connection's gets the usual answer.
    expect(await signedAt(zendesk, "never-this-connections-secret-0123456789ab", after)).toMatchObject({
      ok: false,
      message: "The token's signature or time is not valid for this Zendesk connection.",
    });

    expect((await auditOf(shopId, "zendesk.rotate_secret")).map((e) => JSON.parse(e.details))).toEqual([
      { connectionId: zendesk.connection.id, graceHours: 24, previousSecretAcceptedUntil: until.toISOString() },
    ]);
  });

  it("audits the first request signed with the previous secret once, and the Zendesk page shows it", async () => {
    const { shopId, zendesk } = await world();
    const now = new Date();
    await rotate(zendesk, { graceHours: "72" }, now);
    expect((await listZendeskConnections(shopId, now))[0]).toMatchObject({ previousSecretUsedAt: null });

    expect(await signedAt(zendesk, zendesk.secret, now)).toMatchObject({ ok: true, actor: expect.stringContaining("Jane Agent") });
    expect(await signedAt(zendesk, zendesk.secret, new Date(now.getTime() + HOUR_MS))).toMatchObject({ ok: true });
    const used = await auditOf(shopId, PREVIOUS_SECRET_USED);
    expect(used).toHaveLength(1);
    expect(used[0]).toMatchObject({ source: "zendesk", result: "ok", actor: expect.stringContaining("(as claimed in Zendesk acme)") });
    expect(JSON.parse(used[0].details)).toEqual({ connectionId: zendesk.connection.id, acceptedUntil: new Date(now.getTime() + 72 * HOUR_MS).toISOString() });
    // The new secret is not a use of the previous one.
    expect((await listZendeskConnections(shopId, now))[0]).toMatchObject({ previousSecretUsedAt: used[0].createdAt.toISOString() });
  });

  it("refuses the old secret at once with a grace of 0 (a leaked secret), keeping nothing of it", async () => {
    const { zendesk } = await world();
    const now = new Date();
    const rotated = await rotate(zendesk, { graceHours: "0" }, now);
    expect(rotated.connection.previousSecretExpiresAt).toBeNull();
    expect(await row(zendesk.connection.id)).toMatchObject({ previousSecretEnc: null, previousSecretExpiresAt: null });
    expect(await signedAt(zendesk, zendesk.secret, now)).toMatchObject({ ok: false, status: 401 });
    expect(await signedAt(zendesk, rotated.secret, now)).toMatchObject({ ok: true });
  });

  it("stops accepting the previous secret on request (audited), and says so when there is none", async () => {
    const { shopId, zendesk } = await world();
    const now = new Date();
    const rotated = await rotate(zendesk, { graceHours: "24" }, now);
    expect(await stopAcceptingPreviousSecret(shopId, zendesk.connection.id, ADMIN, now)).toBe(true);
    expect(await row(zendesk.connection.id)).toMatchObject({ previousSecretEnc: null, previousSecretExpiresAt: null });
    expect(await signedAt(zendesk, zendesk.secret, now)).toMatchObject({ ok: false, status: 401 });
    expect(await signedAt(zendesk, rotated.secret, now)).toMatchObject({ ok: true });
    expect(await stopAcceptingPreviousSecret(shopId, zendesk.connection.id, ADMIN, now)).toBe(false);
    const stopped = await auditOf(shopId, "zendesk.stop_previous_secret");
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ actor: ADMIN, source: "admin" });
  });

  it("keeps one previous secret: a second rotation within the grace drops the first and restarts the grace", async () => {
    const { zendesk } = await world();
    const first = new Date();
    const second = await rotate(zendesk, { graceHours: "1" }, first);
    const later = new Date(first.getTime() + 30 * 60_000);
    const third = await rotate(zendesk, { graceHours: "24" }, later);
    expect(third.connection.previousSecretExpiresAt).toBe(new Date(later.getTime() + 24 * HOUR_MS).toISOString());
    expect(await signedAt(zendesk, zendesk.secret, later)).toMatchObject({ ok: false, status: 401 });
    expect(await signedAt(zendesk, second.secret, later)).toMatchObject({ ok: true });
    expect(await signedAt(zendesk, third.secret, later)).toMatchObject({ ok: true });
    // The 1-hour grace no longer applies to the secret rotated out second.
    expect(await signedAt(zendesk, second.secret, new Date(first.getTime() + 2 * HOUR_MS))).toMatchObject({ ok: true });
  });

  it("refuses both secrets of a revoked connection, and forgets the previous one", async () => {
    const { shopId, zendesk } = await world();
    const now = new Date();
    const rotated = await rotate(zendesk, {}, now);
    expect(await revokeZendeskConnection(shopId, zendesk.connection.id, ADMIN)).toBe(true);
    expect(await row(zendesk.connection.id)).toMatchObject({ previousSecretEnc: null, previousSecretExpiresAt: null });
    expect(await signedAt(zendesk, rotated.secret, now)).toMatchObject({ ok: false, status: 401, message: expect.stringMatching(/revoked/) });
    expect(await signedAt(zendesk, zendesk.secret, now)).toMatchObject({ ok: false, status: 401 });
  });

  it("refuses a grace that is not one of the choices, and changes nothing", async () => {
    const { shopId, zendesk } = await world();
    for (const graceHours of ["5", "-1", "24h", ""]) {
      const refused = await rotateZendeskSecret(shopId, zendesk.connection.id, ADMIN, { graceHours });
      expect(refused).toMatchObject({
        ok: false,
        fieldErrors: { graceHours: "Choose how long the previous secret keeps working: 0, 1, 24 or 72 hours." },
        fieldWords: { graceHours: { key: "zendesk.graceHours" } },
      });
    }
    expect(sharedSecretOf(await row(zendesk.connection.id))).toBe(zendesk.secret);
  });

  it("never touches another shop's connection", async () => {
    const a = await world();
    const b = await world();
    const now = new Date();
    await rotate(b.zendesk, {}, now);
    const before = await row(b.zendesk.connection.id);

    expect(await rotateZendeskSecret(a.shopId, b.zendesk.connection.id, ADMIN, {}, now)).toMatchObject({ ok: false });
    expect(await stopAcceptingPreviousSecret(a.shopId, b.zendesk.connection.id, ADMIN, now)).toBe(false);
    await rotate(a.zendesk, { graceHours: "0" }, now);
    expect(await row(b.zendesk.connection.id)).toEqual(before);
    expect(await signedAt(b.zendesk, b.zendesk.secret, now)).toMatchObject({ ok: true });
    // Shop A's secrets, current or previous, never open shop B's connection.
    expect(await signedAt(b.zendesk, a.zendesk.secret, now)).toMatchObject({ ok: false, status: 401 });
    expect(await auditOf(a.shopId, "zendesk.rotate_secret")).toHaveLength(1);
    expect(await auditOf(a.shopId, "zendesk.stop_previous_secret")).toHaveLength(0);
  });

  it("deletes an expired previous secret in the daily retention run, and only an expired one", async () => {
    const expired = await world();
    const inGrace = await world();
    const long = new Date(Date.now() - 2 * HOUR_MS);
    await rotate(expired.zendesk, { graceHours: "1" }, long);
    await rotate(inGrace.zendesk, { graceHours: "72" }, long);
    expect((await listZendeskConnections(expired.shopId))[0].previousSecretExpiresAt).toBeNull();

    await applyRetention(expired.shopId);
    await applyRetention(inGrace.shopId);
    expect(await row(expired.zendesk.connection.id)).toMatchObject({ previousSecretEnc: null, previousSecretExpiresAt: null });
    expect(previousSecretOf(await row(inGrace.zendesk.connection.id))).toBe(inGrace.zendesk.secret);
    expect(await resealZendeskSecrets()).toBe(0);
  });
});
