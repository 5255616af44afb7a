// The Plan page's pieces: the shop's plan and this month's holds against its limit, and the plans
// side by side with what each includes and, for admins, the button that changes to it.
import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, List, ProgressBar, Text } from "@shopify/polaris";
import { formatDate } from "../../lib/dates";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import { ALL_FEATURES, FEATURE_LABELS, OFFERED_PLANS, PLANS, planAllows, type Plan, type PlanId } from "../plans";

export interface PlanView {
  plan: PlanId;
  test: boolean;
  currentPeriodEnd: string | null;
  holds: { used: number; limit: number | null; since: string };
}

const holdsText = (plan: Plan) =>
  plan.monthlyHolds === null ? `${FEATURE_LABELS.holds}, no monthly limit` : `${FEATURE_LABELS.holds}: up to ${plan.monthlyHolds} orders a month`;

const priceText = (plan: Plan) => (plan.price === 0 ? "Free" : `$${plan.price} every 30 days`);

export function CurrentPlanCard({ view, testCharges }: { view: PlanView; testCharges: boolean }) {
  const { date } = useFormat();
  const plan = PLANS[view.plan];
  const { used, limit, since } = view.holds;
  return (
    <TitledCard title="This shop's plan">
      <InlineStack gap="200" blockAlign="center">
        <Text as="p" variant="headingLg">
          {plan.name}
        </Text>
        {view.test && <Badge tone="attention">Test charge</Badge>}
      </InlineStack>
      <Text as="p" tone="subdued">
        {plan.id === "development"
          ? "The development plan includes everything at no charge."
          : `${priceText(plan)}${view.currentPeriodEnd ? `, renews ${date(view.currentPeriodEnd)}` : ""}.`}
      </Text>
      <BlockStack gap="100">
        <Text as="p">
          {/* The plan's month is a UTC calendar month: its first day in UTC, not in the shop's zone. */}
          Orders held since {formatDate(since)} (UTC): {limit === null ? `${used} (no limit)` : `${used} of ${limit}`}
        </Text>
        {limit !== null && <ProgressBar progress={Math.min(100, (used / limit) * 100)} tone={used >= limit ? "critical" : "primary"} size="small" />}
        {limit !== null && used >= limit && (
          <Text as="p" tone="critical">
            The limit is reached: new risky payments are listed as orders the app would have held, without holding them, until the month ends or the plan
            changes.
          </Text>
        )}
      </BlockStack>
      {testCharges && (
        <Text as="p" tone="subdued">
          Charges are test charges here: they are approved as usual but move no money.
        </Text>
      )}
    </TitledCard>
  );
}

function PlanAction({ plan, current }: { plan: Plan; current: Plan }) {
  if (plan.id === current.id) return <Button disabled>Current plan</Button>;
  if (plan.price === 0) {
    return (
      <Form method="post">
        <input type="hidden" name="intent" value="cancel" />
        <Button submit>Downgrade to Free</Button>
      </Form>
    );
  }
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="choose" />
      <input type="hidden" name="plan" value={plan.id} />
      <Button submit variant="primary">{`Choose ${plan.name}`}</Button>
    </Form>
  );
}

/** The offered plans; `canChange` (admins, not on the development plan) shows the buttons. */
export function PlanCards({ current, canChange }: { current: PlanId; canChange: boolean }) {
  return (
    <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
      {OFFERED_PLANS.map((plan) => (
        <Card key={plan.id}>
          <BlockStack gap="300">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {plan.name}
              </Text>
              {plan.id === current && <Badge tone="success">Current</Badge>}
            </InlineStack>
            <Text as="p" variant="headingLg">
              {priceText(plan)}
            </Text>
            <List>
              {ALL_FEATURES.filter((feature) => planAllows(plan, feature)).map((feature) => (
                <List.Item key={feature}>{feature === "holds" ? holdsText(plan) : FEATURE_LABELS[feature]}</List.Item>
              ))}
            </List>
            {canChange && <PlanAction plan={plan} current={PLANS[current]} />}
          </BlockStack>
        </Card>
      ))}
    </InlineGrid>
  );
}
