// Executes Admin API GraphQL requests the way Shopify answers them: parse and validate against the
// real 2026-07 schema (refusals carry graphql-ruby's error codes, HTTP 200), coerce variables
// (INVALID_VARIABLE), charge the calculated cost to the app's leaky bucket for the shop
// (MAX_COST_EXCEEDED, THROTTLED), run the resolvers, and report extensions.cost. Faults (THROTTLED
// or HTTP 5xx) can be switched on for a fraction of calls or for the next few.
import {
  execute,
  getOperationAST,
  getVariableValues,
  type GraphQLError,
  Kind,
  parse,
  print,
  specifiedRules,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type ValidationRule,
} from "graphql";
import type { RequestContext, StandInOptions, StandInServices } from "./context";
import { actualCost, LeakyBucket, requestedCost, SINGLE_QUERY_MAX_COST, type BucketConfig } from "./cost";
import { createIdempotencyKeys } from "./idempotency";
import { createPaymentsApp } from "./payments-app";
import { fieldResolver, typeResolver } from "./resolvers";
import { adminSchema } from "./schema";
import type { AppRecord, ShopifyStore, ShopRecord } from "./store";

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface AdminApiResponse {
  status: number;
  body: unknown;
}

export type Fault = "THROTTLED" | 500 | 502 | 503 | 504;

export interface FaultConfig {
  /** Fraction of calls (0..1) answered THROTTLED regardless of the bucket. */
  throttledRate?: number;
  /** Fraction of calls answered with an HTTP 5xx. */
  serverErrorRate?: number;
  serverErrorStatus?: 500 | 502 | 503 | 504;
}

/** graphql-ruby's codes for graphql-js's validation rules, as Shopify reports them. */
const RULE_CODES: Record<string, string> = {
  FieldsOnCorrectTypeRule: "undefinedField",
  KnownArgumentNamesRule: "argumentNotAccepted",
  ProvidedRequiredArgumentsRule: "missingRequiredArguments",
  ValuesOfCorrectTypeRule: "argumentLiteralsIncompatible",
  KnownTypeNamesRule: "undefinedType",
  ScalarLeafsRule: "selectionMismatch",
  VariablesInAllowedPositionRule: "variableMismatch",
  NoUndefinedVariablesRule: "variableNotDefined",
  NoUnusedVariablesRule: "variableNotUsed",
  VariablesAreInputTypesRule: "variableRequiresValidType",
  UniqueArgumentNamesRule: "argumentNotUnique",
  UniqueVariableNamesRule: "variableNotUnique",
  KnownDirectivesRule: "undefinedDirective",
  KnownFragmentNamesRule: "undefinedFragment",
  NoUnusedFragmentsRule: "useAndDefineFragment",
  PossibleFragmentSpreadsRule: "cannotSpreadFragment",
  FragmentsOnCompositeTypesRule: "fragmentOnNonCompositeType",
  NoFragmentCyclesRule: "infiniteLoop",
  OverlappingFieldsCanBeMergedRule: "fieldConflict",
  UniqueOperationNamesRule: "uniquelyNamedOperations",
  LoneAnonymousOperationRule: "anonymousQueryMustBeAlone",
};

/** The argument (and its field and type) whose literal value `error` refuses. */
function refusedArgument(document: DocumentNode, error: GraphQLError) {
  const target = error.nodes?.[0]?.loc;
  const typeInfo = new TypeInfo(adminSchema());
  let found: { argument: string; field: string; type: string; value: string } | undefined;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node, _key, _parent, _path, ancestors) {
        if (found || !target || !node.value.loc || node.value.loc.start > target.start || node.value.loc.end < target.end) return;
        const field = [...ancestors].reverse().find((a): a is FieldNode => (a as FieldNode).kind === Kind.FIELD);
        found = { argument: node.name.value, field: field?.name.value ?? "", type: String(typeInfo.getArgument()?.type ?? ""), value: print(node.value) };
      },
    }),
  );
  return found;
}

