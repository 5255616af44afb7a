// One payout's lines as CSV (app.payouts.$id.tsx), for this shop's staff; another shop's payout is not found.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "../audit/audit.server";
import { planRefusal } from "../billing/billing.server";
import { csvDownload } from "../lib/csv";
import { domainErrorReply } from "../lib/errors.server";
import { payoutCsv } from "../reconciliation/payout-views.server";
import { requireStaff } from "../shopify/staff.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const refusal = await planRefusal(staff.shopId, "reconciliation");
  if (refusal) throw domainErrorReply(refusal, staff.locale);
  const payoutRowId = params.id ?? "";
  const { csv, count, payoutId } = await payoutCsv(staff.shopId, payoutRowId).catch((error: unknown) => {
    throw domainErrorReply(error, staff.locale);
  });
  // Exports are on the log, as the reconciliation's are.
  await audit({ shopId: staff.shopId, actor: staff.actor, source: "admin", action: "payout.export", details: { payoutRowId, payoutId, count }, result: "ok" });
  // Checkout.com's id names the file; anything a file name should not hold is left out.
  return csvDownload(csv, `payout-${payoutId.replace(/[^\w-]/g, "")}`);
};
