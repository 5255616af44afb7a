import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// `npm test`: unit and integration tests beside the code and under test/ (not the slow suites,
// which have their own configs: test/e2e, test/postgres, test/faults).
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}", "zendesk-app/**/*.test.{ts,tsx}", "extensions/**/*.test.{ts,tsx}", "scripts/**/*.test.ts"],
    exclude: ["test/e2e/**", "test/postgres/**", "test/faults/**", "node_modules/**"],
    setupFiles: ["test/helpers/setup.ts"],
    globalSetup: ["test/helpers/sidebar-build.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
