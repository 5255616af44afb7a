// Reads every text and binary column of every table of the test database (SQLite or PostgreSQL),
// generically from Prisma's model description, so a new table or column is searched without changing
// the tests that use it (the privacy tests: nothing about a redacted customer may remain anywhere).
import fs from "node:fs";
import { Prisma } from "@prisma/client";
import { db } from "../../app/db.server";

export interface Cell {
  table: string;
  column: string;
  rowId: string;
  /** The shop the row belongs to: its shopId, the Shop's own id, a Session's shop domain's id; null if none. */
  shopId: string | null;
  text: string;
}

const quote = (name: string) => `"${name.replaceAll('"', "")}"`;

/** Composite primary keys (`@@id([...])`) from the schema: the runtime model description lacks them. */
const compositeKeys = new Map(
  [...fs.readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8").matchAll(/^model (\w+) \{[^}]*?@@id\(\[([^\]]+)\]\)/gms)].map((m) => [
    m[1],
    m[2].split(",").map((f) => f.trim()),
  ]),
);

/** Every non-null String and Bytes value in the database, bytes decoded as UTF-8 and Latin-1. */
export async function databaseCells(): Promise<Cell[]> {
  const shops = await db().shop.findMany({ select: { id: true, domain: true } });
  const shopByDomain = new Map(shops.map((s) => [s.domain, s.id]));
  const cells: Cell[] = [];
  for (const model of Prisma.dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    const columns = model.fields.filter((f) => f.kind === "scalar" && (f.type === "String" || f.type === "Bytes"));
    if (!columns.length) continue;
    // A row is named by its `id`, or by its composite key (the order index), or else by its first
    // field (the per-shop settings, keyed by their shopId).
    const keyFields = model.fields.some((f) => f.name === "id") ? ["id"] : (compositeKeys.get(model.name) ?? [model.fields[0].name]);
    const hasShopId = model.fields.some((f) => f.name === "shopId");
    const select = [...new Set([...keyFields, ...(hasShopId ? ["shopId"] : []), ...columns.map((c) => c.dbName ?? c.name)])].map(quote).join(", ");
    const rows = await db().$queryRawUnsafe<Array<Record<string, unknown>>>(`SELECT ${select} FROM ${quote(table)}`);
    for (const row of rows) {
      const rowId = keyFields.map((f) => String(row[f])).join("/");
      const shopId =
        (hasShopId ? (row.shopId as string) : null) ??
        (model.name === "Shop" ? rowId : model.name === "Session" ? (shopByDomain.get(String(row.shop)) ?? null) : null);
      for (const c of columns) {
        const value = row[c.dbName ?? c.name];
        if (value === null || value === undefined) continue;
        if (c.type === "Bytes") {
          const bytes = Buffer.from(value as Uint8Array);
          cells.push({ table, column: c.name, rowId, shopId, text: `${bytes.toString("utf8")}\n${bytes.toString("latin1")}` });
        } else {
          cells.push({ table, column: c.name, rowId, shopId, text: String(value) });
        }
      }
    }
  }
  return cells;
}

export interface Hit {
  needle: string;
  table: string;
  column: string;
  rowId: string;
  shopId: string | null;
  excerpt: string;
}

/** Where each needle (a label and a pattern) occurs in the database. */
export async function searchDatabase(needles: Array<[string, RegExp]>): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const cell of await databaseCells()) {
    for (const [needle, pattern] of needles) {
      const match = pattern.exec(cell.text);
      if (!match) continue;
      const at = match.index;
      hits.push({
        needle,
        table: cell.table,
        column: cell.column,
        rowId: cell.rowId,
        shopId: cell.shopId,
        excerpt: cell.text.slice(Math.max(0, at - 40), at + match[0].length + 40),
      });
    }
  }
  return hits;
}
