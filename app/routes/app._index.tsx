import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { backfillErrorWords, backfillProgress, retryCheckoutBackfill, type BackfillProgress } from "../checkout/backfill.server";
import { getConnection, summarizeIn } from "../checkout/connection.server";
import { BackfillProgressCard, RETRY_IMPORT } from "../checkout/ui/backfill-progress";
import { ConnectionTestBadge } from "../checkout/ui/connection-test-card";
import { sayAll, textOf } from "../i18n/domain-words";
import { translator } from "../i18n/i18n";
import type { Locale } from "../i18n/locales";
import { loadInsights, shopClock } from "../insights/queries.server";
import { InsightsHomeCard, insightsSummary } from "../insights/ui/home-card";
import { addDays } from "../lib/dates";
import { formObject, readForm } from "../lib/form";
import { roleAllows } from "../shopify/roles";
import { formReply } from "../ui/form-reply.server";
import { disputesDueSoon, evidenceDueWithinLeadTime } from "../disputes/queries.server";
import { DueSoonCard } from "../disputes/ui/due-soon";
import { EvidenceDueBanner } from "../disputes/ui/evidence-due-banner";
import { reconciliationSummary } from "../reconciliation/issues.server";
import { payoutSeries } from "../reconciliation/payout-views.server";
import { PayoutChartCard, payoutChartLinks } from "../reconciliation/ui/payout-chart";
import { ReconciliationCard } from "../reconciliation/ui/summary";
import { shopFigures } from "../shops/figures.server";
import { onboardingSteps } from "../shops/onboarding.server";
import { SetupChecklist } from "../shops/ui/setup-checklist";
import { requireStaff } from "../shopify/staff.server";
import { countUnmatchedRisky } from "../holds/unmatched.server";
import { UnmatchedBanner } from "../holds/ui/unmatched-banner";
import { useFormat } from "../ui/format";
import { TitledCard } from "../ui/titled-card";

export const links = payoutChartLinks;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const [connection, figures, dueSoon, unmatched, evidenceDue, setup, checkoutImport, reconciliation, payouts, insights] = await Promise.all([
    getConnection(staff.shopId),
    shopFigures(staff.shopId),
    disputesDueSoon(staff.shopId),
    countUnmatchedRisky(staff.shopId),
    evidenceDueWithinLeadTime(staff.shopId),
    onboardingSteps(staff.shopId),
    backfillProgress(staff.shopId),
    reconciliationSummary(staff.shopId),
    payoutSeries(staff.shopId),
    insightsOfLastMonth(staff.shopId),
  ]);
  return {
    shop: staff.shop,
    connection: connection ? summarizeIn(staff.locale, connection) : null,
    figures,
    dueSoon,
    unmatched,
    evidenceDue,
    setup,
    checkoutImport: checkoutImport && importIn(staff.locale, checkoutImport),
    reconciliation,
    payouts,
    insights,
    canRetryImport: roleAllows(staff.role, "admin"),
    now: new Date().toISOString(),
  };
};

/** The Insights card's few figures, of the last 30 days up to today in the shop's time zone. */
async function insightsOfLastMonth(shopId: string) {
  const { today } = await shopClock(shopId);
  return insightsSummary(await loadInsights(shopId, { from: addDays(today, -29), to: today, currency: null, country: null }));
}

/** The import's progress with its recorded error said in `locale`, where it is one of the import's known words. */
function importIn(locale: Locale, progress: BackfillProgress): BackfillProgress {
  const said = (error: string) => {
    const words = locale === "en" ? null : backfillErrorWords(error);
    return words ? sayAll(locale, words) : error;
  };
  if (progress.state === "failed") return { ...progress, error: said(progress.error) };
  if (progress.state === "running" && progress.lastError) return { ...progress, lastError: said(progress.lastError) };
  return progress;
}

/** Home's one form: retrying the import from Checkout.com that stopped. */
const homeFormSchema = z.object({ intent: z.literal(RETRY_IMPORT) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "admin");
  if (!homeFormSchema.safeParse(formObject(await readForm(request))).success)
    return formReply({ intent: null, ok: false, message: translator(staff.locale, "home")("replies.unknownForm") });
  const result = await retryCheckoutBackfill(staff.shopId, staff.actor);
  return formReply({ intent: RETRY_IMPORT, ok: result.ok, message: textOf(staff.locale, result) }, result.ok ? 200 : 409);
};

function Figure({ label, value, tone }: { label: string; value: number; tone?: "critical" | "caution" }) {
  const { locale } = useFormat();
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl" tone={value > 0 && tone ? tone : undefined}>
          {value.toLocaleString(locale)}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { connection, figures, dueSoon, unmatched, evidenceDue, setup, checkoutImport, canRetryImport, reconciliation, payouts, insights, now } =
    useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("home");
  return (
    <Page title="Checkout.com">
      <Layout>
        {setup.some((step) => !step.done) && (
          <Layout.Section>
            <SetupChecklist steps={setup} />
          </Layout.Section>
        )}
        <Layout.Section>
          {!connection ? (
            <Banner tone="warning" title={t("connect.title")} action={{ content: t("connect.action"), url: "/app/settings" }}>
              <p>{t("connect.body")}</p>
            </Banner>
          ) : (
            <TitledCard title={t("connection.title")}>
              <Text as="p">
                {t("connection.summary", {
                  accountType: connection.accountType,
                  environment: t(`connection.environments.${connection.environment}`),
                  last4: connection.secretKeyLast4,
                })}{" "}
                <ConnectionTestBadge lastTestOk={connection.lastTestOk} />
              </Text>
              {connection.lastTestMessage && (
                <Text as="p" tone="subdued">
                  {connection.lastTestMessage}
                </Text>
              )}
            </TitledCard>
          )}
        </Layout.Section>
        {checkoutImport && (
          <Layout.Section>
            <BackfillProgressCard
              progress={checkoutImport}
              canRetry={canRetryImport}
              reply={reply}
              busy={navigation.state !== "idle" && navigation.formData?.get("intent") === RETRY_IMPORT}
            />
          </Layout.Section>
        )}
        {unmatched > 0 && (
          <Layout.Section>
            <UnmatchedBanner count={unmatched} />
          </Layout.Section>
        )}
        {evidenceDue.count > 0 && evidenceDue.nearest && (
          <Layout.Section>
            <EvidenceDueBanner count={evidenceDue.count} nearest={evidenceDue.nearest} hours={evidenceDue.hours} />
          </Layout.Section>
        )}
        {dueSoon.length > 0 && (
          <Layout.Section>
            <DueSoonCard disputes={dueSoon} now={now} />
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <InsightsHomeCard summary={insights} />
            <ReconciliationCard summary={reconciliation} />
            <PayoutChartCard series={payouts} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 3 }} gap="400">
            <Figure label={t("figures.payments")} value={figures.payments} />
            <Figure label={t("figures.held")} value={figures.held} tone="caution" />
            <Figure label={t("figures.openDisputes")} value={figures.openDisputes} tone="caution" />
            <Figure label={t("figures.disputesDueSoon")} value={figures.disputesDueSoon} tone="critical" />
            <Figure label={t("figures.pendingEvents")} value={figures.pendingEvents} />
            <Figure label={t("figures.deadEvents")} value={figures.deadEvents} tone="critical" />
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
