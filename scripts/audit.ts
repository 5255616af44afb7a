// `npm run audit`: the dependency audit, offline first (CI runs it right after install).
//   1. Every package version in package-lock.json is checked against security/advisories.json, the
//      advisories kept in the repository (package, vulnerable semver range, GHSA id). A match fails
//      the audit unless the advisory is listed under `accepted` with a reason and a review date that
//      has not passed.
//   2. Then `npm audit`, when the registry answers it: high and critical findings fail the audit
//      (unless accepted). A registry that cannot (this project's mirror answers 405 to the bulk
//      advisory endpoint), no network, or a timeout skip this step with the reason: never a failure.
// Options: --offline (skip npm audit). Exits 1 when the audit fails.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface Advisory {
  id: string;
  package: string;
  /** Vulnerable versions: comparators (<, <=, >, >=, =) joined by spaces or commas, alternatives by ||. */
  vulnerable: string;
  severity: "low" | "moderate" | "high" | "critical";
  title: string;
  url?: string;
}

export interface Acceptance {
  id: string;
  reason: string;
  /** YYYY-MM-DD: after this the acceptance no longer counts and the advisory fails the audit again. */
  reviewBy: string;
}

export interface AdvisoryFile {
  advisories: Advisory[];
  accepted: Acceptance[];
}

export interface LockedPackage {
  name: string;
  version: string;
  /** Where it is installed (node_modules/...). */
  location: string;
  dev: boolean;
}

// ---------------------------------------------------------------------------------------------
// Versions and ranges (the subset of semver that advisories use)

type Version = { parts: [number, number, number]; pre: string[] };

