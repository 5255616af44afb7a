// Home's payouts card: each payout day's net and fees in one currency (a picker when the shop has
// several: amounts are never added across currencies), drawn by Polaris Viz in the browser only, with
// the same figures as a table (app/ui/chart.tsx).
import { InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { chartLinks, ChartWithTable } from "../../ui/chart";
import { useFormat } from "../../ui/format";
import type { PayoutSeries } from "../payout-views.server";
import { TitledCard } from "../../ui/titled-card";

/** The chart's styles, for the links of a route that shows it. */
export const payoutChartLinks = chartLinks;

const FIGURES = ["net", "processingFees", "schemeFees", "otherFees"] as const;
/** Each figure's colour, in the chart and its legend (Polaris Viz's default palette). */
const COLORS: Record<(typeof FIGURES)[number], string> = { net: "#13aee9", processingFees: "#6b44ee", schemeFees: "#4c7bea", otherFees: "#d152b9" };

/** The shop's payouts of the last days (payoutSeries), the first currency shown until another is picked. */
export function PayoutChartCard({ series }: { series: PayoutSeries }) {
  const { t } = useTranslation("payouts");
  const { money, day } = useFormat();
  const [picked, setPicked] = useState<string | null>(null);
  const shown = series.currencies.find((s) => s.currency === picked) ?? series.currencies[0];

  return (
    <TitledCard title={t("page.title")} gap="300" link={{ to: "/app/payouts", label: t("chart.open") }}>
      {!shown ? (
        <Text as="p" tone="subdued">
          {t("chart.empty", { days: series.days })}
        </Text>
      ) : (
        <>
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="p" tone="subdued">
              {t("chart.summary", { days: series.days })}
            </Text>
            {series.currencies.length > 1 && (
              <Select
                label={t("filters.currency")}
                labelInline
                options={series.currencies.map((s) => s.currency)}
                value={shown.currency}
                onChange={setPicked}
              />
            )}
          </InlineStack>
          <ChartWithTable
            kind="bar"
            keys={shown.days.map((point) => point.day)}
            series={FIGURES.map((figure) => ({ name: t(`figures.${figure}`), color: COLORS[figure], values: shown.days.map((point) => point[figure]) }))}
            keyText={day}
            valueText={(minor) => money(minor, shown.currency)}
            // Whole minor units on the axis: its round steps are round in major units too.
            integers
            skipLinkText={t("chart.skip")}
            caption={t("chart.caption", { currency: shown.currency })}
            keyHeading={t("chart.day")}
          />
        </>
      )}
    </TitledCard>
  );
}
