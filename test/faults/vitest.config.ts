import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// `npm run test:faults`: tests that break things on purpose against the real production server
// (server.ts in a child process, the Remix build): SIGKILL mid-burst, Shopify throttling and 5xx,
// Checkout.com 429/5xx on money actions, the database going away, graceful shutdown. Each file sets up
// its own world (database, stand-ins, app process), so there is no shared setup file. The database is
// SQLite, or a fresh PostgreSQL schema when TEST_DATABASE_URL is set. One file at a time: each
// starts servers, and the machine is small.
export default defineConfig({
  plugins: [tsconfigPaths()],
  root: new URL("../..", import.meta.url).pathname,
  test: {
    include: ["test/faults/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
  },
});
