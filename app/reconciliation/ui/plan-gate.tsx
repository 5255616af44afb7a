// What the Reconciliation and Payouts screens show instead of their content on a plan without payout
// reconciliation: why (the plan refusal, in the staff member's language), and the way to the Plan page.
import { Banner, Layout, Page } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

export function ReconciliationPlanGate({ title, refusal }: { title: string; refusal: string }) {
  const { t } = useTranslation("reconciliation");
  return (
    <Page title={title}>
      <Layout>
        <Layout.Section>
          <Banner tone="info" title={refusal} action={{ content: t("planGate.seePlans"), url: "/app/plan" }}>
            <p>{t("planGate.kept")}</p>
          </Banner>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
