// `npm run insights:rebuild [-- --shop example.myshopify.com]`: computes the Insights roll-ups again from
// the raw payments, disputes and holds, for one shop or every installed one, a day per transaction
// (app/insights/rollup.server.ts). Safe to run while the app runs and to run again: a day's rows are
// replaced, never added to. Prints, per shop, the days computed and the rows written.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { db } from "../app/db.server";
import { envOrExit } from "../app/env.server";
import { rebuildInsights, type RebuildResult } from "../app/insights/rollup.server";

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** Rebuilds the shop with domain `shop`, or every installed shop; `print` hears of each as it is done. */
export async function rebuildShops(options: { shop?: string } = {}, print: (line: string) => void = console.log) {
  const shops = await db().shop.findMany({
    where: options.shop ? { domain: options.shop } : { uninstalledAt: null },
    select: { id: true, domain: true },
    orderBy: { domain: "asc" },
  });
  if (options.shop && !shops.length) throw new Error(`No shop ${options.shop}`);
  const rebuilt: Array<{ domain: string } & RebuildResult> = [];
  for (const shop of shops) {
    const result = await rebuildInsights(shop.id);
    print(`${shop.domain}: ${count(result.days, "day")}, ${count(result.rows, "row")}`);
    rebuilt.push({ domain: shop.domain, ...result });
  }
  return rebuilt;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  envOrExit();
  const { values } = parseArgs({ options: { shop: { type: "string" } } });
  try {
    const rebuilt = await rebuildShops({ shop: values.shop });
    console.log(`rebuilt the Insights roll-ups of ${count(rebuilt.length, "shop")}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    await db().$disconnect();
  }
}
