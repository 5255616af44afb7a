// Builds the sidebar into zendesk-app/dist/assets: iframe.html, its script, and the logos
// (from zendesk-app/assets). Relative URLs, because Zendesk serves app assets from its own host.
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("./src"),
  base: "./",
  publicDir: here("./assets"),
  plugins: [react()],
  build: {
    outDir: here("./dist/assets"),
    emptyOutDir: true,
    assetsDir: "",
    target: "es2020",
    modulePreload: { polyfill: false },
    rollupOptions: { input: here("./src/iframe.html") },
  },
});
