// Every GraphQL document the app sends to Shopify is a `#graphql` template literal; each must
// validate against the Admin API 2026-07 schema, so a typo fails here rather than in a merchant's shop.
import fs from "node:fs";
import path from "node:path";
import { buildSchema, parse, validate, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const SCHEMA = path.resolve(root, "../shared/reference/shopify/admin-2026-07.graphql");

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** `#graphql` literals: the convention Shopify's tooling uses to mark Admin API documents. */
export function findDocuments(files: string[]) {
  const documents: Array<{ file: string; line: number; text: string }> = [];
  for (const file of files) {
    const source = fs.readFileSync(file, "utf8");
    for (const match of source.matchAll(/`#graphql\b([^`]*)`/g)) {
      if (match[1].includes("${")) throw new Error(`${file}: GraphQL documents must not interpolate values; use variables`);
      documents.push({ file: path.relative(root, file), line: source.slice(0, match.index).split("\n").length, text: match[1] });
    }
  }
  return documents;
}

const documents = findDocuments([...sourceFiles(path.join(root, "app")), ...sourceFiles(path.join(root, "extensions"))]);
let schema: GraphQLSchema;

beforeAll(() => {
  schema = buildSchema(fs.readFileSync(SCHEMA, "utf8"));
});

describe("Shopify Admin GraphQL documents", () => {
  it("finds the documents", () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  it.each(documents.map((d) => [`${d.file}:${d.line}`, d.text]))("%s is valid against admin-2026-07", (_where, text) => {
    const errors = validate(schema, parse(text as string));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it("rejects an invalid document (the check itself works)", () => {
    const errors = validate(schema, parse("query { shop { notAField } }"));
    expect(errors.length).toBeGreaterThan(0);
  });
});
