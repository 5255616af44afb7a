// Search parameters shared by the list screens, parsed leniently: a bad value means "not given"; and
// the cursor paging of the newest-first lists (reconciliation, payouts).
import { z } from "zod";

/** The search box: trimmed, at most 256 characters, undefined when empty. */
export const searchParam = z
  .string()
  .optional()
  .transform((v) => v?.trim().slice(0, 256) || undefined);

/** The page number, from 1; anything else is page 1. */
export const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1).default(1);

/** Where a page of a newest-first list starts: just past a row, by its time and then its id. */
export interface Cursor {
  at: Date;
  id: string;
}

/** A row's cursor as the URL carries it: "<ISO time>_<uuid>". */
export const cursorText = (at: Date, id: string) => `${at.toISOString()}_${id}`;

/** A cursor from the URL, or undefined (the first page) for anything that is not one. */
export const cursorParam = z
  .string()
  .optional()
  .transform((v): Cursor | undefined => {
    const match = v ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f-]{36})$/.exec(v) : null;
    return match && !Number.isNaN(Date.parse(match[1])) ? { at: new Date(match[1]), id: match[2] } : undefined;
  });

/** How a page is read: on past `after` (older rows), or back from `before` (newer rows, read oldest first) when only that is given. */
export function cursorDirection(paging: { after?: Cursor; before?: Cursor }): { backwards: boolean; cursor?: Cursor } {
  return { backwards: !paging.after && paging.before !== undefined, cursor: paging.after ?? paging.before };
}

/**
 * A page from rows read one past `size` in `direction`, newest first, and the cursors of the pages
 * around it (null at either end).
 */
export function cursorPage<T>(rows: T[], size: number, direction: { backwards: boolean; cursor?: Cursor }, cursorOf: (row: T) => string) {
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (direction.backwards) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  return {
    page,
    // Going back, there is a newer page while more were found; going forward, whenever we came from one.
    previous: first && (direction.backwards ? more : direction.cursor !== undefined) ? cursorOf(first) : null,
    next: last && (direction.backwards || more) ? cursorOf(last) : null,
  };
}
