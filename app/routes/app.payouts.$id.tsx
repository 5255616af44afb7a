// One payout: its figures, and its lines a page at a time, each with the Shopify order it ties to and a
// badge when it needs a look (another shop's, no order, an amount that differs from its payment's);
// filtered to those, and downloaded as CSV. Another shop's payout is not found.
import type { LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, DataTable, IndexTable, Layout, Link as PolarisLink, Page, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { planRefusal } from "../billing/billing.server";
import { domainErrorMessage, domainErrorReply } from "../lib/errors.server";
import { LINE_SHOWS, payoutDetail } from "../reconciliation/payout-views.server";
import { ReconciliationPlanGate } from "../reconciliation/ui/plan-gate";
import { FLAG_TONES, FlagCounts, useActionTypeWords } from "../reconciliation/ui/payouts";
import { orderAdminUrl, orderLegacyId } from "../shopify/admin-urls";
import { requireStaff } from "../shopify/staff.server";
import { DownloadButton } from "../ui/download-button";
import { useFormat } from "../ui/format";
import { CursorLinks, ListFilters, ListTable } from "../ui/list-page";
import { TitledCard } from "../ui/titled-card";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const refusal = await planRefusal(staff.shopId, "reconciliation");
  if (refusal) return { planRefused: domainErrorMessage(refusal, staff.locale) };
  const detail = await payoutDetail(staff.shopId, params.id ?? "", Object.fromEntries(new URL(request.url).searchParams)).catch((error: unknown) => {
    throw domainErrorReply(error, staff.locale);
  });
  return { planRefused: null, ...detail, shows: LINE_SHOWS };
};

export default function PayoutPage() {
  const { t } = useTranslation("payouts");
  const data = useLoaderData<typeof loader>();
  return data.planRefused === null ? <Payout data={data} /> : <ReconciliationPlanGate title={t("page.title")} refusal={data.planRefused} />;
}

function Payout({ data }: { data: Extract<SerializeFrom<typeof loader>, { planRefused: null }> }) {
  const { t } = useTranslation("payouts");
  const { money, day, dateTime } = useFormat();
  const actionTypeWords = useActionTypeWords();
  const { payout, counts, lines, filters, shows, previous, next } = data;
  const [show, setShow] = useState<string>(filters.show);
  const amount = (minor: number) => money(minor, payout.currency);
  const problems = counts.other_shop + counts.no_order + counts.amount_differs;

  return (
    <Page
      title={t("detail.title", { id: payout.payoutId })}
      subtitle={t("detail.subtitle", { date: day(payout.payoutDate), currency: payout.currency })}
      backAction={{ content: t("page.title"), url: "/app/payouts" }}
      primaryAction={
        <DownloadButton
          url={`/app/payouts/${payout.id}/csv`}
          filename={`payout-${payout.payoutId}.csv`}
          label={t("detail.download")}
          disabled={counts.lines === 0}
        />
      }
    >
      <Layout>
        <Layout.Section>
          <TitledCard title={t("detail.figures")}>
            <DataTable
              columnContentTypes={["text", "numeric"]}
              headings={[t("detail.figure"), payout.currency]}
              rows={[
                ...(["gross", "refunds", "chargebacks", "processingFees", "schemeFees", "otherFees"] as const).map((figure) => [
                  t(`figures.${figure}`),
                  amount(payout[figure]),
                ]),
                [
                  <Text as="span" fontWeight="semibold" key="label">
                    {t("figures.net")}
                  </Text>,
                  <Text as="span" fontWeight="semibold" key="amount">
                    {amount(payout.net)}
                  </Text>,
                ],
              ]}
            />
            <Text as="p">{t("detail.tied", { tied: counts.tied, count: counts.lines })}</Text>
            <FlagCounts counts={counts} />
            <Text as="p" tone="subdued">
              {t("detail.imported", { date: dateTime(payout.importedAt), report: payout.reportId })}
            </Text>
          </TitledCard>
        </Layout.Section>
        <ListFilters>
          <Select
            label={t("filters.show")}
            name="show"
            options={shows.map((value) => ({ value, label: t(`filters.shows.${value}`) }))}
            value={show}
            onChange={setShow}
          />
        </ListFilters>
        <ListTable
          empty={
            filters.show === "problems" && problems === 0
              ? { heading: t("lines.allTie.heading"), body: t("lines.allTie.body") }
              : { heading: t("lines.empty.heading"), body: t("lines.empty.body") }
          }
          resourceName={{ singular: t("lines.line"), plural: t("lines.lines") }}
          itemCount={lines.length}
          headings={[
            { title: t("lines.processedOn") },
            { title: t("lines.action") },
            { title: t("lines.payment") },
            { title: t("lines.order") },
            { title: t("lines.reference") },
            { title: t("lines.amount"), alignment: "end" },
            { title: t("lines.fees"), alignment: "end" },
            { title: t("figures.net"), alignment: "end" },
            { title: t("lines.needsLook") },
          ]}
        >
          {lines.map((line, position) => (
            <IndexTable.Row id={line.id} key={line.id} position={position}>
              <IndexTable.Cell>{dateTime(line.processedOn)}</IndexTable.Cell>
              <IndexTable.Cell>{actionTypeWords(line.actionType)}</IndexTable.Cell>
              <IndexTable.Cell>
                {line.paymentId ? <Link to={`/app/payments/${line.paymentId}`}>{line.ckoPaymentId}</Link> : (line.ckoPaymentId ?? "–")}
              </IndexTable.Cell>
              <IndexTable.Cell>
                {line.orderGid ? (
                  <PolarisLink url={orderAdminUrl(line.orderGid)} target="_top">
                    {line.orderName ?? orderLegacyId(line.orderGid)}
                  </PolarisLink>
                ) : (
                  "–"
                )}
              </IndexTable.Cell>
              <IndexTable.Cell>{line.reference ?? "–"}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {money(line.amount, line.currency)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {money(line.processingFees + line.schemeFees + line.otherFees, line.currency)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric fontWeight="semibold">
                  {money(line.net, line.currency)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{line.flag && <Badge tone={FLAG_TONES[line.flag]}>{t(`flags.${line.flag}`)}</Badge>}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </ListTable>
        <CursorLinks previous={previous} next={next} />
      </Layout>
    </Page>
  );
}
