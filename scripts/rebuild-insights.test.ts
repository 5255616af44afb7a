// `npm run insights:rebuild`: every installed shop's roll-ups computed again (not an uninstalled shop's),
// or one shop's by its domain, each shop's days and rows said.
import { expect, it } from "vitest";
import { db } from "../app/db.server";
import { createShop } from "../test/helpers/factories";
import { createPayment } from "../test/helpers/holds";
import { rebuildShops } from "./rebuild-insights";

const TODAY = new Date().toISOString().slice(0, 10);
const daysSince = (day: string) => Math.round((Date.parse(`${TODAY}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000) + 1;

it("rebuilds every installed shop, or the one named, saying each one's days and rows", async () => {
  const a = await createShop("insights-a.myshopify.com");
  const b = await createShop("insights-b.myshopify.com");
  const gone = await createShop("insights-gone.myshopify.com");
  await db().shop.update({ where: { id: gone.id }, data: { uninstalledAt: new Date() } });
  // A: two payments on the 10th (UTC), in two currencies; B: one on the 20th, declined.
  await createPayment(a.id, { createdAt: new Date("2026-11-10T10:00:00Z") });
  await createPayment(a.id, { createdAt: new Date("2026-11-10T11:00:00Z"), currency: "EUR" });
  await createPayment(b.id, { createdAt: new Date("2026-11-20T10:00:00Z"), status: "Declined", declineClass: "soft", responseCode: "20051" });
  await createPayment(gone.id, { createdAt: new Date("2026-11-10T10:00:00Z") });

  const said: string[] = [];
  expect(await rebuildShops({}, (line) => said.push(line))).toEqual([
    { domain: "insights-a.myshopify.com", days: daysSince("2026-11-10"), rows: 2 },
    // A payment row and a decline row.
    { domain: "insights-b.myshopify.com", days: daysSince("2026-11-20"), rows: 2 },
  ]);
  expect(said).toEqual([
    `insights-a.myshopify.com: ${daysSince("2026-11-10")} days, 2 rows`,
    `insights-b.myshopify.com: ${daysSince("2026-11-20")} days, 2 rows`,
  ]);
  expect(await db().insightPaymentDay.count({ where: { shopId: gone.id } })).toBe(0);
  expect(
    (await db().insightPaymentDay.findMany({ where: { shopId: a.id }, orderBy: { currency: "asc" } })).map((r) => [r.day, r.currency, r.approved]),
  ).toEqual([
    ["2026-11-10", "EUR", 1],
    ["2026-11-10", "USD", 1],
  ]);

  // One shop by its domain, installed or not; a domain the app does not know is refused.
  expect(await rebuildShops({ shop: "insights-gone.myshopify.com" }, () => {})).toEqual([
    { domain: "insights-gone.myshopify.com", days: daysSince("2026-11-10"), rows: 1 },
  ]);
  await expect(rebuildShops({ shop: "nobody.myshopify.com" }, () => {})).rejects.toThrow("No shop nobody.myshopify.com");
});
