// Home's loader with real session tokens: the warning about unanswered disputes due within the shop's
// reminder lead time (whether or not the Flow trigger is on), counting only the signed-in shop's; and
// the import from Checkout.com, with its retry.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createConnectedShop, createShop } from "../../test/helpers/factories";
import { extensionRequest, seedOfflineSession, seedStaff, sessionToken } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import { db } from "../db.server";
import { startCheckoutBackfill } from "../checkout/backfill.server";
import { enabledFlowTriggers } from "../flow/settings.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { action, loader } from "./app._index";

const A = "home-evidence-a.myshopify.com";
const B = "home-evidence-b.myshopify.com";
const HOUR = 3_600_000;
let shopA: string;
let shopB: string;

async function disputeRow(shopId: string, dueInHours: number, fields: { status?: string; responseState?: string } = {}) {
  return db().dispute.create({
    data: {
      shopId,
      ckoDisputeId: `dsp_${randomUUID().replaceAll("-", "").slice(0, 26)}`,
      amount: 5_000,
      currency: "USD",
      status: fields.status ?? "evidence_required",
      responseState: fields.responseState ?? "none",
      evidenceRequiredBy: new Date(Date.now() + dueInHours * HOUR),
    },
  });
}

const home = async (domain: string) => (await callAction(loader, extensionRequest("/app", domain))).json();

beforeAll(async () => {
  shopA = (await createShop(A)).id;
  shopB = (await createShop(B)).id;
  for (const domain of [A, B]) {
    await seedOfflineSession(domain);
    // The session token's default user.
    await seedStaff(domain, { userId: 74_000_001 });
  }
});

describe("Home: dispute evidence due soon", () => {
  it("counts this shop's unanswered disputes due within the lead time and gives the nearest deadline", async () => {
    expect((await home(A)).evidenceDue).toEqual({ count: 0, nearest: null, hours: 72 });

    const nearest = await disputeRow(shopA, 10);
    await disputeRow(shopA, 50);
    await disputeRow(shopA, 100); // further than the lead time
    await disputeRow(shopA, 5, { responseState: "submitted" });
    await disputeRow(shopA, 5, { status: "evidence_under_review" });
    await disputeRow(shopA, 5, { status: "won" });
    await disputeRow(shopA, -1); // its deadline passed
    const theirs = await disputeRow(shopB, 3);

    // The Flow trigger is off: the warning is shown all the same.
    expect(await enabledFlowTriggers(shopA)).toEqual([]);
    expect((await home(A)).evidenceDue).toEqual({ count: 2, nearest: nearest.evidenceRequiredBy!.toISOString(), hours: 72 });
    // Shop B sees only its own dispute, never shop A's.
    expect((await home(B)).evidenceDue).toEqual({ count: 1, nearest: theirs.evidenceRequiredBy!.toISOString(), hours: 72 });
  });

  it("follows the lead time the merchant set", async () => {
    await db().shopSettings.update({ where: { shopId: shopA }, data: { evidenceReminderHours: 120 } });
    expect((await home(A)).evidenceDue).toMatchObject({ count: 3, hours: 120 });
    await db().shopSettings.update({ where: { shopId: shopA }, data: { evidenceReminderHours: 8 } });
    expect((await home(A)).evidenceDue).toEqual({ count: 0, nearest: null, hours: 8 });
  });
});

describe("Home: the import from Checkout.com", () => {
  const retry = (domain: string, intent = "retry-checkout-import") =>
    callAction(action, extensionRequest("/app", domain, { method: "POST", body: new URLSearchParams({ intent }) }));

  it("shows the import of the shop's connection and retries it where it stopped, for that shop only", async () => {
    const C = "home-import-c.myshopify.com";
    const { shop, connection } = await createConnectedShop(C);
    await seedOfflineSession(C);
    await seedStaff(C, { userId: 74_000_001 });
    expect((await home(A)).checkoutImport).toBeNull(); // not connected
    await startCheckoutBackfill(shop.id, connection);
    expect((await home(C)).checkoutImport).toMatchObject({ state: "running", phase: "disputes", disputesFound: 0, paymentsFound: 0 });

    // Shop A (not connected) has nothing to retry, and cannot retry shop C's.
    await db().job.updateMany({
      where: { shopId: shop.id, kind: JOB_KINDS.checkoutBackfill },
      data: { status: "dead", lastError: "Checkout.com answered 503" },
    });
    const refused = await retry(A);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      intent: "retry-checkout-import",
      ok: false,
      message: "Connect Checkout.com in Settings first.",
    });
    expect((await home(C)).checkoutImport).toMatchObject({ state: "failed", error: "Checkout.com answered 503" });

    expect((await retry(C)).status).toBe(200);
    expect((await home(C)).checkoutImport).toMatchObject({ state: "running", phase: "disputes" });
    const unknown = await retry(C, "something-else");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ ok: false, message: "Unknown form." });

    // The action's own answer is in the staff member's language.
    await seedStaff(C, { userId: 74_000_002, role: "admin", locale: "fr" });
    const french = await callAction(
      action,
      extensionRequest("/app", C, { method: "POST", body: new URLSearchParams({ intent: "other" }), token: sessionToken(C, { userId: 74_000_002 }) }),
    );
    expect(await french.json()).toMatchObject({ ok: false, message: "Formulaire inconnu." });

    // The domain's answers too: nothing is stopped now.
    const token = sessionToken(C, { userId: 74_000_002 });
    const nothing = await callAction(
      action,
      extensionRequest("/app", C, { method: "POST", body: new URLSearchParams({ intent: "retry-checkout-import" }), token }),
    );
    expect(nothing.status).toBe(409);
    expect(await nothing.json()).toMatchObject({ ok: false, message: "Aucun import arrêté depuis Checkout.com n'est à relancer." });

    // What was recorded in English (the last test, the import's error) is read in French; English staff read it as recorded.
    await db().checkoutConnection.update({
      where: { id: connection.id },
      data: { lastTestOk: true, lastTestMessage: "Connected to Checkout.com sandbox (NAS)." },
    });
    await db().checkoutBackfill.updateMany({
      where: { shopId: shop.id },
      data: { lastError: "Checkout.com is rate limiting this account. Try again in a minute." },
    });
    const page = await (await callAction(loader, extensionRequest("/app", C, { token }))).json();
    expect(page.connection.lastTestMessage).toBe("Connecté à Checkout.com en sandbox (NAS).");
    expect(page.checkoutImport).toMatchObject({
      state: "running",
      lastError: "Checkout.com limite le nombre de requêtes de ce compte. Réessayez dans une minute.",
    });
    const english = await home(C);
    expect(english.connection.lastTestMessage).toBe("Connected to Checkout.com sandbox (NAS).");
    expect(english.checkoutImport.lastError).toBe("Checkout.com is rate limiting this account. Try again in a minute.");
  });
});
