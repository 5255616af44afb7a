import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { audit, checkLock, lockedPackages, readNpmAudit, satisfies, type AdvisoryFile } from "./audit";

const root = path.resolve(__dirname, "..");

describe("version ranges", () => {
  it.each([
    ["4.1.392", "<=4.1.392", true],
    ["4.2.67", "<=4.1.392", false],
    ["0.1.9", "<0.1.10 || >=0.2.0 <1.9.0", true],
    ["0.1.13", "<0.1.10 || >=0.2.0 <1.9.0", false],
    ["1.8.9", "<0.1.10 || >=0.2.0 <1.9.0", true],
    ["7.0.4", ">= 7.0.0, < 7.0.5", true],
    ["7.0.5", ">= 7.0.0, < 7.0.5", false],
    ["1.0.0-beta.2", "<1.0.0", true],
    ["1.0.0", "=1.0.0", true],
    ["1.0.0", "1.0.0", true],
    ["not-a-version", "<1.0.0", false],
  ])("%s in %s: %s", (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });
});

const lock = {
  lockfileVersion: 3,
  packages: {
    "": { name: "app", version: "1.0.0" },
    "node_modules/cookie": { version: "0.6.0" },
    "node_modules/vite/node_modules/esbuild": { version: "0.21.5", dev: true },
    "node_modules/esbuild": { version: "0.25.0", dev: true },
    "node_modules/@scope/pkg": { version: "1.2.3" },
    "packages/linked": { link: true },
  },
};
const advisories: AdvisoryFile = {
  advisories: [
    { id: "GHSA-cook", package: "cookie", vulnerable: "<0.7.0", severity: "low", title: "cookie" },
    { id: "GHSA-esb", package: "esbuild", vulnerable: "<=0.24.2", severity: "moderate", title: "esbuild" },
    { id: "GHSA-none", package: "@scope/pkg", vulnerable: ">=2.0.0", severity: "high", title: "not us" },
  ],
  accepted: [{ id: "GHSA-esb", reason: "dev server unused", reviewBy: "2027-06-30" }],
};

describe("checking the lock file against the advisories", () => {
  it("finds every affected copy, and honours an acceptance only until its review date", () => {
    const packages = lockedPackages(lock);
    expect(packages.map((p) => `${p.name}@${p.version}`)).toEqual(["cookie@0.6.0", "esbuild@0.21.5", "esbuild@0.25.0", "@scope/pkg@1.2.3"]);
    const findings = checkLock(packages, advisories, "2027-01-01");
    expect(findings.map((f) => [f.advisory.id, f.packages.map((p) => p.location), f.acceptance?.reason ?? null])).toEqual([
      ["GHSA-cook", ["node_modules/cookie"], null],
      ["GHSA-esb", ["node_modules/vite/node_modules/esbuild"], "dev server unused"],
    ]);
    expect(checkLock(packages, advisories, "2027-07-01").find((f) => f.advisory.id === "GHSA-esb")?.acceptance).toBeNull();
  });

  it("passes on this repository's lock file, offline", async () => {
    const lines: string[] = [];
    expect(await audit({ offline: true, root, print: (l) => lines.push(l) })).toBe(true);
    expect(lines.at(-1)).toBe("audit passed");
    // Every advisory kept is well formed.
    const file = JSON.parse(fs.readFileSync(path.join(root, "security/advisories.json"), "utf8")) as AdvisoryFile;
    for (const a of file.advisories) {
      expect(a.id).toMatch(/^GHSA-[\w]{4}-[\w]{4}-[\w]{4}$/);
      expect(() => satisfies("1.0.0", a.vulnerable)).not.toThrow();
    }
    for (const a of file.accepted) expect(a.reviewBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("fails on an affected package that is not accepted, and says which", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cko-audit-"));
    fs.mkdirSync(path.join(dir, "security"));
    fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(lock));
    fs.writeFileSync(path.join(dir, "security/advisories.json"), JSON.stringify(advisories));
    const lines: string[] = [];
    try {
      expect(await audit({ root: dir, print: (l) => lines.push(l), npmAudit: async () => ({ ran: false, reason: "test" }) })).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(lines.find((l) => l.includes("VULNERABLE"))).toContain("GHSA-cook low cookie@0.6.0");
  });
});

describe("npm audit", () => {
  it("is skipped, with the reason, when the registry answers 405 or cannot be reached", () => {
    const refused = JSON.stringify({
      message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
      statusCode: 405,
      error: { summary: "", detail: "" },
    });
    expect(readNpmAudit(refused, "npm error audit endpoint returned an error")).toEqual({
      ran: false,
      reason:
        "the registry does not answer npm audit's bulk advisory endpoint (405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk)",
    });
    expect(readNpmAudit("", "npm error code ENOTFOUND\nnpm error network request failed")).toEqual({
      ran: false,
      reason: "npm audit gave no report (npm error code ENOTFOUND)",
    });
  });

  it("fails the audit on a high or critical finding that is not accepted", async () => {
    const report = JSON.stringify({
      vulnerabilities: {
        "form-data": {
          severity: "critical",
          via: [{ title: "unsafe boundary", url: "https://github.com/advisories/GHSA-fjxv-7rqg-78g4", severity: "critical" }],
        },
        esbuild: { severity: "moderate", via: [{ title: "dev server", url: "https://github.com/advisories/GHSA-67mh-4wv8-2f99" }] },
      },
    });
    const parsed = readNpmAudit(report, "");
    expect(parsed).toEqual({
      ran: true,
      findings: [
        { name: "form-data", severity: "critical", ids: ["GHSA-fjxv-7rqg-78g4"], title: "unsafe boundary" },
        { name: "esbuild", severity: "moderate", ids: ["GHSA-67mh-4wv8-2f99"], title: "dev server" },
      ],
    });
    const lines: string[] = [];
    expect(await audit({ root, print: (l) => lines.push(l), npmAudit: async () => parsed })).toBe(false);
    expect(lines).toContain("  VULNERABLE: form-data critical GHSA-fjxv-7rqg-78g4: unsafe boundary");
  });
});