/** graphql-ruby's wording for the commonest refusals; other messages keep graphql-js's text. */
function shopifyMessage(document: DocumentNode, error: GraphQLError, rule: string): { message: string; extensions: Record<string, unknown> } {
  const m = error.message;
  const argument = rule === "ValuesOfCorrectTypeRule" ? refusedArgument(document, error) : undefined;
  if (argument) {
    return {
      message: `Argument '${argument.argument}' on Field '${argument.field}' has an invalid value (${argument.value}). Expected type '${argument.type}'.`,
      extensions: { typeName: "Field", argumentName: argument.argument },
    };
  }
  let match: RegExpExecArray | null;
  if (rule === "FieldsOnCorrectTypeRule" && (match = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(m))) {
    return { message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`, extensions: { typeName: match[2], fieldName: match[1] } };
  }
  if (rule === "KnownArgumentNamesRule" && (match = /^Unknown argument "(\w+)" on field "\w+\.(\w+)"/.exec(m))) {
    return { message: `Field '${match[2]}' doesn't accept argument '${match[1]}'`, extensions: { name: match[2], typeName: "Field", argumentName: match[1] } };
  }
  if (rule === "ProvidedRequiredArgumentsRule" && (match = /^Field "(\w+)" argument "(\w+)"/.exec(m))) {
    return {
      message: `Field '${match[1]}' is missing required arguments: ${match[2]}`,
      extensions: { className: "Field", name: match[1], arguments: match[2] },
    };
  }
  if (rule === "ScalarLeafsRule" && (match = /^Field "(\w+)" of type "([^"]+)" must have a selection/.exec(m))) {
    return {
      message: `Field must have selections (field '${match[1]}' returns ${match[2].replace(/!$/, "")} but has no selections. Did you mean '${match[1]} { ... }'?)`,
      extensions: { nodeName: `field '${match[1]}'`, typeName: match[2].replace(/!$/, "") },
    };
  }
  return { message: m, extensions: {} };
}

function validationErrors(document: DocumentNode): GraphQLFormattedError[] {
  const schema = adminSchema();
  if (validate(schema, document).length === 0) return [];
  // Run the rules one by one only on failure, to know which rule (hence which code) refused what.
  return (specifiedRules as ValidationRule[])
    .flatMap((rule) =>
      validate(schema, document, [rule]).map((error) => {
        const { message, extensions } = shopifyMessage(document, error, rule.name);
        return { message, locations: error.locations, extensions: { code: RULE_CODES[rule.name] ?? "validationError", ...extensions } };
      }),
    )
    .sort((a, b) => (a.locations?.[0]?.line ?? 0) - (b.locations?.[0]?.line ?? 0) || (a.locations?.[0]?.column ?? 0) - (b.locations?.[0]?.column ?? 0));
}

const MAX_LOGGED_REQUESTS = 20_000;

/** The operation a request names, or the first one its document names (read before parsing: faults answer first). */
function operationNameOf(request: GraphqlRequest): string | null {
  if (typeof request.operationName === "string") return request.operationName;
  return typeof request.query === "string" ? (/\b(?:query|mutation)\s+(\w+)/.exec(request.query)?.[1] ?? null) : null;
}

type CheckedDocument = { document: DocumentNode; refused: GraphQLFormattedError[] } | { syntaxError: GraphQLFormattedError };
const checkedDocuments = new Map<string, CheckedDocument>();

/** The parsed document and what validation refused in it, kept per query text (an app sends the same few). */
function checkedDocument(query: string): CheckedDocument {
  let checked = checkedDocuments.get(query);
  if (checked) return checked;
  try {
    const document = parse(query);
    checked = { document, refused: validationErrors(document) };
  } catch (error) {
    const e = error as GraphQLError;
    checked = { syntaxError: { message: e.message, locations: e.locations } };
  }
  if (checkedDocuments.size >= 1000) checkedDocuments.clear();
  checkedDocuments.set(query, checked);
  return checked;
}

const errorsBody = (errors: GraphQLFormattedError[], extra: Record<string, unknown> = {}) => ({ status: 200, body: { errors, ...extra } });

export class AdminApi {
  private readonly buckets = new Map<string, LeakyBucket>();
  private faults: FaultConfig = {};
  private readonly queuedFaults: Fault[] = [];
  readonly services: StandInServices;

  constructor(
    private readonly store: ShopifyStore,
    private bucketConfig: BucketConfig,
    private readonly options: StandInOptions,
    private readonly random: () => number = Math.random,
    services: Partial<StandInServices> = {},
  ) {
    this.services = {
      paymentsApp: services.paymentsApp ?? createPaymentsApp(store),
      idempotency: services.idempotency ?? createIdempotencyKeys(store.clock),
      actionLatencyMs: services.actionLatencyMs ?? 0,
    };
  }

