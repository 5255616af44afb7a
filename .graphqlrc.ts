// Shopify's GraphQL codegen (`npm run graphql-codegen`): types for every `#graphql` Admin document in
// app/ (app/types/, committed), from the Admin API version the app calls. The schema is read from the
// reference copy beside the project where there is one (these machines have no internet), else from
// Shopify. CI fails when app/types/ is stale (`npm run graphql-codegen -- --check`).
import { existsSync } from "node:fs";
import { ApiType, pluckConfig, preset } from "@shopify/api-codegen-preset";

const API_VERSION = "2026-07";
const reference = `../shared/reference/shopify/admin-${API_VERSION}.graphql`;
const schema = existsSync(reference) ? reference : `https://shopify.dev/admin-graphql-direct-proxy/${API_VERSION}`;
const documents = ["./app/**/*.{ts,tsx}", "!./app/**/*.test.{ts,tsx}", "!./app/types/**"];

// Nullable fields as `T | null` (what Shopify sends), not optional; enums as unions of their values.
const config = { avoidOptionals: { field: true, object: true, inputValue: false, defaultValue: false }, maybeValue: "T | null", enumsAsTypes: true };

export default {
  schema,
  documents,
  projects: {
    default: {
      schema,
      documents,
      extensions: {
        codegen: {
          pluckConfig,
          generates: {
            "./app/types/admin.types.d.ts": { plugins: ["typescript"], config },
            "./app/types/admin.generated.d.ts": { preset, presetConfig: { apiType: ApiType.Admin }, config },
          },
        },
      },
    },
  },
};
