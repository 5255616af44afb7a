// Payouts: what Checkout.com paid out, newest first, each with its figures and how many of its lines tie
// to this shop's orders, filtered by currency and summed per currency (never across currencies); the
// import's state, and "Import now".
import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, DataTable, IndexTable, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { planRefusal } from "../billing/billing.server";
import { textOf } from "../i18n/domain-words";
import { translator } from "../i18n/i18n";
import { domainErrorMessage, domainErrorReply } from "../lib/errors.server";
import { formObject, readForm } from "../lib/form";
import { listPayouts, payoutImportStatus, type PayoutImportStatus } from "../reconciliation/payout-views.server";
import { requestPayoutImport } from "../reconciliation/payouts.server";
import { ReconciliationPlanGate } from "../reconciliation/ui/plan-gate";
import { FlagCounts } from "../reconciliation/ui/payouts";
import { roleAllows, type StaffRole } from "../shopify/roles";
import { requireStaff } from "../shopify/staff.server";
import { useFormat } from "../ui/format";
import { formReply } from "../ui/form-reply.server";
import { CursorLinks, ListFilters, ListTable } from "../ui/list-page";
import { TitledCard } from "../ui/titled-card";

// Asking Checkout.com for the reports again moves no money and changes no setting: as replaying an event.
const IMPORTER: StaffRole = "reviewer";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  // On a plan without reconciliation the screen says so instead; payouts imported before stay.
  const refusal = await planRefusal(staff.shopId, "reconciliation");
  if (refusal) return { planRefused: domainErrorMessage(refusal, staff.locale) };
  const [page, importStatus] = await Promise.all([
    listPayouts(staff.shopId, Object.fromEntries(new URL(request.url).searchParams)),
    payoutImportStatus(staff.shopId),
  ]);
  return { planRefused: null, ...page, importStatus, canImport: roleAllows(staff.role, IMPORTER) };
};

const formSchema = z.object({ intent: z.literal("import") });

export const action = async ({ request }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, IMPORTER);
  const parsed = formSchema.safeParse(formObject(await readForm(request)));
  if (!parsed.success) return formReply({ intent: null, ok: false, message: translator(staff.locale, "payouts")("replies.unknownForm") });
  try {
    const result = await requestPayoutImport(staff);
    const message = textOf(staff.locale, result);
    return result.ok ? formReply({ intent: "import", ok: true, message }) : formReply({ intent: "import", ok: false, message }, result.status);
  } catch (error) {
    return domainErrorReply(error, staff.locale);
  }
};

/** The import in words: when it last ran, or what failed and when it tries again. */
function ImportStatus({ status }: { status: PayoutImportStatus }) {
  const { t } = useTranslation("payouts");
  const { dateTime } = useFormat();
  if (status.lastError) {
    const retry = status.retryAt ? t("import.retries", { date: dateTime(status.retryAt) }) : t("import.retriesDaily");
    return (
      <Banner tone="warning" title={t("import.failedTitle")}>
        <p>{t("import.failed", { date: status.lastErrorAt ? dateTime(status.lastErrorAt) : "–", error: status.lastError })}</p>
        <p>{retry}</p>
      </Banner>
    );
  }
  return (
    <Text as="p" tone="subdued">
      {status.lastRunAt ? t("import.lastRun", { date: dateTime(status.lastRunAt) }) : t("import.never")}
    </Text>
  );
}

export default function PayoutsPage() {
  const { t } = useTranslation("payouts");
  const data = useLoaderData<typeof loader>();
  return data.planRefused === null ? <Payouts data={data} /> : <ReconciliationPlanGate title={t("page.title")} refusal={data.planRefused} />;
}

