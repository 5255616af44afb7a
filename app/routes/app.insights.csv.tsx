// One Insights table as CSV (`table=payments|declines|disputes|holds`) with the page's range and filters, for
// this shop's staff. A range that cannot be read is answered 400 with why, in the staff member's language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "../audit/audit.server";
import { say } from "../i18n/i18n";
import { INSIGHTS_CSV_LIMIT, INSIGHTS_CSV_TABLES, insightsCsv, isInsightsCsvTable } from "../insights/csv.server";
import { parseInsightsRequest } from "../insights/queries.server";
import { csvDownload } from "../lib/csv";
import { requireStaff } from "../shopify/staff.server";

const badRequest = (message: string) => new Response(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const params = new URL(request.url).searchParams;
  const table = params.get("table");
  if (!isInsightsCsvTable(table)) return badRequest(say(staff.locale, { key: "insights.csvTable", values: { tables: INSIGHTS_CSV_TABLES.join(", ") } }));
  const parsed = await parseInsightsRequest(staff.shopId, params);
  if (!parsed.ok) return badRequest(say(staff.locale, parsed.words));
  const { query } = parsed;
  const { csv, count, truncated } = await insightsCsv(staff.shopId, table, query);
  // Exports are on the log, as the other exports are.
  await audit({
    shopId: staff.shopId,
    actor: staff.actor,
    source: "admin",
    action: "insights.export",
    details: { table, query, count, truncated },
    result: "ok",
  });
  return csvDownload(
    csv,
    `insights-${table}-${query.from}-to-${query.to}`,
    truncated ? `only the first ${INSIGHTS_CSV_LIMIT} rows; narrow the dates for the rest` : null,
  );
};
