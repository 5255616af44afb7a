// The package a Zendesk admin uploads, checked against Zendesk's published rules, and the sidebar's
// size budget. Builds the sidebar into a temporary folder so it never touches zendesk-app/dist.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_DIR } from "./manifest";
import { buildPackage, type AppPackage } from "./package";
import { encodePng, pngSize } from "./png";
import { checkPackageRules } from "./rules";
import { gzippedScriptBytes, SIDEBAR_JS_BUDGET_BYTES } from "./size";

const BACKEND = "https://companion.example.com";
let assetsDir: string;
let pkg: AppPackage;

beforeAll(async () => {
  assetsDir = mkdtempSync(join(tmpdir(), "zendesk-app-"));
  await build({ configFile: join(APP_DIR, "vite.config.ts"), logLevel: "silent", build: { outDir: assetsDir } });
  pkg = buildPackage({ backendUrl: BACKEND, assetsDir });
}, 120_000);

afterAll(() => rmSync(assetsDir, { recursive: true, force: true }));

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const manifestOf = (files: Record<string, Uint8Array>) => JSON.parse(text(files["manifest.json"]));
const withJson = (files: Record<string, Uint8Array>, path: string, change: (value: any) => void) => {
  const value = JSON.parse(text(files[path]));
  change(value);
  return { ...files, [path]: new TextEncoder().encode(JSON.stringify(value)) };
};

describe("the uploadable package", () => {
  it("unzips to the manifest, translations and built assets, and breaks none of Zendesk's rules", () => {
    const unzipped = unzipSync(pkg.zip);
    expect(Object.keys(unzipped).sort()).toEqual(Object.keys(pkg.files).sort());
    expect(Object.keys(unzipped)).toEqual(
      expect.arrayContaining([
        "manifest.json",
        "translations/en.json",
        "translations/fr.json",
        "translations/de.json",
        "assets/iframe.html",
        "assets/logo.png",
        "assets/logo-small.png",
      ]),
    );
    expect(Object.keys(unzipped).some((p) => /^assets\/[^/]+\.js$/.test(p))).toBe(true);
    expect(checkPackageRules(unzipped, ["companion.example.com"])).toEqual([]);
    expect(pkg.fileName).toBe("checkout-com-payments.zip");
  });

  it("declares a private ticket sidebar app with the shared secret as a JWT-only secure setting", () => {
    const manifest = manifestOf(pkg.files);
    expect(manifest).toMatchObject({
      frameworkVersion: "2.0",
      defaultLocale: "en",
      private: true,
      location: { support: { ticket_sidebar: { url: "assets/iframe.html", flexible: true } } },
      domainWhitelist: ["companion.example.com"],
    });
    const byName = Object.fromEntries(manifest.parameters.map((p: { name: string }) => [p.name, p]));
    expect(byName.backend_url).toMatchObject({ type: "url", required: true, default: BACKEND });
    expect(byName.shared_secret).toMatchObject({ secure: true, required: true, scopes: ["jwt_secret_key"] });
    expect(byName.connection_id).toMatchObject({ type: "text", required: true });
    expect(byName.payment_field_id).toMatchObject({ type: "number" });
  });

  it("ships logos of the sizes Zendesk asks for", () => {
    expect(pngSize(pkg.files["assets/logo.png"])).toEqual({ width: 320, height: 320 });
    expect(pngSize(pkg.files["assets/logo-small.png"])).toEqual({ width: 128, height: 128 });
  });

  it("loads every script from the package itself and never carries a secret, only the placeholder", () => {
    const html = text(pkg.files["assets/iframe.html"]);
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(pkg.files[`assets/${src.replace(/^\.\//, "")}`]).toBeDefined();
    const js = Object.entries(pkg.files)
      .filter(([p]) => p.endsWith(".js"))
      .map(([, b]) => text(b))
      .join("\n");
    expect(js).toContain("{{setting.shared_secret}}");
    expect(js).toContain("{{jwt.token}}");
    expect(js).not.toMatch(/https?:\/\/[^"'`\s]*(unpkg|jsdelivr|cdnjs|googleapis)/);
  });

  it("keeps the sidebar's JavaScript within 200 KB gzipped", () => {
    const bytes = gzippedScriptBytes(assetsDir);
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes).toBeLessThanOrEqual(SIDEBAR_JS_BUDGET_BYTES);
  });
});

describe("the rules check", () => {
  it("reports each broken rule", () => {
    let files = withJson(pkg.files, "manifest.json", (m) => {
      m.frameworkVersion = "1.0";
      m.location.support.ticket_sidebar.url = "index.html";
      m.domainWhitelist = [];
      delete m.parameters.find((p: { name: string }) => p.name === "shared_secret").scopes;
    });
    files = withJson(files, "translations/en.json", (t) => {
      t.app.short_description = "x".repeat(81);
      delete t.app.parameters.connection_id;
    });
    files = withJson(files, "translations/fr.json", (t) => delete t.app.installation_instructions);
    files = { ...files, "assets/logo-small.png": encodePng(1, 1, new Uint8Array(4)), "assets/logo.png": new TextEncoder().encode("GIF89a") };
    expect(checkPackageRules(files, ["companion.example.com"])).toEqual([
      'frameworkVersion must be "2.0"',
      "location.support.ticket_sidebar.url must point into assets/",
      "secure parameter shared_secret needs scopes",
      "domainWhitelist must list companion.example.com",
      "translations/en.json: app.short_description is longer than 80 characters",
      "translations/en.json needs a label for parameter connection_id",
      "translations/fr.json needs app.installation_instructions",
      "assets/logo.png is not a PNG",
      "assets/logo-small.png must be 128x128, not 1x1",
    ]);
  });

  it("refuses a sidebar page that loads a script from a CDN", () => {
    const page = text(pkg.files["assets/iframe.html"]).replace("</head>", '<script src="https://cdn.jsdelivr.net/npm/x.js"></script></head>');
    const problems = checkPackageRules({ ...pkg.files, "assets/iframe.html": new TextEncoder().encode(page) }, ["companion.example.com"]);
    expect(problems).toEqual(["assets/iframe.html loads a script from another host"]);
  });
});
