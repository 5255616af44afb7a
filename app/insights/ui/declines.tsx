// Insights → Declines: the decline rate per day, declines broken down by class (soft, hard, risk),
// response code, card country, BIN and scheme, the response codes that lost the most value, and what
// share of declines a retry by the same customer recovered.
import { BlockStack, InlineGrid, InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ChartWithTable } from "../../ui/chart";
import type { BreakdownRow, InsightsView } from "../model";
import { perDay, periodDays } from "./days";
import { useInsightsFormat } from "./format";
import { ChartPanel, COLORS, ConvertedNote, Headline, PerCurrency, SectionCard, useShareHeadline } from "./parts";

const BREAKDOWNS = ["byClass", "byCode", "byCardCountry", "byBin", "byScheme"] as const;
type Breakdown = (typeof BREAKDOWNS)[number];

/** A breakdown shows its largest rows; the CSV has them all. */
const TOP = 10;

/** A horizontal bar per row: enough height for each bar and its label above it. */
const barsHeight = (rows: number) => 72 * rows + 8;

/** A breakdown row in words: a class by its name, a response code with its reason, "Unknown" for none. */
function useRowLabel() {
  const { t } = useTranslation("insights");
  return (breakdown: Breakdown, row: BreakdownRow) => {
    if (breakdown === "byClass") return t(`declines.classes.${row.key || "unknown"}`);
    if (!row.key) return t("declines.unknown");
    return breakdown === "byCode" && row.label !== row.key ? `${row.key} ${row.label}` : row.key;
  };
}

/** Declines by one of the breakdowns, picked. */
function Breakdowns({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const label = useRowLabel();
  const [breakdown, setBreakdown] = useState<Breakdown>("byClass");
  const rows = [...view.declines[breakdown]].sort((a, b) => b.count - a.count).slice(0, TOP);
  const name = t(`declines.breakdowns.${breakdown}`);
  return (
    <ChartPanel title={t("declines.breakdowns.title")}>
      <InlineStack>
        <Select
          label={t("declines.breakdowns.by")}
          labelInline
          options={BREAKDOWNS.map((b) => ({ value: b, label: t(`declines.breakdowns.${b}`) }))}
          value={breakdown}
          onChange={(value) => setBreakdown(value as Breakdown)}
        />
      </InlineStack>
      {rows.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("declines.none")}
        </Text>
      ) : (
        <ChartWithTable
          kind="horizontal"
          keys={rows.map((row) => label(breakdown, row))}
          series={[{ name: t("declines.count"), color: COLORS.second, values: rows.map((row) => row.count) }]}
          keyText={(key) => key}
          valueText={f.count}
          skipLinkText={t("chart.skip")}
          caption={t("declines.breakdowns.caption", { breakdown: name })}
          keyHeading={name}
          legend={false}
          height={barsHeight(rows.length)}
        />
      )}
    </ChartPanel>
  );
}

/** Response codes by the value they lost, in the shop's currency where rates allow, else by count. */
function TopLost({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const label = useRowLabel();
  if (view.declines.topLost.length === 0) return null;
  const currency = view.declines.topLost.every((row) => row.converted) ? view.declines.topLost[0].converted!.currency : null;
  const valueOf = (row: BreakdownRow) => (currency ? row.converted!.amount : row.count);
  // Largest first, by the figure drawn.
  const rows = [...view.declines.topLost].sort((a, b) => valueOf(b) - valueOf(a));
  const missing = [...new Set(rows.flatMap((row) => row.converted?.missing ?? []))].sort();
  return (
    <ChartPanel title={t("declines.topLost.title")} help={currency ? t("declines.topLost.byValue", { currency }) : t("declines.topLost.byCount")}>
      <ChartWithTable
        kind="horizontal"
        keys={rows.map((row) => label("byCode", row))}
        series={[
          {
            name: currency ? t("declines.topLost.value", { currency }) : t("declines.count"),
            color: COLORS.third,
            values: rows.map(valueOf),
          },
        ]}
        keyText={(key) => key}
        valueText={(value) => (currency ? f.money(value, currency) : f.count(value))}
        skipLinkText={t("chart.skip")}
        caption={t("declines.topLost.caption")}
        keyHeading={t("declines.breakdowns.byCode")}
        legend={false}
        height={barsHeight(rows.length)}
      />
      {currency && (
        <ConvertedNote converted={{ currency, amount: 0, missing }} rates={view.rates} currencies={rows.flatMap((row) => row.amounts.map((m) => m.currency))} />
      )}
    </ChartPanel>
  );
}

export function DeclinesSection({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const share = useShareHeadline();
  const { declines } = view;
  const days = periodDays(view);
  const rate = (of: Array<{ rate: number | null }>) => of[0].rate;
  const { recovered } = declines;
  return (
    <SectionCard title={t("declines.title")} table="declines" query={view.query}>
      <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
        <Headline label={t("declines.headlines.rate")} better="down" {...share(declines.rate.current, declines.rate.previous)} />
        <Headline label={t("declines.headlines.recovered")} value={f.percent(recovered.share)}>
          <Text as="p" variant="bodySm" tone="subdued">
            {t("declines.recovered", { count: recovered.declines, recovered: f.count(recovered.recovered), declines: f.count(recovered.declines) })}
          </Text>
          {recovered.amounts.length > 0 && (
            <Text as="p" variant="bodySm" tone="subdued">
              {t("declines.recoveredValue")} <PerCurrency amounts={recovered.amounts} />
            </Text>
          )}
        </Headline>
      </InlineGrid>
      <BlockStack gap="500">
        <ChartPanel title={t("declines.rateChart.title")}>
          <ChartWithTable
            // A bar per day with payments: a day without any has no rate.
            kind="bar"
            keys={days}
            series={[{ name: t("declines.rateChart.series"), color: COLORS.second, values: perDay(declines.rateDays, days, rate, null) }]}
            keyText={f.day}
            valueText={f.percent}
            skipLinkText={t("chart.skip")}
            caption={t("declines.rateChart.caption")}
            keyHeading={t("chart.day")}
          />
        </ChartPanel>
        <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
          <Breakdowns view={view} />
          <TopLost view={view} />
        </InlineGrid>
      </BlockStack>
    </SectionCard>
  );
}
