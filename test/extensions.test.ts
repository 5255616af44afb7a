// Every extension's shopify.extension.toml holds what the Shopify CLI requires, checked with the
// CLI's own rules (packages/app/src/cli/models/extensions/schemas.ts and specifications/flow_trigger.ts
// in Shopify/cli, and the Flow trigger reference), so `shopify app deploy` does not find a mistake
// first. An extension's locales/ folder is checked the same way (the CLI's
// utilities/extensions/locales-configuration.ts) and as the admin's translations are
// (app/i18n/locales.test.ts): every language has the default's keys and placeholders.
import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { messagesOf, placeholdersOf, pluralsOf, type Messages } from "./helpers/translation-files";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { APP_HANDLE } from "../app/shopify/admin-url";
import { FLOW_TRIGGERS, FLOW_TRIGGER_NAMES } from "../app/flow/triggers";
import { EXTENSIONS_DIR, extensionFolders, readExtensionToml } from "./helpers/extensions";

const root = path.resolve(__dirname, "..");
const appToml = parse(fs.readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as { handle: string; webhooks: { api_version: string } };

// Flow limits trigger handles to 30 characters (the CLI allows 50 for other extensions).
const handle = z
  .string()
  .min(1)
  .max(30)
  .regex(/^[a-zA-Z0-9-]+$/, "alphanumeric characters and hyphens only")
  .refine((h) => !h.startsWith("-") && !h.endsWith("-"), "must not start or end with a hyphen");

const uiExtensionToml = z
  .object({
    api_version: z.literal(appToml.webhooks.api_version),
    extensions: z
      .array(
        z
          .object({
            name: z.string().min(1),
            handle,
            type: z.literal("ui_extension"),
            targeting: z.array(z.object({ target: z.string(), module: z.string() }).strict()).length(1),
          })
          .strict(),
      )
      .length(1),
  })
  .strict();

const COMMERCE_OBJECTS = ["customer_reference", "order_reference", "product_reference", "company_reference", "company_contact_reference"];
const TRIGGER_FIELD_TYPES = ["boolean", "email", "single_line_text_field", "url", "number_decimal"];

const flowField = z.union([
  z.object({ type: z.enum(COMMERCE_OBJECTS as [string, ...string[]]), description: z.string().optional() }).strict(),
  z
    .object({
      type: z.enum(TRIGGER_FIELD_TYPES as [string, ...string[]]),
      // What merchants pick in the Flow editor: the CLI accepts letters and spaces only.
      key: z
        .string()
        .min(1)
        .regex(/^[a-zA-Z\s]*$/, "letters and spaces only"),
      description: z.string().min(1),
    })
    .strict(),
]);

const flowTriggerToml = z
  .object({
    extensions: z.array(z.object({ name: z.string().min(1), type: z.literal("flow_trigger"), handle, description: z.string().min(1) }).strict()).length(1),
    settings: z.object({ fields: z.array(flowField).min(1) }).strict(),
  })
  .strict();

const folders = extensionFolders();
const tomlOf = (folder: string) => readExtensionToml(folder) as { extensions: Array<{ type: string; handle: string }> };

describe("extensions/*/shopify.extension.toml", () => {
  it("has one TOML per extension folder and unique handles", () => {
    expect(folders.length).toBeGreaterThanOrEqual(6);
    const handles = folders.map((f) => tomlOf(f).extensions[0].handle);
    expect(new Set(handles).size).toBe(handles.length);
  });

  it.each(folders)("%s is valid for its extension type", (folder) => {
    const toml = tomlOf(folder);
    const type = toml.extensions?.[0]?.type;
    const schema = type === "ui_extension" ? uiExtensionToml : type === "flow_trigger" ? flowTriggerToml : null;
    expect(schema, `unknown extension type ${type}`).not.toBeNull();
    const result = schema!.safeParse(toml);
    expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([]);
  });

  it("rejects what the CLI rejects (the checks themselves work)", () => {
    const good = readExtensionToml(FLOW_TRIGGERS.dispute_opened.folder) as z.infer<typeof flowTriggerToml>;
    const withField = (field: object) => ({ ...good, settings: { fields: [...good.settings.fields, field] } });
    expect(flowTriggerToml.safeParse(withField({ type: "single_line_text_field", key: "risk_score", description: "x" })).success).toBe(false);
    expect(flowTriggerToml.safeParse(withField({ type: "number_integer", key: "Count", description: "x" })).success).toBe(false);
    expect(flowTriggerToml.safeParse(withField({ type: "marketing_activity_reference" })).success).toBe(false);
    const longHandle = { ...good, extensions: [{ ...good.extensions[0], handle: "a".repeat(31) }] };
    expect(flowTriggerToml.safeParse(longHandle).success).toBe(false);
  });

  it("the order block targets the order details page and its module exists with a default export", () => {
    const toml = readExtensionToml("checkout-order-block") as z.infer<typeof uiExtensionToml>;
    const [target] = toml.extensions[0].targeting;
    expect(target.target).toBe("admin.order-details.block.render");
    const module = path.join(EXTENSIONS_DIR, "checkout-order-block", target.module);
    expect(fs.existsSync(module)).toBe(true);
    expect(fs.readFileSync(module, "utf8")).toMatch(/export default async/);
  });

  it("has one flow_trigger extension per trigger the app fires, each carrying the order (but those about payments without an order)", () => {
    const withoutOrder: string[] = ["payment_unmatched", "checkout_payment_declined"];
    for (const name of FLOW_TRIGGER_NAMES) {
      const { folder, handle: expected } = FLOW_TRIGGERS[name];
      const toml = readExtensionToml(folder) as z.infer<typeof flowTriggerToml>;
      expect(toml.extensions[0].handle).toBe(expected);
      expect(toml.settings.fields.filter((f) => f.type === "order_reference")).toHaveLength(withoutOrder.includes(name) ? 0 : 1);
    }
    const triggerFolders = folders.filter((f) => tomlOf(f).extensions[0].type === "flow_trigger");
    expect(triggerFolders.sort()).toEqual(FLOW_TRIGGER_NAMES.map((n) => FLOW_TRIGGERS[n].folder).sort());
  });

  it("links to the app under the handle shopify.app.toml declares", () => {
    expect(APP_HANDLE).toBe(appToml.handle);
  });
});

/** Shopify's extension placeholders, `{{name}}`. */
const placeholders = (texts: string[]) => placeholdersOf(texts, /\{\{\s*(\w+)\s*\}\}/g);

// The CLI refuses a locale file over 16 KB, an empty one, and all of them together over 256 KB.
const LOCALE_FILE_LIMIT = 16 * 1024;
const LOCALE_BUNDLE_LIMIT = 256 * 1024;

const localesDir = (folder: string) => path.join(EXTENSIONS_DIR, folder, "locales");
const localeFiles = (folder: string) =>
  fs.existsSync(localesDir(folder))
    ? fs
        .readdirSync(localesDir(folder))
        .filter((f) => f.endsWith(".json"))
        .sort()
    : [];
const readLocale = (folder: string, file: string) => JSON.parse(fs.readFileSync(path.join(localesDir(folder), file), "utf8")) as Messages;

describe("extensions/*/locales", () => {
  it("the order block speaks English (its default), French and German, and takes its name from them", () => {
    expect(localeFiles("checkout-order-block")).toEqual(["de.json", "en.default.json", "fr.json"]);
    expect((readExtensionToml("checkout-order-block") as z.infer<typeof uiExtensionToml>).extensions[0].name).toBe("t:name");
  });

  const localized = folders.filter((folder) => localeFiles(folder).length > 0);
  describe.each(localized)("%s", (folder) => {
    const files = localeFiles(folder);
    const defaults = files.filter((f) => f.endsWith(".default.json"));
    const others = files.filter((f) => !f.endsWith(".default.json"));
    const language = (file: string) => file.split(".")[0];

    it("has one default locale, and files the CLI accepts", () => {
      expect(defaults).toHaveLength(1);
      const sizes = files.map((f) => fs.statSync(path.join(localesDir(folder), f)).size);
      for (const [i, size] of sizes.entries()) {
        expect(size, files[i]).toBeGreaterThan(0);
        expect(size, files[i]).toBeLessThanOrEqual(LOCALE_FILE_LIMIT);
      }
      expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(LOCALE_BUNDLE_LIMIT);
    });

    it.each(others)("%s has exactly the default's keys, with the same placeholders", (file) => {
      const reference = messagesOf(readLocale(folder, defaults[0]));
      const theirs = messagesOf(readLocale(folder, file));
      expect([...theirs.keys()].sort()).toEqual([...reference.keys()].sort());
      const wrong = [...reference].filter(([key, texts]) => theirs.has(key) && placeholders(texts).join() !== placeholders(theirs.get(key)!).join());
      expect(wrong.map(([key]) => key)).toEqual([]);
    });

    it.each(files)("%s has the plural forms its language uses, and no empty message", (file) => {
      const messages = readLocale(folder, file);
      const needed = new Intl.PluralRules(language(file)).resolvedOptions().pluralCategories;
      for (const [key, forms] of pluralsOf(messages)) for (const form of needed) expect(forms[form], `${key}.${form}`).toEqual(expect.any(String));
      expect([...messagesOf(messages)].filter(([, texts]) => texts.some((t) => !t.trim())).map(([key]) => key)).toEqual([]);
    });

    it("has in every locale the message a translated name (t:key) points to", () => {
      const name = (readExtensionToml(folder) as { extensions: Array<{ name: string }> }).extensions[0].name;
      if (!name.startsWith("t:")) return;
      for (const file of files) expect(messagesOf(readLocale(folder, file)).get(name.slice(2)), file).toEqual([expect.any(String)]);
    });
  });
});
