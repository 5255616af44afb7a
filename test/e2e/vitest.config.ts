import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// `npm run test:e2e`: browser tests (Chromium via playwright-core) against built code. Each file sets
// up what it needs (stand-ins, the app server, its own database), so there is no shared setup file.
// One file at a time: each starts servers and a browser, and the machine is small.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 90_000,
    hookTimeout: 300_000,
    pool: "forks",
    fileParallelism: false,
  },
});
