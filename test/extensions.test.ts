// Every extension's shopify.extension.toml holds what the Shopify CLI requires, checked with the
// CLI's own rules (packages/app/src/cli/models/extensions/schemas.ts and specifications/flow_trigger.ts
// in Shopify/cli, and the Flow trigger reference), so `shopify app deploy` does not find a mistake
// first.
import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { APP_HANDLE } from "../app/flow/triggers.server";
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

  it("has one flow_trigger extension per trigger the app fires, each carrying the order (but the one for payments without an order)", () => {
    for (const name of FLOW_TRIGGER_NAMES) {
      const { folder, handle: expected } = FLOW_TRIGGERS[name];
      const toml = readExtensionToml(folder) as z.infer<typeof flowTriggerToml>;
      expect(toml.extensions[0].handle).toBe(expected);
      expect(toml.settings.fields.filter((f) => f.type === "order_reference")).toHaveLength(name === "payment_unmatched" ? 0 : 1);
    }
    const triggerFolders = folders.filter((f) => tomlOf(f).extensions[0].type === "flow_trigger");
    expect(triggerFolders.sort()).toEqual(FLOW_TRIGGER_NAMES.map((n) => FLOW_TRIGGERS[n].folder).sort());
  });

  it("links to the app under the handle shopify.app.toml declares", () => {
    expect(APP_HANDLE).toBe(appToml.handle);
  });
});
