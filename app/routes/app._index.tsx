import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { getConnection, summarize } from "../checkout/connection.server";
import { disputesDueSoon, evidenceDueWithinLeadTime } from "../disputes/queries.server";
import { DueSoonCard } from "../disputes/ui/due-soon";
import { EvidenceDueBanner } from "../disputes/ui/evidence-due-banner";
import { shopFigures } from "../shops/figures.server";
import { onboardingSteps } from "../shops/onboarding.server";
import { SetupChecklist } from "../shops/ui/setup-checklist";
import { requireStaff } from "../shopify/staff.server";
import { countUnmatchedRisky } from "../holds/unmatched.server";
import { UnmatchedBanner } from "../holds/ui/unmatched-banner";
import { TitledCard } from "../ui/titled-card";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const [connection, figures, dueSoon, unmatched, evidenceDue, setup] = await Promise.all([
    getConnection(staff.shopId),
    shopFigures(staff.shopId),
    disputesDueSoon(staff.shopId),
    countUnmatchedRisky(staff.shopId),
    evidenceDueWithinLeadTime(staff.shopId),
    onboardingSteps(staff.shopId),
  ]);
  return {
    shop: staff.shop,
    connection: connection ? summarize(connection) : null,
    figures,
    dueSoon,
    unmatched,
    evidenceDue,
    setup,
    now: new Date().toISOString(),
  };
};

function Figure({ label, value, tone }: { label: string; value: number; tone?: "critical" | "caution" }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl" tone={value > 0 && tone ? tone : undefined}>
          {value.toLocaleString("en-US")}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { connection, figures, dueSoon, unmatched, evidenceDue, setup, now } = useLoaderData<typeof loader>();
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
            <Banner tone="warning" title="Connect your Checkout.com account" action={{ content: "Open settings", url: "/app/settings" }}>
              <p>Add your secret key and webhook signature key to start receiving payment events.</p>
            </Banner>
          ) : (
            <TitledCard title="Connection">
              <Text as="p">
                {connection.accountType} · {connection.environment} · key ending {connection.secretKeyLast4}{" "}
                {connection.lastTestOk === null ? (
                  <Badge>Not tested</Badge>
                ) : connection.lastTestOk ? (
                  <Badge tone="success">Working</Badge>
                ) : (
                  <Badge tone="critical">Failing</Badge>
                )}
              </Text>
              {connection.lastTestMessage && (
                <Text as="p" tone="subdued">
                  {connection.lastTestMessage}
                </Text>
              )}
            </TitledCard>
          )}
        </Layout.Section>
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
          <InlineGrid columns={{ xs: 2, md: 3 }} gap="400">
            <Figure label="Payments (30 days)" value={figures.payments} />
            <Figure label="Orders on hold" value={figures.held} tone="caution" />
            <Figure label="Open disputes" value={figures.openDisputes} tone="caution" />
            <Figure label="Evidence due within 7 days" value={figures.disputesDueSoon} tone="critical" />
            <Figure label="Events waiting" value={figures.pendingEvents} />
            <Figure label="Dead-lettered events" value={figures.deadEvents} tone="critical" />
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
