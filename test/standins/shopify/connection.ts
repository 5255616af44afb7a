// Relay connections as Shopify pages them: first/after or last/before (one of first/last required,
// at most 250), opaque base64 cursors, edges, nodes and pageInfo.
import { GraphQLError } from "graphql";
import { legacyId } from "./store";

const MAX_PAGE_SIZE = 250;

interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ last_id: Number(legacyId(id)), last_value: legacyId(id) })).toString("base64");
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown };
    if (typeof parsed.last_id === "number") return parsed.last_id;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
}

/** One page of `items` (already filtered and sorted), which must each have a gid `id`. */
export function connection<T extends { id: string }>(items: T[], args: PageArgs) {
  const { first, last, after, before } = args;
  if (first == null && last == null) throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new GraphQLError(`The \`${name}\` argument must be between 0 and ${MAX_PAGE_SIZE}`, { extensions: { code: "BAD_REQUEST" } });
    }
  }
  const position = (cursor: string) => {
    const id = decodeCursor(cursor);
    return items.findIndex((item) => Number(legacyId(item.id)) === id);
  };
  let start = 0;
  let end = items.length;
  if (after) start = position(after) + 1;
  if (before) {
    const index = position(before);
    end = index < 0 ? end : index;
  }
  let page = items.slice(start, Math.max(start, end));
  let hasNextPage = end < items.length;
  let hasPreviousPage = start > 0;
  if (first != null) {
    hasNextPage = hasNextPage || page.length > first;
    page = page.slice(0, first);
  }
  if (last != null) {
    hasPreviousPage = hasPreviousPage || page.length > last;
    page = page.slice(Math.max(0, page.length - last));
  }
  const edges = page.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
