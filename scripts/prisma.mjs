#!/usr/bin/env node
// Prisma tasks that work offline on both databases (docs/decisions/0002-prisma-offline-two-providers.md).
//   generate            write the PostgreSQL twin schema and generate both clients
//   migrate             apply committed migrations to DATABASE_URL (SQLite via Prisma, PostgreSQL via pg)
//   new-migration NAME  write a migration for both providers from the schema change since the last one
//   check               exit 1 when the twin or the migrations are out of date with schema.prisma
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sqliteSchema = path.join(root, "prisma", "schema.prisma");
const pgDir = path.join(root, "prisma", "postgresql");
const pgSchema = path.join(pgDir, "schema.prisma");
const sqliteMigrations = path.join(root, "prisma", "migrations");
const pgMigrations = path.join(pgDir, "migrations");
const SNAPSHOT = "schema.snapshot.prisma";

export function toPostgresTwin(schema) {
  const header = "// GENERATED from prisma/schema.prisma by scripts/prisma.mjs: edit that file, not this one.\n";
  return (
    header +
    schema
      .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
      .replace(/engineType = "client"\n/, 'engineType = "client"\n  output     = "../../node_modules/.prisma/client-pg"\n')
  );
}

function prisma(args, opts = {}) {
  const bin = path.join(root, "node_modules", "prisma", "build", "index.js");
  return execFileSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { PRISMA_HIDE_UPDATE_MESSAGE: "1", DATABASE_URL: "file:./prisma/dev.sqlite", ...process.env, ...opts.env },
    stdio: opts.capture ? ["ignore", "pipe", "inherit"] : "inherit",
  });
}

function writeTwin() {
  fs.mkdirSync(pgDir, { recursive: true });
  const twin = toPostgresTwin(fs.readFileSync(sqliteSchema, "utf8"));
  if (!fs.existsSync(pgSchema) || fs.readFileSync(pgSchema, "utf8") !== twin) fs.writeFileSync(pgSchema, twin);
}

function generate() {
  writeTwin();
  prisma(["generate", "--no-hints", "--schema", sqliteSchema]);
  prisma(["generate", "--no-hints", "--schema", pgSchema]);
  shareRuntime(path.join(root, "node_modules", ".prisma", "client-pg"));
}

/**
 * A client generated to a custom output gets its own copy of Prisma's runtime, and with it its own
 * `Sql` class: fragments built with `Prisma.sql`/`join`/`raw` from @prisma/client (the one the app
 * imports) would not be recognised by the PostgreSQL client and would be sent as bound parameters.
 * Point the PostgreSQL client at @prisma/client's runtime, as the default client is.
 */
function shareRuntime(clientDir) {
  for (const file of ["index.js", "index.d.ts", "edge.js", "wasm.js", "index-browser.js"]) {
    const full = path.join(clientDir, file);
    if (!fs.existsSync(full)) continue;
    const text = fs.readFileSync(full, "utf8");
    fs.writeFileSync(full, text.replaceAll("'./runtime/", "'@prisma/client/runtime/").replaceAll('"./runtime/', '"@prisma/client/runtime/'));
  }
}

function migrationNames(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function diff(fromSchema, toSchema) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prisma-diff-"));
  const args = ["migrate", "diff", "--script"];
  if (fromSchema === null) args.push("--from-empty");
  else {
    fs.writeFileSync(path.join(tmp, "from.prisma"), fromSchema);
    args.push("--from-schema-datamodel", path.join(tmp, "from.prisma"));
  }
  fs.writeFileSync(path.join(tmp, "to.prisma"), toSchema);
  args.push("--to-schema-datamodel", path.join(tmp, "to.prisma"));
  try {
    return prisma(args, { capture: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function lastSnapshot() {
  const names = migrationNames(sqliteMigrations);
  if (names.length === 0) return null;
  return fs.readFileSync(path.join(sqliteMigrations, names.at(-1), SNAPSHOT), "utf8");
}

function pendingSql() {
  const current = fs.readFileSync(sqliteSchema, "utf8");
  const previous = lastSnapshot();
  return {
    current,
    sqlite: diff(previous, current),
    pg: diff(previous === null ? null : toPostgresTwin(previous), toPostgresTwin(current)),
  };
}

const isEmptyMigration = (sql) => sql.split("\n").every((l) => !l.trim() || l.startsWith("--"));

function newMigration(name) {
  if (!/^[a-z0-9_]+$/.test(name ?? "")) throw new Error("usage: new-migration <snake_case_name>");
  writeTwin();
  const { current, sqlite, pg } = pendingSql();
  if (isEmptyMigration(sqlite)) {
    console.log("No schema changes since the last migration.");
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dirName = `${stamp}_${name}`;
  for (const [dir, sql, lock] of [
    [sqliteMigrations, sqlite, "sqlite"],
    [pgMigrations, pg, "postgresql"],
  ]) {
    fs.mkdirSync(path.join(dir, dirName), { recursive: true });
    fs.writeFileSync(path.join(dir, dirName, "migration.sql"), sql);
    fs.writeFileSync(
      path.join(dir, "migration_lock.toml"),
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${lock}"\n`,
    );
  }
  fs.writeFileSync(path.join(sqliteMigrations, dirName, SNAPSHOT), current);
  console.log(`Wrote prisma/migrations/${dirName} and prisma/postgresql/migrations/${dirName}`);
}

function check() {
  const twin = toPostgresTwin(fs.readFileSync(sqliteSchema, "utf8"));
  if (!fs.existsSync(pgSchema) || fs.readFileSync(pgSchema, "utf8") !== twin) {
    console.error("prisma/postgresql/schema.prisma is out of date: run `npm run prisma -- generate`.");
    process.exit(1);
  }
  const { sqlite } = pendingSql();
  if (!isEmptyMigration(sqlite)) {
    console.error("schema.prisma has changes without a migration: run `npm run prisma -- new-migration <name>`.");
    process.exit(1);
  }
  const a = migrationNames(sqliteMigrations).join(",");
  const b = migrationNames(pgMigrations).join(",");
  if (a !== b) {
    console.error("SQLite and PostgreSQL migration folders differ.");
    process.exit(1);
  }
  console.log("Prisma schema, twin and migrations are consistent.");
}

async function migrate() {
  const url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
  if (/^postgres(ql)?:/.test(url)) {
    const { applyPostgresMigrations } = await import("./postgres-migrate.mjs");
    await applyPostgresMigrations(url, pgMigrations);
  } else {
    prisma(["migrate", "deploy"], { env: { DATABASE_URL: url } });
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [cmd, ...rest] = process.argv.slice(2);
  const commands = { generate, migrate, "new-migration": () => newMigration(rest[0]), check };
  if (!commands[cmd]) {
    console.error(`usage: node scripts/prisma.mjs <${Object.keys(commands).join("|")}>`);
    process.exit(2);
  }
  await commands[cmd]();
}
