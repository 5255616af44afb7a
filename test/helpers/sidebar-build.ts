// Vitest global setup: the Zendesk install tests package the sidebar the way the server does, from
// zendesk-app/dist/assets, which `npm run build` writes. A fresh clone has not built it, so it is
// built here once, before any test file runs (a build that is already there is used as it is).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { build } from "vite";

export default async function buildSidebarWhenMissing() {
  const appDir = join(process.cwd(), "zendesk-app");
  if (existsSync(join(appDir, "dist", "assets", "iframe.html"))) return;
  await build({ configFile: join(appDir, "vite.config.ts"), logLevel: "warn" });
}
