// The audit log as CSV, with the list's filters (app.audit._index.tsx), for this shop's staff.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "../audit/audit.server";
import { auditCsv, auditFiltersSchema, AUDIT_CSV_LIMIT } from "../audit/audit-log.server";
import { requireStaff } from "../shopify/staff.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const filters = auditFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { csv, truncated } = await auditCsv(staff.shopId, filters);
  // Exporting the log is itself on the log.
  await audit({ shopId: staff.shopId, actor: staff.actor, source: "admin", action: "audit.export", details: { filters, truncated }, result: "ok" });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
      // Said in a header: the file itself stays a plain table.
      ...(truncated ? { "X-Truncated": `only the newest ${AUDIT_CSV_LIMIT} entries; narrow the dates for the rest` } : {}),
    },
  });
};
