// `npm run secrets:reseal`: after deploying a new ENCRYPTION_KEY with the old one as
// ENCRYPTION_KEY_PREVIOUS, seals every stored secret (Checkout.com keys, webhook signing keys and
// Authorization values, Zendesk shared secrets, customer data reports) again with the new key. Safe to run while the app
// runs and to run again; prints how many values changed. Once it reports 0, ENCRYPTION_KEY_PREVIOUS
// can be removed. Values are never printed.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resealCheckoutSecrets } from "../app/checkout/connection.server";
import { db } from "../app/db.server";
import { envOrExit } from "../app/env.server";
import { resealDataReports } from "../app/shops/data-reports.server";
import { resealZendeskSecrets } from "../app/zendesk/connections.server";

export async function resealAllSecrets() {
  return { checkout: await resealCheckoutSecrets(), zendesk: await resealZendeskSecrets(), dataReports: await resealDataReports() };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  envOrExit();
  const changed = await resealAllSecrets();
  console.log(
    `re-sealed with the current ENCRYPTION_KEY: ${changed.checkout} Checkout.com values, ${changed.zendesk} Zendesk shared secrets, ${changed.dataReports} customer data reports`,
  );
  await db().$disconnect();
}
