// The app's Shopify extensions as the CLI reads them: extensions/<folder>/shopify.extension.toml.
import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

export const EXTENSIONS_DIR = path.resolve(__dirname, "../../extensions");

export function extensionFolders(): string[] {
  return fs
    .readdirSync(EXTENSIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function readExtensionToml(folder: string): Record<string, unknown> {
  return parse(fs.readFileSync(path.join(EXTENSIONS_DIR, folder, "shopify.extension.toml"), "utf8")) as Record<string, unknown>;
}

export interface FlowField {
  type: string;
  key?: string;
  description?: string;
}

/** A flow_trigger extension's declared payload fields. */
export function flowTriggerFields(folder: string): FlowField[] {
  const toml = readExtensionToml(folder) as { settings?: { fields?: FlowField[] } };
  return toml.settings?.fields ?? [];
}
