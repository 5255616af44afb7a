// Builds the zip a Zendesk admin uploads (Admin Center > Apps > Upload private app): manifest.json,
// translations/ and assets/ (the built sidebar and the logos), checked against Zendesk's rules first.
// Run after the Vite build: SHOPIFY_APP_URL=https://your-app.example.com npm run zendesk:package
// (ZENDESK_BACKEND_URL overrides SHOPIFY_APP_URL when the sidebar should call another address.)
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { zipSync } from "fflate";
import { APP_DIR, manifestFor } from "./manifest";
import { checkPackageRules } from "./rules";
import { BUILT_ASSETS_DIR } from "./size";

export interface AppPackage {
  fileName: string;
  /** The manifest's version. */
  version: string;
  /** The package's content hash (the zip is byte-for-byte reproducible): a change means upload again. */
  fingerprint: string;
  files: Record<string, Uint8Array>;
  zip: Uint8Array;
}

function filesUnder(dir: string, prefix: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, filesUnder(path, `${prefix}${entry.name}/`));
    else out[`${prefix}${entry.name}`] = readFileSync(path);
  }
  return out;
}

/**
 * The package for a backend URL. `appDir` is zendesk-app/ (default: found from this module), and the built
 * sidebar is read from its dist/assets unless `assetsDir` says otherwise.
 */
export function buildPackage(options: { backendUrl: string; appDir?: string; assetsDir?: string }): AppPackage {
  const appDir = options.appDir ?? APP_DIR;
  const manifest = manifestFor(options.backendUrl, appDir);
  const files: Record<string, Uint8Array> = {
    "manifest.json": new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n"),
    ...filesUnder(join(appDir, "translations"), "translations/"),
    ...filesUnder(options.assetsDir ?? (options.appDir ? join(appDir, "dist", "assets") : BUILT_ASSETS_DIR), "assets/"),
  };
  const problems = checkPackageRules(files, [new URL(options.backendUrl).hostname]);
  if (problems.length > 0) throw new Error(`The Zendesk package breaks Zendesk's rules:\n- ${problems.join("\n- ")}`);
  const slug = manifest.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  const mtime = new Date("2026-01-01T00:00:00Z");
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, [bytes, { mtime }]])), { level: 9 });
  const fingerprint = createHash("sha256").update(zip).digest("hex").slice(0, 12);
  return { fileName: `${slug}.zip`, version: String(manifest.version ?? "1.0.0"), fingerprint, files, zip };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const backendUrl = process.env.ZENDESK_BACKEND_URL ?? process.env.SHOPIFY_APP_URL;
  if (!backendUrl) {
    console.error("Set SHOPIFY_APP_URL (or ZENDESK_BACKEND_URL) to the app's public https URL: the package whitelists that host.");
    process.exit(1);
  }
  const pkg = buildPackage({ backendUrl });
  const out = join(APP_DIR, "dist", pkg.fileName);
  mkdirSync(join(APP_DIR, "dist"), { recursive: true });
  writeFileSync(out, pkg.zip);
  console.log(`wrote ${out} (${Object.keys(pkg.files).length} files, ${(pkg.zip.length / 1024).toFixed(1)} KB) for ${backendUrl}`);
}
