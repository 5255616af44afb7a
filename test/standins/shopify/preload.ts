// Runs the Shopify stand-in inside the app process (demo and browser tests):
//   node --import tsx --import ./test/standins/shopify/preload.ts server.ts
// It intercepts the app's calls to Shopify with msw, optionally runs a seed module, and serves the
// control API on loopback so the demo or a test can seed and inspect the store. Configuration:
//   SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SCOPES   the app's own settings (the stand-in plays its Shopify)
//   SHOPIFY_STANDIN_SEED=<path>                   module whose default export receives the stand-in
//   SHOPIFY_STANDIN_CONTROL_PORT=<port>           control API port (default: any free port)
//   SHOPIFY_STANDIN_CONTROL_FILE=<path>           where to write the control API URL once listening
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startControlServer } from "./control";
import { createShopifyStandIn, type ShopifyStandIn } from "./index";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`The Shopify stand-in preload needs ${name} (the app's own setting)`);
  return value;
}

const standIn = createShopifyStandIn({ apiKey: required("SHOPIFY_API_KEY"), apiSecret: required("SHOPIFY_API_SECRET"), scopes: process.env.SCOPES });
standIn.listen();

const seed = process.env.SHOPIFY_STANDIN_SEED;
if (seed) {
  const module = (await import(pathToFileURL(path.resolve(seed)).href)) as { default: (standIn: ShopifyStandIn) => unknown };
  await module.default(standIn);
}

const control = await startControlServer(standIn, { port: Number(process.env.SHOPIFY_STANDIN_CONTROL_PORT ?? 0) });
if (process.env.SHOPIFY_STANDIN_CONTROL_FILE) fs.writeFileSync(process.env.SHOPIFY_STANDIN_CONTROL_FILE, control.url);
process.stderr.write(`Shopify stand-in control: ${control.url}\n`);
