// The sidebar package of this deployment, built in the server from zendesk-app/ (the manifest, its
// translations, and the sidebar Vite built into zendesk-app/dist/assets when the app was built): a merchant
// downloads it or the app uploads it to Zendesk, with no npm or build tools at run time.
import path from "node:path";
import type { AppPackage } from "../../zendesk-app/scripts/package";
import { env } from "../env.server";

/** zendesk-app/ beside the running app (the server's bundle is elsewhere, so not found from this module). */
const SIDEBAR_DIR = path.resolve(process.cwd(), "zendesk-app");

let built: { backendUrl: string; pkg: AppPackage } | null = null;

/** The package for this deployment's URL (SHOPIFY_APP_URL), built once per process. */
export async function sidebarPackage(): Promise<AppPackage> {
  const backendUrl = env().SHOPIFY_APP_URL.replace(/\/$/, "");
  if (built?.backendUrl !== backendUrl) {
    // Loaded when first needed: the packaging code finds its own files from its module's place.
    const { buildPackage } = await import("../../zendesk-app/scripts/package");
    built = { backendUrl, pkg: buildPackage({ backendUrl, appDir: SIDEBAR_DIR }) };
  }
  return built.pkg;
}

/** "1.0.0 (3f2a9c0b7d1e)": the manifest's version and the package's fingerprint, as an installation records it. */
export const packageVersion = (pkg: Pick<AppPackage, "version" | "fingerprint">) => `${pkg.version} (${pkg.fingerprint})`;

/** This deployment's package version, or null when the sidebar was not built with the app (npm run zendesk:build). */
export async function availableSidebarVersion(): Promise<string | null> {
  try {
    return packageVersion(await sidebarPackage());
  } catch {
    return null;
  }
}
