// A customer data report (customers/data_request) as a JSON download, for admins of the shop it
// belongs to. Another shop's report, an expired one or an unknown id is a 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "../audit/audit.server";
import { DecryptionError } from "../crypto.server";
import { translator } from "../i18n/i18n";
import { findDataReport, reportText } from "../shops/data-reports.server";
import { requireStaff } from "../shopify/staff.server";

const text = (body: string, status: number) => new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  // Customers' personal data: admins only.
  const staff = await requireStaff(request, "admin");
  const t = translator(staff.locale, "privacy");
  const report = await findDataReport(staff.shopId, params.id ?? "");
  if (!report) return text(t("download.notFound"), 404);
  let body: string;
  try {
    body = reportText(report);
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    // Sealed with a key the app no longer has (ENCRYPTION_KEY changed without ENCRYPTION_KEY_PREVIOUS).
    return text(t("download.undecryptable"), 500);
  }
  await audit({
    shopId: staff.shopId,
    actor: staff.actor,
    source: "admin",
    action: "privacy.report.download",
    details: { reportId: report.id, dataRequestId: report.requestId },
    result: "ok",
  });
  const name = `customer-data-${(report.customerId ?? "unknown").replace(/[^A-Za-z0-9_-]/g, "_")}-${report.createdAt.toISOString().slice(0, 10)}.json`;
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
};
