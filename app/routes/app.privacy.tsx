// Privacy: what the app does with Shopify's privacy webhooks, and the customer data reports made for
// customers/data_request, each downloadable as JSON for 30 days. Customers' personal data: admins only.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { Banner, IndexTable, Layout, List, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useTranslation } from "react-i18next";
import { listDataReports, REPORT_DAYS } from "../shops/data-reports.server";
import { requireStaff } from "../shopify/staff.server";
import { ListTable } from "../ui/list-page";
import { DownloadButton } from "../ui/download-button";
import { useFormat } from "../ui/format";
import { TitledCard } from "../ui/titled-card";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request, "admin");
  return { reports: await listDataReports(staff.shopId), days: REPORT_DAYS };
};

type Report = Awaited<ReturnType<typeof loader>>["reports"][number];

function ReportDownload({ report }: { report: Report }) {
  const { t } = useTranslation("privacy");
  return (
    <DownloadButton
      url={`/app/privacy/${report.id}`}
      filename={`customer-data-${report.customerId ?? report.id}.json`}
      label={t("download.label")}
      disabled={!report.readable}
      accessibilityLabel={report.email ? t("download.labelForEmail", { email: report.email }) : t("download.labelForCustomer", { id: report.customerId ?? "" })}
      failure={(status) => (status === 404 ? t("download.expired") : t("download.failed", { status }))}
    />
  );
}

export default function Privacy() {
  const { t } = useTranslation("privacy");
  const { dateTime } = useFormat();
  const { reports, days } = useLoaderData<typeof loader>();
  return (
    <Page title={t("page.title")} subtitle={t("page.subtitle")}>
      <Layout>
        <ListTable
          empty={{ heading: t("empty.heading"), body: t("empty.body", { count: days }) }}
          resourceName={{ singular: t("table.report"), plural: t("table.reports") }}
          itemCount={reports.length}
          headings={[
            { title: t("table.customer") },
            { title: t("table.customerId") },
            { title: t("table.payments"), alignment: "end" },
            { title: t("table.requested") },
            { title: t("table.availableUntil") },
            { title: "" },
          ]}
        >
          {reports.map((r, position) => (
            <IndexTable.Row id={r.id} key={r.id} position={position}>
              <IndexTable.Cell>
                <Text as="span" fontWeight="semibold">
                  {r.readable ? (r.email ?? t("table.noEmail")) : t("table.unreadable")}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{r.customerId ?? "—"}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {r.payments ?? "—"}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{dateTime(r.createdAt)}</IndexTable.Cell>
              <IndexTable.Cell>{dateTime(r.expiresAt)}</IndexTable.Cell>
              <IndexTable.Cell>
                <ReportDownload report={r} />
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </ListTable>
        <Layout.Section variant="oneThird">
          <TitledCard title={t("webhooks.title")}>
            <List>
              <List.Item>{t("webhooks.dataRequest", { name: <strong>{t("webhooks.dataRequestName")}</strong>, count: days })}</List.Item>
              <List.Item>{t("webhooks.customerRedact", { name: <strong>{t("webhooks.customerRedactName")}</strong> })}</List.Item>
              <List.Item>{t("webhooks.shopRedact", { name: <strong>{t("webhooks.shopRedactName")}</strong> })}</List.Item>
            </List>
          </TitledCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// A staff member without the admin role is refused by the loader (403): say so in the page, in their
// language (the refusal's own message is requireStaff's English one, and the role needed is always
// admin here). Anything else (Shopify's auth responses included) goes to Shopify's boundary.
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 403) return <AdminsOnly />;
  return boundary.error(error);
}

function AdminsOnly() {
  const { t } = useTranslation("privacy");
  return (
    <Page title={t("page.title")}>
      <Banner tone="warning" title={t("refused.title")}>
        <p>{t("refused.message")}</p>
      </Banner>
    </Page>
  );
}
