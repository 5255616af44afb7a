import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createConnectedShop, createShop, NAS_SANDBOX_KEY, SIGNATURE_KEY } from "../../test/helpers/factories";
import { sayAll, sayFieldErrors } from "../i18n/domain-words";
import {
  activateConnection,
  connectionIn,
  connectionSecrets,
  getConnection,
  lastTestWords,
  saveConnection,
  summarize,
  summarizeIn,
  testConnection,
  webhookSigningKey,
} from "./connection.server";
import { connectionFieldWords, connectionFormSchema, secretKeyProblem } from "./keys";

const ABC_SANDBOX_KEY = "sk_test_0b7d6b5e-2f41-4c43-9d1e-6a5bd2c1e0f9";

describe("secret key formats", () => {
  it.each([
    [NAS_SANDBOX_KEY, "NAS", "sandbox", null],
    [ABC_SANDBOX_KEY, "ABC", "sandbox", null],
    ["sk_" + "a".repeat(27), "NAS", "production", null],
    [NAS_SANDBOX_KEY, "NAS", "production", "This is a sandbox key, but the environment is set to production."],
    [ABC_SANDBOX_KEY, "NAS", "sandbox", "looks like a previous platform (ABC) key"],
    ["pk_sbox_" + "a".repeat(27), "NAS", "sandbox", "This is a public key"],
    ["hello", "ABC", "sandbox", "starts with sk_test_ followed by a UUID"],
  ] as const)("%s as %s %s", (key, type, environment, expected) => {
    const problem = secretKeyProblem(key, type, environment);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});

describe("the connection form's errors in the reader's language", () => {
  it("every secret key problem's words read, in English, exactly as its message", () => {
    const keys = [NAS_SANDBOX_KEY, ABC_SANDBOX_KEY, "sk_" + "a".repeat(27), "sk_0b7d6b5e-2f41-4c43-9d1e-6a5bd2c1e0f9", "pk_sbox_" + "a".repeat(27), "hello"];
    let checked = 0;
    for (const secretKey of keys)
      for (const accountType of ["NAS", "ABC"])
        for (const environment of ["sandbox", "production"]) {
          const parsed = connectionFormSchema({ secretKey: false }).safeParse({ accountType, environment, subdomain: "abcd1234", secretKey });
          if (parsed.success) continue;
          const message = parsed.error.issues[0].message;
          expect(sayAll("en", connectionFieldWords(parsed.error).secretKey), message).toBe(message);
          checked++;
        }
    expect(checked).toBeGreaterThanOrEqual(16);
  });

  it("says each bad field in German or French; the English stays as it was", async () => {
    const shop = await createShop();
    const result = await saveConnection(
      shop.id,
      { accountType: "NAS", environment: "production", subdomain: "NOPE", secretKey: NAS_SANDBOX_KEY, signatureKey: "short", processingChannelIds: "pc_bad" },
      "admin@example.com",
    );
    if (result.ok) throw new Error("saved a wrong form");
    expect(result.fieldErrors).toEqual({
      secretKey: "This is a sandbox key, but the environment is set to production.",
      subdomain: "The subdomain is 8 lowercase letters or digits (from your client id cli_xxxxxxxx...).",
      signatureKey: "A signature key is at least 16 characters with no spaces.",
      processingChannelIds: "pc_bad is not a processing channel id: those look like pc_ followed by 26 lowercase letters and digits.",
    });
    expect(sayFieldErrors("en", result.fieldErrors, result.fieldWords)).toEqual(result.fieldErrors);
    expect(sayFieldErrors("de", result.fieldErrors, result.fieldWords)).toEqual({
      secretKey: "Dies ist ein Sandbox-Schlüssel, aber als Umgebung ist Produktion eingestellt.",
      subdomain: "Die Subdomain besteht aus 8 Kleinbuchstaben oder Ziffern (aus Ihrer Client-ID cli_xxxxxxxx...).",
      signatureKey: "Ein Signaturschlüssel hat mindestens 16 Zeichen und keine Leerzeichen.",
      processingChannelIds: "pc_bad ist keine Verarbeitungskanal-ID: Diese bestehen aus pc_, gefolgt von 26 Kleinbuchstaben und Ziffern.",
    });

    const noType = await saveConnection(shop.id, { accountType: "XYZ", environment: "sandbox" }, "admin@example.com");
    if (noType.ok) throw new Error("saved a wrong form");
    expect(noType.fieldErrors).toEqual({ accountType: "Choose NAS or ABC." });
    expect(sayFieldErrors("fr", noType.fieldErrors, noType.fieldWords)).toEqual({ accountType: "Choisissez NAS ou ABC." });
  });
});

describe("a connection test in the reader's language", () => {
  it("answers in words, records English, and is said again in German when read", async () => {
    const { shop } = await createConnectedShop();
    // Nothing listens there: Checkout.com cannot be reached.
    const result = await testConnection(shop.id, "sandbox", { baseUrl: "http://127.0.0.1:9", retry: { retries: 0, baseMs: 0, maxMs: 0 }, timeoutMs: 2_000 });
    expect(result.ok).toBe(false);
    const connection = (await connectionIn(shop.id, "sandbox"))!;
    const host = `${connection.subdomain}.api.sandbox.checkout.com`;
    expect(result.message).toMatch(new RegExp(`^Could not reach Checkout\\.com at ${host.replaceAll(".", "\\.")}: check the subdomain\\. .+\\.$`));
    expect(connection.lastTestMessage).toBe(result.message);
    expect(sayAll("en", result.words)).toBe(result.message);
    const detail = result.message.slice(`Could not reach Checkout.com at ${host}: check the subdomain. `.length, -1);
    const german = `Checkout.com war unter ${host} nicht erreichbar: Prüfen Sie die Subdomain. ${detail}.`;
    expect(sayAll("de", result.words)).toBe(german);
    expect(summarizeIn("de", connection).lastTestMessage).toBe(german);
    expect(summarizeIn("en", connection)).toEqual(summarize(connection));
  });

  it("recognises what a test recorded; what it does not know stays as recorded", () => {
    const tested = { accountType: "ABC", environment: "production", subdomain: null };
    const said = (lastTestMessage: string) => {
      const words = lastTestWords({ ...tested, lastTestMessage });
      return words && sayAll("fr", words);
    };
    expect(said("Connected to Checkout.com production (ABC).")).toBe("Connecté à Checkout.com en production (ABC).");
    expect(said("Checkout.com refused this secret key in production. Check the key is current and that it is a production key.")).toBe(
      "Checkout.com a refusé cette clé secrète en production. Vérifiez que la clé est à jour et qu'il s'agit d'une clé de production.",
    );
    expect(said("Checkout.com refused the request: request invalid")).toBe("Checkout.com a refusé la requête : request invalid");
    expect(said("Connected to Checkout.com sandbox (ABC).")).toBeNull();
    expect(said("Something older")).toBeNull();
  });
});

describe("saving a connection", () => {
  it("reports each bad field clearly and saves nothing", async () => {
    const shop = await createShop();
    const result = await saveConnection(
      shop.id,
      {
        accountType: "NAS",
        environment: "production",
        subdomain: "NOPE",
        secretKey: NAS_SANDBOX_KEY,
        signatureKey: "short",
        processingChannelIds: "pc_axclravnqf5u5ejkweijnp5zc4\npc_bad",
      },
      "admin@example.com",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.secretKey).toContain("sandbox key");
    expect(result.fieldErrors.subdomain).toContain("8 lowercase letters");
    expect(result.fieldErrors.signatureKey).toContain("at least 16");
    expect(result.fieldErrors.processingChannelIds).toMatch(/^pc_bad is not a processing channel id/);
    expect(await db().checkoutConnection.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("audits each save with the keys that changed, never their values, and a refused save not at all", async () => {
    const { shop } = await createConnectedShop();
    await saveConnection(shop.id, { accountType: "NAS", environment: "sandbox", subdomain: "NOPE" }, "admin@example.com");
    const rotated = "sk_sbox_" + "r".repeat(27);
    expect(
      (await saveConnection(shop.id, { accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", secretKey: rotated }, "admin@example.com")).ok,
    ).toBe(true);
    const entries = await db().auditLog.findMany({ where: { shopId: shop.id, action: "checkout.connection.save" }, orderBy: { createdAt: "asc" } });
    // The first save (the factory's), then the new secret key; the refused save left nothing.
    expect(entries.map((e) => ({ actor: e.actor, result: e.result, details: JSON.parse(e.details) }))).toEqual([
      { actor: "admin@example.com", result: "ok", details: { accountType: "NAS", environment: "sandbox", changedKeys: ["secretKey", "signatureKey"] } },
      { actor: "admin@example.com", result: "ok", details: { accountType: "NAS", environment: "sandbox", changedKeys: ["secretKey"] } },
    ]);
    expect(JSON.stringify(entries)).not.toContain(rotated.slice(8));
  });

  it("requires the secret key on first save; the signature key is the app's to make (its webhook workflow) unless the merchant gives one", async () => {
    const shop = await createShop();
    const result = await saveConnection(shop.id, { accountType: "NAS", environment: "sandbox", subdomain: "abcd1234" }, "admin@example.com");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.fieldErrors).sort()).toEqual(["secretKey"]);
  });

  it("encrypts secrets, exposes only their last 4 characters, and keeps them when fields are left empty", async () => {
    const { shop, connection } = await createConnectedShop();
    expect(connection.secretKeyEnc).not.toContain(NAS_SANDBOX_KEY.slice(8));
    const summary = summarize(connection);
    expect(JSON.stringify(summary)).not.toContain(NAS_SANDBOX_KEY);
    expect(JSON.stringify(summary)).not.toContain(SIGNATURE_KEY);
    expect(summary.secretKeyLast4).toBe(NAS_SANDBOX_KEY.slice(-4));

    const again = await saveConnection(shop.id, { accountType: "NAS", environment: "sandbox", subdomain: "wxyz9876" }, "admin@example.com");
    expect(again.ok).toBe(true);
    const stored = await getConnection(shop.id);
    expect(stored!.subdomain).toBe("wxyz9876");
    expect(stored!.endpointId).toBe(connection.endpointId);
    expect(connectionSecrets(stored!).secretKey).toBe(NAS_SANDBOX_KEY);
    expect(webhookSigningKey(stored!)).toBe(SIGNATURE_KEY);
  });

  it("a production connection needs its own key (the sandbox's stays with the sandbox), and a changed account type asks for the key again", async () => {
    const { shop } = await createConnectedShop();
    const production = await saveConnection(shop.id, { accountType: "NAS", environment: "production", subdomain: "abcd1234" }, "admin@example.com");
    expect(production).toMatchObject({ ok: false, fieldErrors: { secretKey: "Enter the secret key." } });
    const abc = await saveConnection(shop.id, { accountType: "ABC", environment: "sandbox" }, "admin@example.com");
    expect(abc).toMatchObject({ ok: false, fieldErrors: { secretKey: expect.stringContaining("Enter the secret key again") } });
    expect(await db().checkoutConnection.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("keeps several processing channels, however they are separated, each once", async () => {
    const { shop } = await createConnectedShop(undefined, {
      processingChannelIds: "pc_axclravnqf5u5ejkweijnp5zc4, pc_bqxhxvkd4p3f5pjn5jrbqmzd6y\npc_axclravnqf5u5ejkweijnp5zc4",
    });
    expect(summarize((await getConnection(shop.id))!).processingChannelIds).toEqual(["pc_axclravnqf5u5ejkweijnp5zc4", "pc_bqxhxvkd4p3f5pjn5jrbqmzd6y"]);
  });

  it("signs ABC webhooks with the secret key", async () => {
    const { connection } = await createConnectedShop(undefined, { accountType: "ABC", secretKey: ABC_SANDBOX_KEY, signatureKey: "" });
    expect(webhookSigningKey(connection)).toBe(ABC_SANDBOX_KEY);
    expect(connection.subdomain).toBeNull();
  });

  it("gives every connection its own unguessable endpoint id", async () => {
    const a = await createConnectedShop();
    const b = await createConnectedShop();
    expect(a.connection.endpointId).not.toBe(b.connection.endpointId);
    expect(a.connection.endpointId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.connection.endpointId).not.toContain(a.shop.domain.split(".")[0]);
  });
});

describe("tenancy", () => {
  it("one shop cannot read or change another shop's connection", async () => {
    const a = await createConnectedShop();
    const b = await createConnectedShop(undefined, { subdomain: "bbbb2222" });
    expect((await getConnection(a.shop.id))!.id).toBe(a.connection.id);
    await saveConnection(a.shop.id, { accountType: "NAS", environment: "sandbox", subdomain: "aaaa1111" }, "admin@example.com");
    const bAfter = await getConnection(b.shop.id);
    expect(bAfter!.subdomain).toBe("bbbb2222");
    expect(bAfter!.updatedAt.getTime()).toBe(b.connection.updatedAt.getTime());
    // A ciphertext copied from shop B's row into shop A's does not decrypt.
    await db().checkoutConnection.updateMany({ where: { shopId: a.shop.id }, data: { secretKeyEnc: b.connection.secretKeyEnc } });
    expect(() => connectionSecrets({ ...a.connection, secretKeyEnc: b.connection.secretKeyEnc })).toThrow(/decrypted/);
  });
});

describe("live and sandbox", () => {
  const PRODUCTION_KEY = "sk_" + "p".repeat(27);
  const saveProduction = (shopId: string) =>
    saveConnection(shopId, { accountType: "NAS", environment: "production", subdomain: "live1234", secretKey: PRODUCTION_KEY }, "admin@example.com");

  it("keeps a production connection beside the sandbox one, inactive, with its own endpoint and keys, until the merchant switches", async () => {
    const { shop, connection: sandbox } = await createConnectedShop();
    const saved = await saveProduction(shop.id);

    expect(saved).toMatchObject({ ok: true, connection: { environment: "production", active: false } });
    const production = (await connectionIn(shop.id, "production"))!;
    expect(production.endpointId).not.toBe(sandbox.endpointId);
    expect(connectionSecrets(production).secretKey).toBe(PRODUCTION_KEY);
    expect((await getConnection(shop.id))!.id).toBe(sandbox.id);

    expect(await activateConnection(shop.id, "production", "admin@example.com")).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Production is now active/),
    });

    expect((await getConnection(shop.id))!.id).toBe(production.id);
    expect(await db().checkoutConnection.count({ where: { shopId: shop.id, active: true } })).toBe(1);
    expect(connectionSecrets((await connectionIn(shop.id, "sandbox"))!).secretKey).toBe(NAS_SANDBOX_KEY);
    expect(await db().auditLog.findMany({ where: { shopId: shop.id, action: "checkout.connection.activate" } })).toMatchObject([
      { actor: "admin@example.com", details: JSON.stringify({ environment: "production" }) },
    ]);
  });

  it("switching to an environment with no keys is refused, and one shop's switch never touches another's connections", async () => {
    const a = await createConnectedShop();
    const b = await createConnectedShop();
    await saveProduction(b.shop.id);

    const refused = await activateConnection(a.shop.id, "production", "admin@example.com");
    expect(refused).toMatchObject({ ok: false, message: "Save the production keys first." });
    expect(sayAll("de", refused.words)).toBe("Speichern Sie zuerst die Produktionsschlüssel.");
    await activateConnection(b.shop.id, "production", "admin@example.com");

    expect((await getConnection(a.shop.id))!.environment).toBe("sandbox");
    expect((await getConnection(b.shop.id))!.environment).toBe("production");
  });
});
