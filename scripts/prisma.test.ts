import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toPostgresTwin } from "./prisma.mjs";

const root = path.resolve(__dirname, "..");
const read = (p: string) => fs.readFileSync(path.join(root, p), "utf8");

describe("PostgreSQL twin schema", () => {
  it("is the SQLite schema with only the provider and client output changed", () => {
    const sqlite = read("prisma/schema.prisma");
    const pg = read("prisma/postgresql/schema.prisma");
    expect(pg).toBe(toPostgresTwin(sqlite));
    const strip = (s: string) =>
      s
        .split("\n")
        .filter((l) => !/^\s*(provider\s*=\s*"(sqlite|postgresql)"|output\s*=|\/\/ GENERATED)/.test(l))
        .join("\n");
    expect(strip(pg)).toBe(strip(sqlite));
    expect(pg).toContain('provider = "postgresql"');
  });

  it("has the same migrations as SQLite, and no schema change lacks one", () => {
    const out = execFileSync(process.execPath, [path.join(root, "scripts/prisma.mjs"), "check"], { cwd: root, encoding: "utf8" });
    expect(out).toContain("consistent");
  });
});
