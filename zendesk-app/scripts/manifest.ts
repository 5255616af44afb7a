// The manifest a deployment uploads: zendesk-app/manifest.json with the backend's host added to
// domainWhitelist (Zendesk's proxy only sends secure settings, and tokens signed with them, to
// whitelisted hosts) and the backend URL as the default of the backend_url setting.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface ManifestParameter {
  name: string;
  type: string;
  required?: boolean;
  secure?: boolean;
  scopes?: string[];
  default?: string | number | boolean;
}

export interface AppManifest {
  name: string;
  domainWhitelist: string[];
  parameters: ManifestParameter[];
  [key: string]: unknown;
}

export const APP_DIR = fileURLToPath(new URL("..", import.meta.url));

/** zendesk-app/manifest.json; `appDir` is zendesk-app/ where this module's own place is not (the app server's bundle). */
export function sourceManifest(appDir = APP_DIR): AppManifest {
  return JSON.parse(readFileSync(`${appDir}/manifest.json`, "utf8")) as AppManifest;
}

export function manifestFor(backendUrl: string, appDir = APP_DIR): AppManifest {
  const url = new URL(backendUrl);
  const manifest = sourceManifest(appDir);
  return {
    ...manifest,
    domainWhitelist: [...new Set([...manifest.domainWhitelist, url.hostname])],
    parameters: manifest.parameters.map((p) => (p.name === "backend_url" ? { ...p, default: url.origin } : p)),
  };
}
