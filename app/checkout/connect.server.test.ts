// Saving the Settings form and switching environments: the workflow registered and the backfill
// started once per active connection and key, never for the inactive environment.
import { describe, expect, it } from "vitest";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { createShop } from "../../test/helpers/factories";
import { nasAccount, NAS_SANDBOX_KEY } from "../../test/standins/checkout/testing";
import { db } from "../db.server";
import { sayAll } from "../i18n/domain-words";
import { JOB_KINDS } from "../queue/jobs.server";
import { connectCheckout, switchEnvironment } from "./connect.server";

const PRODUCTION_KEY = "sk_" + "q".repeat(26) + "2";
useCheckoutStandIn({
  accounts: [nasAccount(), nasAccount({ id: "live", secretKey: PRODUCTION_KEY })],
  actionLatencyMs: 1,
  webhooks: { delayMs: 0, retryDelaysMs: [], timeoutMs: 1_000 },
});

const sandboxForm = { accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", secretKey: NAS_SANDBOX_KEY };
const productionForm = { accountType: "NAS", environment: "production", subdomain: "live1234", secretKey: PRODUCTION_KEY };
const backfills = (shopId: string) => db().job.findMany({ where: { shopId, kind: JOB_KINDS.checkoutBackfill }, select: { key: true } });

describe("connectCheckout and switchEnvironment", () => {
  it("a first save registers the webhook and starts the import once; production saved beside it imports only when made active", async () => {
    const shop = await createShop();

    const first = await connectCheckout(shop.id, sandboxForm, "admin@example.com");
    expect(first).toMatchObject({
      ok: true,
      message: "Checkout.com connection saved, and its webhook registered. Open disputes and recent payments are being imported: Home shows the progress.",
    });
    if (!first.ok) return;
    expect(sayAll("en", first.words)).toBe(first.message);
    expect(sayAll("de", first.words)).toBe(
      "Checkout.com-Verbindung gespeichert und ihr Webhook registriert. Offene Streitfälle und aktuelle Zahlungen werden importiert: Die Startseite zeigt den Fortschritt.",
    );
    expect(await backfills(shop.id)).toHaveLength(1);

    // Saved again with the same key (a double click, a changed channel): no second import.
    expect(await connectCheckout(shop.id, { ...sandboxForm, secretKey: "" }, "admin@example.com")).toMatchObject({ ok: true });
    expect(await backfills(shop.id)).toHaveLength(1);

    expect(await connectCheckout(shop.id, productionForm, "admin@example.com")).toMatchObject({ ok: true, message: expect.not.stringContaining("imported") });
    expect(await backfills(shop.id)).toHaveLength(1);

    expect(await switchEnvironment(shop.id, "production", "admin@example.com")).toMatchObject({ ok: true });
    expect(await backfills(shop.id)).toHaveLength(2);
    const production = await db().checkoutConnection.findFirstOrThrow({ where: { shopId: shop.id, environment: "production" } });
    expect(await db().checkoutBackfill.count({ where: { shopId: shop.id, connectionId: production.id } })).toBe(1);
  });

  it("a refused form saves, registers and imports nothing", async () => {
    const shop = await createShop();
    expect(await connectCheckout(shop.id, { ...sandboxForm, subdomain: "NOPE" }, "admin@example.com")).toMatchObject({
      ok: false,
      fieldErrors: { subdomain: expect.any(String) },
    });
    expect(await db().checkoutConnection.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await backfills(shop.id)).toHaveLength(0);
  });
});
