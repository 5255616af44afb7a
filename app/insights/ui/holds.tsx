// Insights → Risk holds: holds per day beside the orders monitor-only rules would have held, each rule's
// release rate (its false positives) and cancel rate, the time to a decision, and the value protected
// (canceled holds' amounts, per currency and converted).
import { Badge, BlockStack, DataTable, InlineGrid, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { ChartWithTable } from "../../ui/chart";
import type { InsightsView } from "../model";
import { perDay, periodDays, sum } from "./days";
import { useInsightsFormat } from "./format";
import { ChartPanel, COLORS, ConvertedNote, Headline, PerCurrency, SectionCard, useShareHeadline } from "./parts";

/** A rule by the name the review queue gives it, else as recorded. */
function useRuleName() {
  const { t, i18n } = useTranslation("holds");
  return (rule: string) => (i18n.exists(`holds:rule.${rule}`) ? t(`rule.${rule}`) : rule);
}

/** Each rule's release and cancel rates, and a table of its counts, time to decision and value protected. */
function ByRule({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const ruleName = useRuleName();
  const rules = view.holds.byRule;
  if (rules.length === 0) return null;
  const name = (rule: (typeof rules)[number]) => (rule.monitorOnly ? t("holds.byRule.monitorOnlyName", { rule: ruleName(rule.rule) }) : ruleName(rule.rule));
  return (
    <ChartPanel title={t("holds.byRule.title")} help={t("holds.byRule.help")}>
      {rules.some((rule) => rule.releaseRate !== null) && (
        <ChartWithTable
          kind="bar"
          max={1}
          keys={rules.map(name)}
          series={[
            { name: t("holds.byRule.releaseRate"), color: COLORS.first, values: rules.map((rule) => rule.releaseRate) },
            { name: t("holds.byRule.cancelRate"), color: COLORS.third, values: rules.map((rule) => rule.cancelRate) },
          ]}
          keyText={(key) => key}
          valueText={f.percent}
          skipLinkText={t("chart.skip")}
          caption={t("holds.byRule.caption")}
          keyHeading={t("holds.byRule.rule")}
        />
      )}
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "text"]}
        headings={[
          t("holds.byRule.rule"),
          t("holds.byRule.holds"),
          t("holds.byRule.released"),
          t("holds.byRule.canceled"),
          t("holds.byRule.decisionHours"),
          t("holds.byRule.protected"),
        ]}
        rows={rules.map((rule) => [
          <BlockStack key={rule.rule} gap="050" inlineAlign="start">
            <Text as="span">{ruleName(rule.rule)}</Text>
            {rule.monitorOnly && <Badge tone="info">{t("holds.byRule.monitorOnly")}</Badge>}
          </BlockStack>,
          f.count(rule.holds),
          f.count(rule.released),
          f.count(rule.canceled),
          f.decimal(rule.decisionHours),
          <PerCurrency key="protected" amounts={rule.protectedAmounts} />,
        ])}
      />
    </ChartPanel>
  );
}

export function HoldsSection({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const share = useShareHeadline();
  const { holds } = view;
  const { current, previous } = holds.totals;
  const days = periodDays(view);
  const held = (of: InsightsView["holds"]["days"]) => sum(of, (row) => row.holds);
  const hours = (value: number | null) => (value === null ? f.decimal(null) : t("units.hours", { count: value, value: f.decimal(value) }));
  return (
    <SectionCard title={t("holds.title")} table="holds" query={view.query}>
      <InlineGrid columns={{ xs: 1, sm: 2, lg: 4 }} gap="400">
        <Headline
          label={t("holds.headlines.holds")}
          value={f.count(current.holds)}
          previous={f.count(previous.holds)}
          change={f.relativeChange(current.holds, previous.holds)}
        >
          {current.monitored > 0 && (
            <Text as="p" variant="bodySm" tone="subdued">
              {t("holds.monitored", { count: current.monitored, value: f.count(current.monitored) })}
            </Text>
          )}
        </Headline>
        <Headline label={t("holds.headlines.releaseRate")} better="down" {...share(current.releaseRate, previous.releaseRate)}>
          <Text as="p" variant="bodySm" tone="subdued">
            {t("holds.decided", { released: f.count(current.released), canceled: f.count(current.canceled) })}
          </Text>
        </Headline>
        <Headline
          label={t("holds.headlines.decisionHours")}
          value={hours(current.decisionHours)}
          previous={hours(previous.decisionHours)}
          change={f.relativeChange(current.decisionHours, previous.decisionHours)}
          direction={current.decisionHours !== null && previous.decisionHours !== null ? current.decisionHours - previous.decisionHours : null}
          better="down"
        />
        <Headline
          label={t("holds.headlines.protected")}
          value={holds.protectedConverted ? f.money(holds.protectedConverted.amount, holds.protectedConverted.currency) : f.decimal(null)}
        >
          {holds.protectedAmounts.length > 0 && (
            <Text as="p" variant="bodySm" tone="subdued">
              <PerCurrency amounts={holds.protectedAmounts} />
            </Text>
          )}
          {holds.protectedConverted && (
            <ConvertedNote converted={holds.protectedConverted} rates={view.rates} currencies={holds.protectedAmounts.map((m) => m.currency)} />
          )}
        </Headline>
      </InlineGrid>
      <BlockStack gap="500">
        <ChartPanel title={t("holds.perDay.title")}>
          <ChartWithTable
            kind="line"
            keys={days}
            series={[
              { name: t("holds.perDay.holds"), color: COLORS.first, values: perDay(holds.days, days, held, 0) },
              { name: t("holds.perDay.monitored"), color: COLORS.third, values: perDay(holds.days, days, (of) => sum(of, (row) => row.monitored), 0) },
            ]}
            keyText={f.day}
            valueText={f.count}
            integers
            skipLinkText={t("chart.skip")}
            caption={t("holds.perDay.caption")}
            keyHeading={t("chart.day")}
          />
        </ChartPanel>
        <ByRule view={view} />
      </BlockStack>
    </SectionCard>
  );
}