export function parseVersion(text: string): Version | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  return m ? { parts: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split(".") : [] } : null;
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.parts[i] !== b.parts[i]) return a.parts[i] < b.parts[i] ? -1 : 1;
  // A pre-release comes before its release.
  if (!a.pre.length || !b.pre.length) return a.pre.length === b.pre.length ? 0 : a.pre.length ? -1 : 1;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const [x, y] = [a.pre[i], b.pre[i]];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const [nx, ny] = [/^\d+$/.test(x) ? Number(x) : NaN, /^\d+$/.test(y) ? Number(y) : NaN];
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx < ny ? -1 : 1;
    if (!Number.isNaN(nx)) return -1;
    if (!Number.isNaN(ny)) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** True when `version` is in `range` ("<1.2.3", ">=2.0.0 <2.5.1", ">= 4.0.0, < 4.1.0 || =5.0.0"). */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  return range.split("||").some((alternative) => {
    const comparators = alternative
      .replace(/(<=|>=|<|>|=)\s+/g, "$1")
      .split(/[\s,]+/)
      .filter(Boolean);
    if (!comparators.length) return false;
    return comparators.every((c) => {
      const m = /^(<=|>=|<|>|=)?(.+)$/.exec(c)!;
      const bound = parseVersion(m[2]);
      if (!bound) throw new Error(`Cannot read the version range "${range}"`);
      const cmp = compareVersions(v, bound);
      return { "<": cmp < 0, "<=": cmp <= 0, ">": cmp > 0, ">=": cmp >= 0, "=": cmp === 0 }[m[1] ?? "="]!;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The lock file and the advisories

/** Every installed package of a lock file (lockfileVersion 2 or 3). */
export function lockedPackages(lock: { packages?: Record<string, { version?: string; dev?: boolean; link?: boolean; name?: string }> }): LockedPackage[] {
  if (!lock.packages) throw new Error("package-lock.json has no `packages` (lockfileVersion 2 or 3 is needed)");
  const out: LockedPackage[] = [];
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (!location || entry.link || !entry.version) continue;
    const name = entry.name ?? location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length);
    out.push({ name, version: entry.version, location, dev: Boolean(entry.dev) });
  }
  return out;
}

export interface Finding {
  advisory: Advisory;
  packages: LockedPackage[];
  acceptance: Acceptance | null;
}

/** The advisories that match a locked package, with their acceptance when one is in force on `today`. */
export function checkLock(packages: LockedPackage[], file: AdvisoryFile, today = new Date().toISOString().slice(0, 10)): Finding[] {
  const findings: Finding[] = [];
  for (const advisory of file.advisories) {
    const hit = packages.filter((p) => p.name === advisory.package && satisfies(p.version, advisory.vulnerable));
    if (!hit.length) continue;
    const acceptance = file.accepted.find((a) => a.id === advisory.id && a.reviewBy >= today) ?? null;
    findings.push({ advisory, packages: hit, acceptance });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// npm audit

export type NpmAudit = { ran: true; findings: Array<{ name: string; severity: string; ids: string[]; title: string }> } | { ran: false; reason: string };

/** Reads `npm audit --json`'s output (and exit status): its findings, or why it did not run. */
export function readNpmAudit(stdout: string, stderr: string): NpmAudit {
  let report: {
    statusCode?: number;
    message?: string;
    error?: { code?: string; summary?: string };
    vulnerabilities?: Record<string, { severity: string; via: Array<string | { title?: string; url?: string; severity?: string }> }>;
  };
  try {
    report = JSON.parse(stdout);
  } catch {
    const line = stderr.split("\n").find((l) => /error|ERR/.test(l)) ?? stderr.trim().split("\n")[0] ?? "no output";
    return { ran: false, reason: `npm audit gave no report (${line.trim() || "no output"})` };
  }
  if (report.statusCode === 405)
    return { ran: false, reason: `the registry does not answer npm audit's bulk advisory endpoint (${report.message ?? "405 Method Not Allowed"})` };
  if (!report.vulnerabilities) {
    const why = report.message ?? report.error?.summary ?? report.error?.code ?? "an error without a report";
    return { ran: false, reason: `npm audit could not run: ${why}` };
  }
  const findings = Object.entries(report.vulnerabilities).map(([name, v]) => {
    const sources = v.via.filter((x): x is { title?: string; url?: string } => typeof x === "object");
    return {
      name,
      severity: v.severity,
      ids: sources.map((s) => /GHSA-[\w-]+/.exec(s.url ?? "")?.[0]).filter((id): id is string => Boolean(id)),
      title:
        sources
          .map((s) => s.title)
          .filter(Boolean)
          .join("; ") || `through ${v.via.filter((x) => typeof x === "string").join(", ")}`,
    };
  });
  return { ran: true, findings };
}

function runNpmAudit(): Promise<NpmAudit> {
  return new Promise((resolve) => {
    execFile("npm", ["audit", "--json"], { cwd: ROOT, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && (error as { killed?: boolean }).killed) return resolve({ ran: false, reason: "npm audit did not answer within 120 s" });
      resolve(readNpmAudit(String(stdout), String(stderr)));
    });
  });
}

// ---------------------------------------------------------------------------------------------

export async function audit(
  options: { offline?: boolean; root?: string; npmAudit?: () => Promise<NpmAudit>; print?: (line: string) => void } = {},
): Promise<boolean> {
  const root = options.root ?? ROOT;
  const print = options.print ?? console.log;
  const packages = lockedPackages(JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")));
  const file = JSON.parse(fs.readFileSync(path.join(root, "security/advisories.json"), "utf8")) as AdvisoryFile;
  let ok = true;

  const findings = checkLock(packages, file);
  print(`advisories in security/advisories.json: ${file.advisories.length}, checked against ${packages.length} locked packages`);
  for (const f of findings) {
    const where = f.packages.map((p) => `${p.name}@${p.version}${p.dev ? " (dev)" : ""}`).join(", ");
    if (f.acceptance) {
      print(`  accepted until ${f.acceptance.reviewBy}: ${f.advisory.id} ${f.advisory.severity} ${where}: ${f.advisory.title}. ${f.acceptance.reason}`);
    } else {
      ok = false;
      print(
        `  VULNERABLE: ${f.advisory.id} ${f.advisory.severity} ${where} (vulnerable ${f.advisory.vulnerable}): ${f.advisory.title} ${f.advisory.url ?? ""}`,
      );
    }
  }
  if (!findings.length) print("  no locked package is affected");

  if (options.offline) {
    print("npm audit: skipped (--offline)");
  } else {
    const result = await (options.npmAudit ?? runNpmAudit)();
    if (!result.ran) {
      print(`npm audit: skipped, ${result.reason}`);
    } else {
      const serious = result.findings.filter((f) => f.severity === "high" || f.severity === "critical");
      const accepted = (f: (typeof serious)[number]) =>
        f.ids.length > 0 && f.ids.every((id) => file.accepted.some((a) => a.id === id && a.reviewBy >= new Date().toISOString().slice(0, 10)));
      print(`npm audit: ${result.findings.length} vulnerable packages, ${serious.length} high or critical`);
      for (const f of serious) {
        if (accepted(f)) print(`  accepted: ${f.name} ${f.severity} ${f.ids.join(", ")}`);
        else {
          ok = false;
          print(`  VULNERABLE: ${f.name} ${f.severity} ${f.ids.join(", ")}: ${f.title}`);
        }
      }
    }
  }
  print(ok ? "audit passed" : "audit FAILED: upgrade the package, or accept the advisory in security/advisories.json with a reason and a review date");
  return ok;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit((await audit({ offline: process.argv.includes("--offline") })) ? 0 : 1);
}
