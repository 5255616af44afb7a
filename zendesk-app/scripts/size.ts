// The sidebar's JavaScript size, gzipped, as agents' browsers download it (budget: 200 KB).
// Run: node --import tsx zendesk-app/scripts/size.ts [assets dir]   (after npm run zendesk:build)
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const SIDEBAR_JS_BUDGET_BYTES = 200 * 1024;
export const BUILT_ASSETS_DIR = fileURLToPath(new URL("../dist/assets", import.meta.url));

/** Total gzipped bytes of the .js files in the built assets folder. */
export function gzippedScriptBytes(assetsDir: string = BUILT_ASSETS_DIR): number {
  return readdirSync(assetsDir)
    .filter((name) => name.endsWith(".js"))
    .reduce((sum, name) => sum + gzipSync(readFileSync(join(assetsDir, name)), { level: 9 }).length, 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = gzippedScriptBytes(process.argv[2] ?? BUILT_ASSETS_DIR);
  console.log(`Zendesk sidebar JS: ${(bytes / 1024).toFixed(1)} KB gzipped (budget ${SIDEBAR_JS_BUDGET_BYTES / 1024} KB)`);
  if (bytes > SIDEBAR_JS_BUDGET_BYTES) process.exitCode = 1;
}
