// The shop-wide audit log: who did what, when, and how it ended, across holds, money, disputes, rules
// and settings; filtered by who, what, outcome, dates (UTC) and order, and exported as CSV.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, IndexTable, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
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

const EVERY_ACTION = { label: "Every action", value: "" };
const OUTCOMES = [
  { label: "Any", value: "" },
  { label: "Done", value: "ok" },
  { label: "Failed or refused", value: "error" },
];

const orderNumber = (gid: string | null) => gid?.split("/").pop() ?? null;

export default function AuditLog() {
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
      title="Audit log"
      subtitle="Everything people and the app did in this shop: holds, refunds, disputes, rules and settings"
      primaryAction={
        <DownloadButton url={`/app/audit/csv?${exportParams}`} filename={`audit-log-${new Date().toISOString().slice(0, 10)}.csv`} label="Export CSV" />
      }
    >
      <Layout>
        <ListFilters>
          <TextField label="Who" name="who" value={who} onChange={setWho} autoComplete="off" placeholder="Name, email or system" />
          <Select label="What" name="what" options={[EVERY_ACTION, ...actions.map((a) => ({ label: a, value: a }))]} value={what} onChange={setWhat} />
          <Select label="Outcome" name="result" options={OUTCOMES} value={result} onChange={setResult} />
          <TextField label="From (UTC)" name="from" type="date" value={from} onChange={setFrom} autoComplete="off" />
          <TextField label="To (UTC)" name="to" type="date" value={to} onChange={setTo} autoComplete="off" />
          <TextField label="Order" name="order" value={order} onChange={setOrder} autoComplete="off" placeholder="#1001 or its id" />
        </ListFilters>
        <ListTable
          empty={{
            heading: "Nothing here",
            body: "Every action on holds, money, disputes, rules and settings appears here, with who did it and how it ended.",
          }}
          resourceName={{ singular: "entry", plural: "entries" }}
          itemCount={entries.length}
          headings={[{ title: "When" }, { title: "Who" }, { title: "What" }, { title: "Outcome" }, { title: "Order" }]}
        >
          {entries.map((e, position) => (
            <IndexTable.Row id={e.id} key={e.id} position={position}>
              <IndexTable.Cell>{dateTime(e.at)}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span">{e.actor}</Text>{" "}
                <Text as="span" tone="subdued">
                  ({e.source})
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
                  <Badge tone="success">Done</Badge>
                ) : (
                  <Badge tone="critical">{e.error ? `Failed: ${e.error.slice(0, 80)}` : "Failed"}</Badge>
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
