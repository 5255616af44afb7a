// The Plan page's pieces: the shop's plan and this month's holds against its limit, and the plans
// side by side with what each includes and, for admins, the button that changes to it.
import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, List, ProgressBar, Text } from "@shopify/polaris";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { formatDate } from "../../lib/dates";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import { ALL_FEATURES, OFFERED_PLANS, PLAN_CURRENCY, PLANS, planAllows, type Plan, type PlanId } from "../plans";

export interface PlanView {
  plan: PlanId;
  test: boolean;
  currentPeriodEnd: string | null;
  holds: { used: number; limit: number | null; since: string };
}

const holdsText = (t: TFunction, plan: Plan) =>
  plan.monthlyHolds === null ? t("features.holdsNoLimit") : t("features.holdsUpTo", { count: plan.monthlyHolds });

// Plan prices are whole dollars: "$29", "29 $", "29 $US" as the staff member's language writes them.
const priceFormats = new Map<string, Intl.NumberFormat>();
function usd(locale: string, dollars: number) {
  let format = priceFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency: PLAN_CURRENCY, minimumFractionDigits: 0, maximumFractionDigits: 0 });
    priceFormats.set(locale, format);
  }
  return format.format(dollars);
}

function usePriceText() {
  const { t } = useTranslation("plan");
  const { locale } = useFormat();
  return (plan: Plan) => (plan.price === 0 ? t("price.free") : t("price.every30Days", { price: usd(locale, plan.price) }));
}

export function CurrentPlanCard({ view, testCharges }: { view: PlanView; testCharges: boolean }) {
  const { t } = useTranslation("plan");
  const { date, locale } = useFormat();
  const priceText = usePriceText();
  const plan = PLANS[view.plan];
  const { used, limit, since } = view.holds;
  // The plan's month is a UTC calendar month: its first day in UTC, not in the shop's zone.
  const sinceText = formatDate(since, null, locale);
  return (
    <TitledCard title={t("current.title")}>
      <InlineStack gap="200" blockAlign="center">
        <Text as="p" variant="headingLg">
          {t(`names.${plan.id}`)}
        </Text>
        {view.test && <Badge tone="attention">{t("current.testCharge")}</Badge>}
      </InlineStack>
      <Text as="p" tone="subdued">
        {plan.id === "development"
          ? t("current.development")
          : view.currentPeriodEnd
            ? t("current.priceRenews", { price: priceText(plan), date: date(view.currentPeriodEnd) })
            : t("current.price", { price: priceText(plan) })}
      </Text>
      <BlockStack gap="100">
        <Text as="p">{limit === null ? t("usage.unlimited", { since: sinceText, used }) : t("usage.limited", { since: sinceText, used, limit })}</Text>
        {limit !== null && <ProgressBar progress={Math.min(100, (used / limit) * 100)} tone={used >= limit ? "critical" : "primary"} size="small" />}
        {limit !== null && used >= limit && (
          <Text as="p" tone="critical">
            {t("usage.reached")}
          </Text>
        )}
      </BlockStack>
      {testCharges && (
        <Text as="p" tone="subdued">
          {t("current.testCharges")}
        </Text>
      )}
    </TitledCard>
  );
}

function PlanAction({ plan, current }: { plan: Plan; current: Plan }) {
  const { t } = useTranslation("plan");
  if (plan.id === current.id) return <Button disabled>{t("actions.current")}</Button>;
  if (plan.price === 0) {
    return (
      <Form method="post">
        <input type="hidden" name="intent" value="cancel" />
        <Button submit>{t("actions.downgrade")}</Button>
      </Form>
    );
  }
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="choose" />
      <input type="hidden" name="plan" value={plan.id} />
      <Button submit variant="primary">
        {t("actions.choose", { plan: t(`names.${plan.id}`) })}
      </Button>
    </Form>
  );
}

/** The offered plans; `canChange` (admins, not on the development plan) shows the buttons. */
export function PlanCards({ current, canChange }: { current: PlanId; canChange: boolean }) {
  const { t } = useTranslation("plan");
  const priceText = usePriceText();
  return (
    <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
      {OFFERED_PLANS.map((plan) => (
        <Card key={plan.id}>
          <BlockStack gap="300">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {t(`names.${plan.id}`)}
              </Text>
              {plan.id === current && <Badge tone="success">{t("cards.currentBadge")}</Badge>}
            </InlineStack>
            <Text as="p" variant="headingLg">
              {priceText(plan)}
            </Text>
            <List>
              {ALL_FEATURES.filter((feature) => planAllows(plan, feature)).map((feature) => (
                <List.Item key={feature}>{feature === "holds" ? holdsText(t, plan) : t(`features.${feature}`)}</List.Item>
              ))}
            </List>
            {canChange && <PlanAction plan={plan} current={PLANS[current]} />}
          </BlockStack>
        </Card>
      ))}
    </InlineGrid>
  );
}
