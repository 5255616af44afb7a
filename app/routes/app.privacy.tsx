// Privacy: what the app does with Shopify's privacy webhooks, and the customer data reports made for
// customers/data_request, each downloadable as JSON for 30 days. Customers' personal data: admins only.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { Banner, IndexTable, Layout, List, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
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
  return (
    <DownloadButton
      url={`/app/privacy/${report.id}`}
      filename={`customer-data-${report.customerId ?? report.id}.json`}
      label="Download JSON"
      disabled={!report.readable}
      accessibilityLabel={`Download the report for ${report.email ?? `customer ${report.customerId ?? ""}`}`}
      failure={(status) => (status === 404 ? "This report has expired." : `The report could not be downloaded (${status}).`)}
    />
  );
}

export default function Privacy() {
  const { dateTime } = useFormat();
  const { reports, days } = useLoaderData<typeof loader>();
  return (
    <Page title="Privacy" subtitle="Customer data requests and redaction">
      <Layout>
        <ListTable
          empty={{
            heading: "No customer data reports",
            body: `When a customer asks you for their data, Shopify tells the app and a report of everything the app holds about them appears here for ${days} days.`,
          }}
          resourceName={{ singular: "report", plural: "reports" }}
          itemCount={reports.length}
          headings={[
            { title: "Customer" },
            { title: "Shopify customer id" },
            { title: "Payments", alignment: "end" },
            { title: "Requested" },
            { title: "Available until" },
            { title: "" },
          ]}
        >
          {reports.map((r, position) => (
            <IndexTable.Row id={r.id} key={r.id} position={position}>
              <IndexTable.Cell>
                <Text as="span" fontWeight="semibold">
                  {r.readable ? (r.email ?? "No email given") : "Unreadable (encryption key changed)"}
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
          <TitledCard title="How the app answers Shopify’s privacy webhooks">
            <List>
              <List.Item>
                <strong>Data request</strong>: a report of the customer’s Checkout.com payments, their timeline and raw webhooks, risk holds, disputes and
                evidence (texts, and the files’ names, sizes and checksums), refunds, list entries and audit entries. Send it to the customer; it is deleted
                after {days} days.
              </List.Item>
              <List.Item>
                <strong>Customer redaction</strong>: the customer’s email, name, addresses, phone, IP address and card details are removed from every record,
                deny and allow list entries for their email, Checkout.com customer and cards are deleted, dispute evidence is cleared and their reports are
                deleted. Amounts, statuses and ids stay.
              </List.Item>
              <List.Item>
                <strong>Shop redaction</strong>: 48 hours after the app is uninstalled, everything it holds for the shop is deleted.
              </List.Item>
            </List>
          </TitledCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// A staff member without the admin role is refused by the loader (403): say so in the page. Anything
// else (Shopify's auth responses included) goes to Shopify's boundary.
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 403) {
    const message = (error.data as { message?: string } | null)?.message ?? "Your role in this app does not allow this.";
    return (
      <Page title="Privacy">
        <Banner tone="warning" title="Only admins can see customer data reports">
          <p>{message}</p>
        </Banner>
      </Page>
    );
  }
  return boundary.error(error);
}
