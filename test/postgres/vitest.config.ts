import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// `npm run test:postgres`: the database-backed suites again, each file in its own PostgreSQL schema,
// plus the PostgreSQL-only suites in this folder. Needs TEST_DATABASE_URL=postgresql://...
const url = process.env.TEST_DATABASE_URL ?? "";
const enabled = /^postgres(ql)?:\/\//.test(url);
// Said only to someone running the suite (tools such as knip read this file too).
if (!enabled && process.argv.some((arg) => arg.includes("vitest")))
  console.log("test:postgres skipped: set TEST_DATABASE_URL=postgresql://user@host:5432/db to run it.");

export default defineConfig({
  plugins: [tsconfigPaths()],
  root: new URL("../..", import.meta.url).pathname,
  test: {
    passWithNoTests: !enabled,
    include: !enabled ? [] : ["app/**/*.server.test.ts", "app/routes/**/*.test.ts", "test/postgres/**/*.test.ts", "test/standins/**/*.test.ts"],
    setupFiles: ["test/helpers/setup.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2 } },
  },
});
