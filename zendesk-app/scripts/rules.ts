// Zendesk's published rules for an uploaded app package (Zendesk's own validator needs an account,
// so the package is checked here): manifest fields, translations, secure settings, logos.
// Returns the broken rules in words; an empty list means the package is valid.
import { pngSize } from "./png";

type Files = Record<string, Uint8Array>;

const SECURE_SCOPES = new Set(["header", "body", "url", "jwt_secret_key"]);
const LOGOS = { "assets/logo.png": 320, "assets/logo-small.png": 128 } as const;

interface Manifest {
  name?: string;
  author?: { name?: string; email?: string };
  defaultLocale?: string;
  frameworkVersion?: string;
  location?: { support?: { ticket_sidebar?: { url?: string } } };
  domainWhitelist?: string[];
  parameters?: Array<{ name: string; type: string; secure?: boolean; scopes?: string[] }>;
}

interface Translations {
  app?: {
    name?: string;
    short_description?: string;
    long_description?: string;
    installation_instructions?: string;
    parameters?: Record<string, { label?: string }>;
  };
}

function json<T>(files: Files, path: string, problems: string[]): T | null {
  const bytes = files[path];
  if (!bytes) {
    problems.push(`${path} is missing`);
    return null;
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    problems.push(`${path} is not valid JSON`);
    return null;
  }
}

function translationProblems(path: string, translations: Translations, manifest: Manifest): string[] {
  const app = translations.app ?? {};
  const problems: string[] = [];
  for (const field of ["name", "short_description", "long_description", "installation_instructions"] as const) {
    if (!app[field]) problems.push(`${path} needs app.${field}`);
  }
  if ((app.short_description?.length ?? 0) > 80) problems.push(`${path}: app.short_description is longer than 80 characters`);
  for (const p of manifest.parameters ?? []) {
    if (!app.parameters?.[p.name]?.label) problems.push(`${path} needs a label for parameter ${p.name}`);
  }
  return problems;
}

/**
 * @param secureHosts every host the app sends requests carrying secure settings (or tokens signed
 * with them) to; Zendesk's proxy refuses hosts missing from domainWhitelist.
 */
export function checkPackageRules(files: Files, secureHosts: string[]): string[] {
  const problems: string[] = [];
  const manifest = json<Manifest>(files, "manifest.json", problems);
  if (manifest) {
    if (manifest.frameworkVersion !== "2.0") problems.push('frameworkVersion must be "2.0"');
    if (!manifest.author?.name || !manifest.author?.email) problems.push("author needs a name and an email");
    const url = manifest.location?.support?.ticket_sidebar?.url;
    if (!url?.startsWith("assets/")) problems.push("location.support.ticket_sidebar.url must point into assets/");
    else if (!files[url]) problems.push(`${url} (the sidebar page) is not in the package`);
    else if (/<script[^>]+src=["']?(https?:)?\/\//i.test(new TextDecoder().decode(files[url]))) {
      problems.push(`${url} loads a script from another host`);
    }
    const secure = (manifest.parameters ?? []).filter((p) => p.secure);
    for (const p of secure) {
      if (!p.scopes?.length) problems.push(`secure parameter ${p.name} needs scopes`);
      for (const scope of p.scopes ?? []) if (!SECURE_SCOPES.has(scope)) problems.push(`secure parameter ${p.name} has unknown scope ${scope}`);
    }
    if (secure.length > 0) {
      for (const host of secureHosts) {
        if (!(manifest.domainWhitelist ?? []).includes(host)) problems.push(`domainWhitelist must list ${host}`);
      }
    }
    const locale = manifest.defaultLocale;
    if (!locale) problems.push("defaultLocale is required");
    else if (!files[`translations/${locale}.json`]) problems.push(`translations/${locale}.json is missing`);
    // Every language the package offers, the default and the others alike: Zendesk shows a marketplace
    // listing and settings labels from the admin's language when the package has it.
    for (const path of Object.keys(files).filter((p) => /^translations\/[^/]+\.json$/.test(p))) {
      const translations = json<Translations>(files, path, problems);
      if (translations) problems.push(...translationProblems(path, translations, manifest));
    }
  }
  for (const [path, size] of Object.entries(LOGOS)) {
    if (!files[path]) {
      problems.push(`${path} is missing`);
      continue;
    }
    const actual = pngSize(files[path]);
    if (!actual) problems.push(`${path} is not a PNG`);
    else if (actual.width !== size || actual.height !== size) problems.push(`${path} must be ${size}x${size}, not ${actual.width}x${actual.height}`);
  }
  return problems;
}
