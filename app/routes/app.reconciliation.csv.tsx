// The open reconciliation issues as CSV (app.reconciliation._index.tsx), for this shop's staff.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "../audit/audit.server";
import { planRefusal } from "../billing/billing.server";
import { csvDownload } from "../lib/csv";
import { domainErrorReply } from "../lib/errors.server";
import { ISSUES_CSV_LIMIT, openIssuesCsv } from "../reconciliation/issues.server";
import { requireStaff } from "../shopify/staff.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const refusal = await planRefusal(staff.shopId, "reconciliation");
  if (refusal) throw domainErrorReply(refusal, staff.locale);
  const { csv, count, truncated } = await openIssuesCsv(staff.shopId);
  // Exports are on the log, as the audit log's own is.
  await audit({ shopId: staff.shopId, actor: staff.actor, source: "admin", action: "reconciliation.export", details: { count, truncated }, result: "ok" });
  return csvDownload(csv, "reconciliation", truncated ? `only the newest ${ISSUES_CSV_LIMIT} open issues` : null);
};
