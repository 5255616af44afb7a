import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, IndexTable, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { ListFilters, ListTable, PageLinks } from "../ui/list-page";
import { formatMoney } from "../lib/money";
import { listPayments, paymentFiltersSchema } from "../payments/payments.server";
import { STATUS_TONE } from "../payments/status";
import { requireStaff } from "../shopify/staff.server";
import { useFormat } from "../ui/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const filters = paymentFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { ...(await listPayments(staff.shopId, filters)), filters };
};

const DECLINE_LABEL: Record<string, string> = { soft: "Soft decline", hard: "Hard decline", risk: "Risk decline" };

export default function Payments() {
  const { dateTime } = useFormat();
  const { payments, hasNext, filters } = useLoaderData<typeof loader>();
  const [q, setQ] = useState(filters.q ?? "");

  return (
    <Page title="Payments" subtitle="Checkout.com payments, kept current from their webhook events">
      <Layout>
        <ListFilters submitLabel="Search">
          <TextField label="Search" name="q" value={q} onChange={setQ} autoComplete="off" placeholder="pay_… id, order reference or customer email" />
        </ListFilters>
        <ListTable
          empty={{
            heading: filters.q ? "No payment matches" : "No payments yet",
            body: "Payments appear when Checkout.com sends their first event to your webhook.",
          }}
          resourceName={{ singular: "payment", plural: "payments" }}
          itemCount={payments.length}
          headings={[
            { title: "Payment" },
            { title: "Reference" },
            { title: "Customer" },
            { title: "Amount", alignment: "end" },
            { title: "Status" },
            { title: "Risk" },
            { title: "Created" },
          ]}
        >
          {payments.map((p, position) => (
            <IndexTable.Row id={p.id} key={p.id} position={position}>
              <IndexTable.Cell>
                <Link to={`/app/payments/${p.id}`} data-primary-link>
                  <Text as="span" fontWeight="semibold">
                    {p.ckoPaymentId}
                  </Text>
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>{p.reference ?? "–"}</IndexTable.Cell>
              <IndexTable.Cell>{p.customerEmail ?? "–"}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {p.currency ? formatMoney(p.amount, p.currency) : "–"}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack gap="100">
                  <Badge tone={STATUS_TONE[p.status]}>{p.status}</Badge>
                  {p.declineClass && <Badge tone="critical">{DECLINE_LABEL[p.declineClass] ?? p.declineClass}</Badge>}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack gap="100">
                  <Text as="span">{p.riskScore ?? "–"}</Text>
                  {p.riskFlagged && <Badge tone="warning">Flagged</Badge>}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>{dateTime(p.createdAt)}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </ListTable>
        <PageLinks page={filters.page} hasNext={hasNext} />
      </Layout>
    </Page>
  );
}
