// Checks bodies against Checkout.com's OpenAPI description (../shared/reference, NAS, July 2023) with ajv.
// For tests only: the stand-in itself does not read the reference files, so it runs on a fresh clone.
//
// OpenAPI 3.0 is not JSON Schema: `nullable` is turned into a null type, and the spec's own mistakes
// listed in SPEC_ERRATA are corrected before compiling. Each correction says why; none of them makes a
// check looser than what Checkout.com documents elsewhere (../shared/reference/README.md).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

const here = path.dirname(fileURLToPath(import.meta.url));
const NAS_SPEC_PATH = path.resolve(here, "../../../../shared/reference/checkout/openapi-nas-2023-07.json");

type Json = Record<string, unknown>;
type Spec = { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
/** Type names the spec writes that JSON Schema does not know. */
const TYPE_TYPOS: Record<string, string> = { bool: "boolean", Enum: "string", int: "integer" };

/**
 * Corrections of mistakes in the July 2023 spec, applied to the components before compiling.
 * - Id patterns fix the length (`\w{26}`, dispute ids `\w{22}`) but real ids differ in length
 *   (dispute ids are dsp_ + 20 characters): keep the prefix, drop the length.
 * - PaymentResponseBalances requires an `id` that no balances object has.
 * - Dispute.relevant_evidence declares arrays of arrays with a string enum on the inner array; the API
 *   returns an array of those strings.
 * - ProvideEvidenceRequest limits text fields with `maximum: 500`, a number keyword that JSON Schema
 *   ignores on strings; Checkout.com documents 500 characters, so it becomes `maxLength`.
 * - The `_links.self`/`next` objects of the financial-actions and reports answers take `href` from an
 *   `allOf` beside `additionalProperties: false`, which in JSON Schema forbids that very `href`: dropped.
 * - FinancialActionBreakdown.tax_currency_amount is a number whose example is "AUD" (the example of
 *   entity_country_tax_currency): the example becomes a number.
 * - GET /reports/{id}/files/{fileId} declares its path parameter as `Id`, not the template's `id`.
 */
function applyErrata(spec: Spec) {
  const schemas = spec.components.schemas;
  delete (schemas.PaymentResponseBalances as Json).required;
  const relevant = ((schemas.Dispute as Json).properties as Json).relevant_evidence as Json;
  const inner = relevant.items as Json;
  relevant.items = { type: "string", enum: inner.enum };
  for (const [name, field] of Object.entries((schemas.ProvideEvidenceRequest as Json).properties as Record<string, Json>)) {
    if (name.endsWith("_text") && field.maximum === 500) {
      delete field.maximum;
      field.maxLength = 500;
    }
  }
  for (const name of ["FinancialActionListResponse", "ReportListResponse", "ReportResponse", "FileResponse"]) {
    for (const linked of Object.values(((schemas[name].properties as Json)._links as Json).properties as Record<string, Json>)) {
      if (linked.allOf && !linked.properties) delete linked.additionalProperties;
    }
  }
  (((schemas.FinancialActionBreakdown as Json).properties as Json).tax_currency_amount as Json).example = 1.25;
  for (const parameter of spec.paths["/reports/{id}/files/{fileId}"].get.parameters as Json[]) if (parameter.name === "Id") parameter.name = "id";
}

/** Rewrites OpenAPI-only constructs (nullable, typos, fixed-length id patterns) into JSON Schema, in place. */
function toJsonSchema(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(toJsonSchema);
  if (!node || typeof node !== "object") return;
  const schema = node as Json;
  if (typeof schema.type === "string" && !JSON_TYPES.has(schema.type)) schema.type = TYPE_TYPOS[schema.type] ?? "string";
  if (typeof schema.pattern === "string" && /^\^\(\w+(\|\w+)*\)_/.test(schema.pattern)) {
    schema.pattern = schema.pattern.replace(/\\\\?w\{\d+\}/g, "\\w+");
    delete schema.minLength;
    delete schema.maxLength;
  }
  if (schema.nullable === true) {
    delete schema.nullable;
    if (typeof schema.type === "string") schema.type = [schema.type, "null"];
    else if (schema.enum) schema.enum = [...(schema.enum as unknown[]), null];
  }
  for (const [key, value] of Object.entries(schema)) if (key !== "example" && key !== "examples") toJsonSchema(value);
}

export interface SpecCheck {
  valid: boolean;
  errors: string[];
}

export class NasSpec {
  private readonly ajv: Ajv;
  private readonly spec: Spec;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(file = NAS_SPEC_PATH) {
    this.spec = JSON.parse(fs.readFileSync(file, "utf8")) as Spec;
    applyErrata(this.spec);
    toJsonSchema(this.spec.components);
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: "nas.json", components: this.spec.components });
  }

  private operation(method: string, pathTemplate: string): Json {
    const op = this.spec.paths[pathTemplate]?.[method.toLowerCase()];
    if (!op) throw new Error(`The spec has no ${method} ${pathTemplate}`);
    return op;
  }

  /** The schema of a named component, optionally with extra constraints merged in (e.g. additionalProperties). */
  componentSchema(name: string): Json {
    const schema = this.spec.components.schemas[name];
    if (!schema) throw new Error(`The spec has no component ${name}`);
    return schema;
  }

  /** The JSON request body schema of an operation (a `$ref` into the components). */
  requestSchema(method: string, pathTemplate: string): Json {
    const body = this.operation(method, pathTemplate).requestBody as Json | undefined;
    const schema = ((body?.content as Json)?.["application/json"] as Json)?.schema as Json | undefined;
    if (!schema) throw new Error(`${method} ${pathTemplate} has no JSON request body in the spec`);
    return schema;
  }

  /** The top-level field names the spec allows in an operation's request body. */
  requestFields(method: string, pathTemplate: string): string[] {
    const ref = this.requestSchema(method, pathTemplate).$ref as string;
    return Object.keys(this.componentSchema(ref.split("/").pop()!).properties as Json).sort();
  }

  /** The names of an operation's query parameters. */
  queryParameters(method: string, pathTemplate: string): string[] {
    const parameters = (this.operation(method, pathTemplate).parameters ?? []) as Json[];
    return parameters.filter((p) => p.in === "query").map((p) => String(p.name));
  }

  /** The statuses the spec documents for an operation. */
  documentedStatuses(method: string, pathTemplate: string): number[] {
    return Object.keys(this.operation(method, pathTemplate).responses as Json).map(Number);
  }

  /** The response body schema for a status, or null when the spec documents that status without a body. */
  responseSchema(method: string, pathTemplate: string, status: number): Json | null {
    const response = (this.operation(method, pathTemplate).responses as Record<string, Json>)[String(status)];
    if (!response) throw new Error(`The spec does not document ${status} for ${method} ${pathTemplate}`);
    return (((response.content as Json)?.["application/json"] as Json)?.schema as Json) ?? null;
  }

  private compile(key: string, schema: Json): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(structuredClone(schema)));
      this.cache.set(key, validate);
    }
    return validate;
  }

  /** Validates a value against a schema taken from the spec (refs point into its components). */
  check(schema: Json, value: unknown): SpecCheck {
    const validate = this.compile(JSON.stringify(schema), schema);
    const valid = validate(value);
    return { valid, errors: (validate.errors ?? []).map(describe) };
  }

  /**
   * Validates a response body against what the spec documents for this status. A status documented
   * without a body must come with an empty one, except 422, which Checkout.com always answers in its
   * ValidationError format. Where the spec offers alternatives (`oneOf`, e.g. payment or payout
   * details) the caller names the one that applies: the alternatives overlap, so `oneOf` itself would
   * accept almost anything.
   */
  checkResponse(method: string, pathTemplate: string, status: number, body: unknown, variant?: string): SpecCheck {
    const schema = this.responseSchema(method, pathTemplate, status);
    if (!schema && status === 422) return this.checkComponent("ValidationError", body);
    if (!schema) return body === undefined ? { valid: true, errors: [] } : { valid: false, errors: [`${status} has no body in the spec`] };
    const alternatives = (schema.oneOf as Json[] | undefined)?.map((s) => String(s.$ref).split("/").pop()!);
    if (!alternatives) return this.check(schema, body);
    if (!variant || !alternatives.includes(variant))
      throw new Error(`${method} ${pathTemplate} ${status} is one of ${alternatives.join(", ")}: name the one that applies`);
    return this.checkComponent(variant, body);
  }

  /** A named component, e.g. "PaymentDetails" for the card-payment alternative of GET /payments/{id}. */
  checkComponent(name: string, value: unknown): SpecCheck {
    return this.check({ $ref: `#/components/schemas/${name}` }, value);
  }
}

/** `#/components/...` refs inside schemas taken out of the document must point at the loaded document. */
function rebase(node: unknown): Json {
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== "object") return;
    const o = n as Json;
    if (typeof o.$ref === "string" && o.$ref.startsWith("#/")) o.$ref = `nas.json${o.$ref}`;
    Object.values(o).forEach(visit);
  };
  visit(node);
  return node as Json;
}

function describe(e: ErrorObject): string {
  return `${e.instancePath || "(root)"} ${e.message ?? e.keyword}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`;
}
