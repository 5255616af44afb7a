// Prisma CLI configuration. The native engines cannot be downloaded on our build machines, so the CLI
// runs its WASM schema engine through the better-sqlite3 driver adapter (see docs/decisions/0002).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The CLI looks for native binaries at start-up; pointing these at any existing file stops it trying
// to download them. They are never executed in "js" engine mode.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= process.execPath;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  async adapter() {
    return new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite" });
  },
});
