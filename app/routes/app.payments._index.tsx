import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, IndexTable, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ListFilters, ListTable, PageLinks } from "../ui/list-page";
import { isDeclineClass } from "../payments/declines";
import { listPayments, paymentFiltersSchema } from "../payments/payments.server";
import { paymentStatusKey, STATUS_TONE } from "../payments/status";
import { requireStaff } from "../shopify/staff.server";
import { useFormat } from "../ui/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const filters = paymentFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { ...(await listPayments(staff.shopId, filters)), filters };
};

export default function Payments() {
  const { t } = useTranslation("payments");
  const { dateTime, money } = useFormat();
  const statusLabel = (status: string) => {
    const key = paymentStatusKey(status);
    return key ? t(`status.${key}`) : status;
  };
  const { payments, hasNext, filters } = useLoaderData<typeof loader>();
  const [q, setQ] = useState(filters.q ?? "");

  return (
    <Page title={t("list.title")} subtitle={t("list.subtitle")}>
      <Layout>
        <ListFilters submitLabel={t("list.search.submit")}>
          <TextField label={t("list.search.label")} name="q" value={q} onChange={setQ} autoComplete="off" placeholder={t("list.search.placeholder")} />
        </ListFilters>
        <ListTable
          empty={{
            heading: filters.q ? t("list.empty.noMatch") : t("list.empty.none"),
            body: t("list.empty.body"),
          }}
          resourceName={{ singular: t("list.resource.singular"), plural: t("list.resource.plural") }}
          itemCount={payments.length}
          headings={[
            { title: t("list.headings.payment") },
            { title: t("list.headings.reference") },
            { title: t("list.headings.customer") },
            { title: t("list.headings.amount"), alignment: "end" },
            { title: t("list.headings.status") },
            { title: t("list.headings.risk") },
            { title: t("list.headings.created") },
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
                  {p.currency ? money(p.amount, p.currency) : "–"}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack gap="100">
                  <Badge tone={STATUS_TONE[p.status]}>{statusLabel(p.status)}</Badge>
                  {p.declineClass && (
                    <Badge tone="critical">{isDeclineClass(p.declineClass) ? t(`list.declineClass.${p.declineClass}`) : p.declineClass}</Badge>
                  )}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack gap="100">
                  <Text as="span">{p.riskScore ?? "–"}</Text>
                  {p.riskFlagged && <Badge tone="warning">{t("list.flagged")}</Badge>}
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
