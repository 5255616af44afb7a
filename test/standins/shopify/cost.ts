// Shopify's calculated query cost and leaky bucket (shopify.dev "GraphQL Admin API rate limits"):
// objects cost 1, scalars and enums 0, a connection 2 plus `first`/`last` times the cost of one
// node, a mutation 10; abstract types cost their most expensive member. The requested cost is paid
// up front and the difference to the actual cost (from the data returned) is given back.
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { Clock } from "./store";

const MUTATION_COST = 10;
export const SINGLE_QUERY_MAX_COST = 1000;

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function included(node: FieldNode | { directives?: FieldNode["directives"] }, walk: Walk): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, walk.variables);
  const include = getDirectiveValues(GraphQLIncludeDirective, node, walk.variables);
  return skip?.if !== true && include?.if !== false;
}

/** The fields selected on one concrete type, with fragments and @skip/@include applied. */
function fieldsOn(selectionSet: SelectionSetNode, type: GraphQLObjectType, walk: Walk): FieldNode[] {
  const applies = (condition: string | undefined) => {
    if (!condition || condition === type.name) return true;
    const target = walk.schema.getType(condition);
    return Boolean(target && isAbstractType(target) && walk.schema.isSubType(target, type));
  };
  return selectionSet.selections.flatMap((selection): FieldNode[] => {
    if (!included(selection, walk)) return [];
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return applies(selection.typeCondition?.name.value) ? fieldsOn(selection.selectionSet, type, walk) : [];
    const fragment = walk.fragments[selection.name.value];
    return fragment && applies(fragment.typeCondition.name.value) ? fieldsOn(fragment.selectionSet, type, walk) : [];
  });
}

function concreteTypes(type: GraphQLCompositeType, walk: Walk): readonly GraphQLObjectType[] {
  return isAbstractType(type) ? walk.schema.getPossibleTypes(type) : [type as GraphQLObjectType];
}

const isConnection = (typeName: string) => typeName.endsWith("Connection");
const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * The cost of a selection on `type`. With `value` (the data returned for it) this is the actual
 * cost; without, the requested cost.
 */
function selectionCost(selectionSet: SelectionSetNode | undefined, type: GraphQLCompositeType, walk: Walk, value?: unknown): number {
  if (!selectionSet) return 0;
  return Math.max(
    0,
    ...concreteTypes(type, walk).map((concrete) => sum(fieldsOn(selectionSet, concrete, walk).map((field) => fieldCost(field, concrete, walk, value)))),
  );
}

function fieldCost(field: FieldNode, parent: GraphQLObjectType, walk: Walk, parentValue?: unknown): number {
  const definition = parent.getFields()[field.name.value];
  if (!definition) return 0;
  const named = getNamedType(definition.type);
  if (isLeafType(named)) return 0;
  const actual = parentValue !== undefined;
  const value = actual ? (parentValue as Record<string, unknown> | null)?.[responseKey(field)] : undefined;
  if (actual && value == null) return 0;
  const args = getArgumentValues(definition, field, walk.variables) as { first?: number; last?: number; ids?: unknown[] };
  if (isConnection(named.name)) return connectionCost(field, named as GraphQLObjectType, walk, args, value as Record<string, unknown[]> | undefined);
  const composite = named as GraphQLCompositeType;
  const unwrapped = isNonNullType(definition.type) ? definition.type.ofType : definition.type;
  if (isListType(unwrapped)) {
    if (actual) return sum((value as unknown[]).map((item) => (item == null ? 0 : 1 + selectionCost(field.selectionSet, composite, walk, item))));
    const size = args.first ?? args.last ?? (Array.isArray(args.ids) ? args.ids.length : 1);
    return size * (1 + selectionCost(field.selectionSet, composite, walk));
  }
  return 1 + selectionCost(field.selectionSet, composite, walk, value);
}

/** 2 for the connection, plus each node (requested: `first`/`last` of them) with what it selects. */
function connectionCost(
  field: FieldNode,
  connectionType: GraphQLObjectType,
  walk: Walk,
  args: { first?: number; last?: number },
  data?: Record<string, unknown[]>,
): number {
  const nodeType = getNamedType(connectionType.getFields().nodes.type) as GraphQLCompositeType;
  const edgeType = getNamedType(connectionType.getFields().edges.type) as GraphQLObjectType;
  const perNode: Array<{ selectionSet: SelectionSetNode | undefined; items?: unknown[] }> = [];
  for (const inner of fieldsOn(field.selectionSet!, connectionType, walk)) {
    const items = data?.[responseKey(inner)] ?? (data ? [] : undefined);
    if (inner.name.value === "nodes") perNode.push({ selectionSet: inner.selectionSet, items });
    if (inner.name.value !== "edges") continue;
    for (const edgeField of fieldsOn(inner.selectionSet!, edgeType, walk)) {
      if (edgeField.name.value === "node")
        perNode.push({ selectionSet: edgeField.selectionSet, items: items?.map((edge) => (edge as Record<string, unknown>)[responseKey(edgeField)]) });
    }
  }
  const size = args.first ?? args.last ?? 0;
  return (
    2 +
    sum(
      perNode.map(({ selectionSet, items }) =>
        items ? sum(items.map((node) => 1 + selectionCost(selectionSet, nodeType, walk, node))) : size * (1 + selectionCost(selectionSet, nodeType, walk)),
      ),
    )
  );
}

function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data?: unknown,
): number {
  const walk: Walk = { schema, fragments, variables };
  const root = operation.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
  if (operation.operation === "mutation") {
    return fieldsOn(operation.selectionSet, root, walk).filter((f) => !f.name.value.startsWith("__")).length * MUTATION_COST;
  }
  return selectionCost(operation.selectionSet, root, walk, data);
}

export function requestedCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  return operationCost(schema, operation, fragments, variables);
}

export function actualCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data: unknown,
): number {
  return operationCost(schema, operation, fragments, variables, data ?? {});
}

export interface BucketConfig {
  maximumAvailable: number;
  restoreRate: number;
}

/** Shopify's Admin GraphQL bucket per plan (points, points restored per second). */
export const PLAN_BUCKETS = {
  standard: { maximumAvailable: 2_000, restoreRate: 100 },
  advanced: { maximumAvailable: 4_000, restoreRate: 200 },
  plus: { maximumAvailable: 20_000, restoreRate: 1_000 },
  enterprise: { maximumAvailable: 40_000, restoreRate: 2_000 },
} as const satisfies Record<string, BucketConfig>;

/** A leaky bucket per app and shop: points drain by query cost and refill at restoreRate per second. */
export class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    private readonly config: BucketConfig,
    private readonly clock: Clock,
  ) {
    this.available = config.maximumAvailable;
    this.updatedAt = clock();
  }

  private refill() {
    const now = this.clock();
    this.available = Math.min(this.config.maximumAvailable, this.available + ((now - this.updatedAt) / 1000) * this.config.restoreRate);
    this.updatedAt = now;
  }

  /** Takes `cost` points if the bucket holds them. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  give(points: number) {
    this.refill();
    this.available = Math.min(this.config.maximumAvailable, this.available + points);
  }

  /** Empties or partly drains the bucket (tests). */
  set(points: number) {
    this.refill();
    this.available = Math.max(0, Math.min(this.config.maximumAvailable, points));
  }

  status() {
    this.refill();
    return { maximumAvailable: this.config.maximumAvailable, currentlyAvailable: Math.floor(this.available), restoreRate: this.config.restoreRate };
  }
}
