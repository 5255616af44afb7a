// `npm run lint`: ESLint for correctness (formatting is Prettier's: `npm run format`).
// A rule switched off for a file says why next to it; no blanket disables.
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "zendesk-app/dist/", "node_modules/", "tmp/", ".demo/", "app/types/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  importX.flatConfigs.typescript,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver()] },
    rules: {
      "import-x/no-cycle": "error",
      "import-x/no-duplicates": "error",
      "import-x/no-self-import": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      // A variable that closures read and that is assigned once later (a server's address) stays `let`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      "no-console": "off",
    },
  },
  {
    // Tests and stand-ins read untyped JSON answers with `any`: a wrong path fails the assertion.
    files: ["**/*.test.{ts,tsx}", "test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // The App Bridge stand-in is served to the browser as written: custom elements that hand
    // themselves to callbacks, in the style of a classic script.
    files: ["test/standins/shopify/admin/app-bridge.js"],
    rules: { "@typescript-eslint/no-this-alias": "off" },
  },
  {
    files: ["**/*.tsx"],
    ...react.configs.flat.recommended,
    ...react.configs.flat["jsx-runtime"],
    plugins: { react, "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    settings: { react: { version: "18" } },
    rules: {
      ...react.configs.flat.recommended.rules,
      ...react.configs.flat["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      "react/prop-types": "off", // TypeScript checks props
    },
  },
);
