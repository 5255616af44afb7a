// The real Shopify Admin API schema (2026-07), read from ../shared/reference and built once per process.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, type GraphQLSchema } from "graphql";

export const ADMIN_API_VERSION = "2026-07";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const ADMIN_SCHEMA_PATH = path.resolve(repoRoot, `../shared/reference/shopify/admin-${ADMIN_API_VERSION}.graphql`);

let cached: GraphQLSchema | undefined;

/** Building the 3.8 MB SDL takes ~0.4 s, so every stand-in in a process shares one schema. */
export function adminSchema(): GraphQLSchema {
  cached ??= buildSchema(fs.readFileSync(ADMIN_SCHEMA_PATH, "utf8"));
  return cached;
}
