// The shop-wide audit log: who did what, when, and how it ended, across holds, money, disputes, rules
// and settings; filtered by who, what, outcome, dates (UTC) and order, and exported as CSV.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, IndexTable, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { auditFiltersSchema, listAuditEntries } from "../audit/audit-log.server";
import { requireStaff } from "../shopify/staff.server";
import { DownloadButton } from "../ui/download-button";
import { ListFilters, ListTable, PageLinks } from "../ui/list-page";
import { useFormat } from "../ui/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const filters = auditFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { ...(await listAuditEntries(staff.shopId, filters)), filters };
};

const OUTCOMES = ["", "ok", "error"] as const;
/** Who acted, as the audit entries record it (audit.server.ts). */
const SOURCES = new Set(["admin", "zendesk", "system"]);

const orderNumber = (gid: string | null) => gid?.split("/").pop() ?? null;

export default function AuditLog() {
  const { t } = useTranslation("audit");
  const { dateTime } = useFormat();
  const { entries, hasNext, actions, filters } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const [who, setWho] = useState(filters.who ?? "");
  const [what, setWhat] = useState(filters.what ?? "");
  const [result, setResult] = useState<string>(filters.result ?? "");
  const [from, setFrom] = useState(filters.from ?? "");
  const [to, setTo] = useState(filters.to ?? "");
  const [order, setOrder] = useState(filters.order ?? "");
  const exportParams = new URLSearchParams(params);
  exportParams.delete("page");

  return (
    <Page
      title={t("page.title")}
      subtitle={t("page.subtitle")}
      primaryAction={
        <DownloadButton url={`/app/audit/csv?${exportParams}`} filename={`audit-log-${new Date().toISOString().slice(0, 10)}.csv`} label={t("page.export")} />
      }
    >
      <Layout>
        <ListFilters>
          <TextField label={t("filters.who")} name="who" value={who} onChange={setWho} autoComplete="off" placeholder={t("filters.whoPlaceholder")} />
          {/* The actions are the log's codes (hold.release), as in the CSV. */}
          <Select
            label={t("filters.what")}
            name="what"
            options={[{ label: t("filters.everyAction"), value: "" }, ...actions.map((a) => ({ label: a, value: a }))]}
            value={what}
            onChange={setWhat}
          />
          <Select
            label={t("filters.outcome")}
            name="result"
            options={OUTCOMES.map((value) => ({ label: t(`filters.outcomes.${value || "any"}`), value }))}
            value={result}
            onChange={setResult}
          />
          <TextField label={t("filters.from")} name="from" type="date" value={from} onChange={setFrom} autoComplete="off" />
          <TextField label={t("filters.to")} name="to" type="date" value={to} onChange={setTo} autoComplete="off" />
          <TextField label={t("filters.order")} name="order" value={order} onChange={setOrder} autoComplete="off" placeholder={t("filters.orderPlaceholder")} />
        </ListFilters>
        <ListTable
          empty={{ heading: t("empty.heading"), body: t("empty.body") }}
          resourceName={{ singular: t("table.entry"), plural: t("table.entries") }}
          itemCount={entries.length}
          headings={[
            { title: t("table.when") },
            { title: t("table.who") },
            { title: t("table.what") },
            { title: t("table.outcome") },
            { title: t("table.order") },
          ]}
        >
          {entries.map((e, position) => (
            <IndexTable.Row id={e.id} key={e.id} position={position}>
              <IndexTable.Cell>{dateTime(e.at)}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span">{e.actor}</Text>{" "}
                <Text as="span" tone="subdued">
                  ({SOURCES.has(e.source) ? t(`sources.${e.source}`) : e.source})
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                {e.paymentId ? (
                  <Link to={`/app/payments/${e.paymentId}`}>{e.action}</Link>
                ) : e.disputeId ? (
                  <Link to={`/app/disputes/${e.disputeId}`}>{e.action}</Link>
                ) : (
                  e.action
                )}
              </IndexTable.Cell>
              <IndexTable.Cell>
                {e.result === "ok" ? (
                  <Badge tone="success">{t("outcome.done")}</Badge>
                ) : (
                  // The error is the entry's recorded text (English).
                  <Badge tone="critical">{e.error ? t("outcome.failedWith", { error: e.error.slice(0, 80) }) : t("outcome.failed")}</Badge>
                )}
              </IndexTable.Cell>
              <IndexTable.Cell>{orderNumber(e.orderGid) ?? "–"}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </ListTable>
        <PageLinks page={filters.page} hasNext={hasNext} />
      </Layout>
    </Page>
  );
}