function Payouts({ data }: { data: Extract<SerializeFrom<typeof loader>, { planRefused: null }> }) {
  const { t } = useTranslation("payouts");
  const { money, day } = useFormat();
  const { payouts, filters, currencies, totalsByCurrency, previous, next, importStatus, canImport } = data;
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [currency, setCurrency] = useState<string>(filters.currency ?? "");
  const figure = (minor: number, code: string) => (
    <Text as="span" alignment="end" numeric>
      {money(minor, code)}
    </Text>
  );

  return (
    <Page title={t("page.title")} subtitle={t("page.subtitle")}>
      <Layout>
        <Layout.Section>
          <InlineStack align="space-between" blockAlign="center" gap="300">
            <ImportStatus status={importStatus} />
            {canImport && (
              <Button
                onClick={() => submit({ intent: "import" }, { method: "post" })}
                loading={navigation.state !== "idle" && navigation.formData?.get("intent") === "import"}
              >
                {t("import.now")}
              </Button>
            )}
          </InlineStack>
        </Layout.Section>
        {reply && (
          <Layout.Section>
            <Banner tone={reply.ok ? "success" : "critical"} title={reply.message} />
          </Layout.Section>
        )}
        <ListFilters>
          <Select
            label={t("filters.currency")}
            name="currency"
            options={[{ value: "", label: t("filters.everyCurrency") }, ...currencies.map((code) => ({ value: code, label: code }))]}
            value={currency}
            onChange={setCurrency}
          />
        </ListFilters>
        <ListTable
          empty={
            filters.currency ? { heading: t("empty.filteredHeading"), body: t("empty.filteredBody") } : { heading: t("empty.heading"), body: t("empty.body") }
          }
          resourceName={{ singular: t("table.payout"), plural: t("table.payouts") }}
          itemCount={payouts.length}
          headings={[
            { title: t("table.date") },
            { title: t("table.payoutId") },
            { title: t("table.currency") },
            { title: t("figures.gross"), alignment: "end" },
            { title: t("figures.processingFees"), alignment: "end" },
            { title: t("figures.schemeFees"), alignment: "end" },
            { title: t("figures.refunds"), alignment: "end" },
            { title: t("figures.chargebacks"), alignment: "end" },
            { title: t("figures.net"), alignment: "end" },
            { title: t("table.ties") },
          ]}
        >
          {payouts.map((payout, position) => (
            <IndexTable.Row id={payout.id} key={payout.id} position={position}>
              <IndexTable.Cell>{day(payout.payoutDate)}</IndexTable.Cell>
              <IndexTable.Cell>
                <Link to={`/app/payouts/${payout.id}`}>{payout.payoutId}</Link>
              </IndexTable.Cell>
              <IndexTable.Cell>{payout.currency}</IndexTable.Cell>
              <IndexTable.Cell>{figure(payout.gross, payout.currency)}</IndexTable.Cell>
              <IndexTable.Cell>{figure(payout.processingFees, payout.currency)}</IndexTable.Cell>
              <IndexTable.Cell>{figure(payout.schemeFees, payout.currency)}</IndexTable.Cell>
              <IndexTable.Cell>{figure(payout.refunds, payout.currency)}</IndexTable.Cell>
              <IndexTable.Cell>{figure(payout.chargebacks, payout.currency)}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric fontWeight="semibold">
                  {money(payout.net, payout.currency)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <BlockStack gap="100">
                  <Text as="span">{t("table.tied", { tied: payout.linesTied, count: payout.lineCount })}</Text>
                  <FlagCounts counts={{ no_order: payout.linesWithoutOrder, other_shop: payout.linesOtherShop }} />
                </BlockStack>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </ListTable>
        <CursorLinks previous={previous} next={next} />
        {totalsByCurrency.length > 0 && (
          <Layout.Section>
            <TitledCard title={t("totals.title")}>
              <Text as="p" tone="subdued">
                {t("totals.help")}
              </Text>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                headings={[
                  t("table.currency"),
                  t("totals.payouts"),
                  t("figures.gross"),
                  t("figures.processingFees"),
                  t("figures.schemeFees"),
                  t("figures.otherFees"),
                  t("figures.refunds"),
                  t("figures.chargebacks"),
                  t("figures.net"),
                ]}
                rows={totalsByCurrency.map((total) => [
                  total.currency,
                  total.payouts,
                  ...[total.gross, total.processingFees, total.schemeFees, total.otherFees, total.refunds, total.chargebacks, total.net].map((minor) =>
                    money(minor, total.currency),
                  ),
                ])}
              />
            </TitledCard>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
