import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: Number(process.env.PORT || 3000), fs: { allow: ["app", "node_modules"] } },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.ts", "**/*.test.tsx"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: false,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  // Its CommonJS entry (what Node would load) exports { default }; bundled, the server gets its ES module.
  ssr: { noExternal: ["@shopify/i18next-shopify"] },
  // Polaris Viz is imported only when Home draws its chart: prebundled at start, not found then with a reload.
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris", "@shopify/polaris-viz"] },
}) satisfies UserConfig;