  /** Rate limits are per app and shop, like Shopify's. */
  bucket(shop: string, apiKey: string): LeakyBucket {
    const key = `${shop.toLowerCase()} ${apiKey}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new LeakyBucket(this.bucketConfig, this.store.clock);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** New bucket settings; existing buckets start over full. */
  configureBuckets(config: Partial<BucketConfig>) {
    this.bucketConfig = { ...this.bucketConfig, ...config };
    this.buckets.clear();
  }

  setFaults(config: FaultConfig) {
    this.faults = { ...config };
  }

  /** The next `count` calls fail with `fault`, before any random faults. */
  failNext(count: number, fault: Fault) {
    for (let i = 0; i < count; i++) this.queuedFaults.push(fault);
  }

  clearFaults() {
    this.faults = {};
    this.queuedFaults.length = 0;
  }

  private nextFault(): Fault | null {
    const queued = this.queuedFaults.shift();
    if (queued) return queued;
    if (this.faults.serverErrorRate && this.random() < this.faults.serverErrorRate) return this.faults.serverErrorStatus ?? 503;
    if (this.faults.throttledRate && this.random() < this.faults.throttledRate) return "THROTTLED";
    return null;
  }

  async execute(shop: ShopRecord, app: AppRecord, request: GraphqlRequest): Promise<AdminApiResponse> {
    const log = this.store.adminRequests;
    // Bounded, so a long soak against the stand-in does not grow it without end.
    if (log.length >= MAX_LOGGED_REQUESTS) log.splice(0, log.length - MAX_LOGGED_REQUESTS / 2);
    log.push({ shop: shop.myshopifyDomain, operationName: operationNameOf(request), at: this.store.now() });
    const bucket = this.bucket(shop.myshopifyDomain, app.apiKey);
    const fault = this.nextFault();
    if (typeof fault === "number") return { status: fault, body: { errors: fault === 503 ? "Service Unavailable" : "Internal Server Error" } };

    const query = request.query;
    if (typeof query !== "string" || !query.trim()) {
      return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
    }
    const checked = checkedDocument(query);
    // Copies: a caller may keep or change what it was answered.
    if ("syntaxError" in checked) return errorsBody([structuredClone(checked.syntaxError)]);
    if (checked.refused.length) return errorsBody(structuredClone(checked.refused));
    const { document } = checked;

    const operationName = typeof request.operationName === "string" ? request.operationName : undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation)
      return errorsBody([
        { message: operationName ? `No operation named "${operationName}"` : "An operation name is required", extensions: { code: "OPERATION_NOT_FOUND" } },
      ]);
    if (operation.operation === "subscription") return errorsBody([{ message: "Subscriptions are not supported", extensions: { code: "BAD_REQUEST" } }]);

    const inputs = (request.variables ?? {}) as Record<string, unknown>;
    const coerced = getVariableValues(adminSchema(), operation.variableDefinitions ?? [], inputs);
    if (coerced.errors) {
      return errorsBody(
        coerced.errors.map((error) => {
          const name = /Variable "\$(\w+)"/.exec(error.message)?.[1] ?? "";
          const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
          const typeText = definition ? query.slice(definition.type.loc!.start, definition.type.loc!.end) : "unknown";
          return {
            message: `Variable $${name} of type ${typeText} was provided invalid value`,
            locations: error.locations,
            extensions: { code: "INVALID_VARIABLE", value: inputs[name] ?? null, problems: [{ path: [], explanation: error.message }] },
          };
        }),
      );
    }

    const fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    const requested = requestedCost(adminSchema(), operation, fragments, coerced.coerced);
    const cost = (actual: number | null) => ({ cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() } });
    if (requested > SINGLE_QUERY_MAX_COST) {
      return errorsBody(
        [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: SINGLE_QUERY_MAX_COST },
          },
        ],
        { extensions: cost(null) },
      );
    }
    if (fault === "THROTTLED" || !bucket.take(requested)) {
      return errorsBody([{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }], {
        extensions: cost(null),
      });
    }

    const context: RequestContext = { store: this.store, shop, app, options: this.options, services: this.services, searchWarnings: [] };
    const result = await execute({
      schema: adminSchema(),
      document,
      operationName,
      variableValues: inputs,
      contextValue: context,
      rootValue: {},
      fieldResolver,
      typeResolver,
    });
    const actual = Math.min(requested, actualCost(adminSchema(), operation, fragments, coerced.coerced, result.data));
    bucket.give(requested - actual);
    const extensions: Record<string, unknown> = cost(actual);
    if (context.searchWarnings.length) extensions.search = context.searchWarnings.map((s) => ({ path: s.path, query: s.query, warnings: s.warnings }));
    return {
      status: 200,
      body: { ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}), data: result.data ?? null, extensions },
    };
  }
}
