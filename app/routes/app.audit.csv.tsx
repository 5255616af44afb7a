// The audit log as CSV, with the list's filters (app.audit._index.tsx), for this shop's staff.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "../audit/audit.server";
import { auditCsv, auditFiltersSchema, AUDIT_CSV_LIMIT } from "../audit/audit-log.server";
import { csvDownload } from "../lib/csv";
import { requireStaff } from "../shopify/staff.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const filters = auditFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { csv, truncated } = await auditCsv(staff.shopId, filters);
  // Exporting the log is itself on the log.
  await audit({ shopId: staff.shopId, actor: staff.actor, source: "admin", action: "audit.export", details: { filters, truncated }, result: "ok" });
  return csvDownload(csv, "audit-log", truncated ? `only the newest ${AUDIT_CSV_LIMIT} entries; narrow the dates for the rest` : null);
};
