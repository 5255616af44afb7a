// Polaris Viz's bar chart of one currency's payout days, in a module of its own: Home loads it, and
// Polaris Viz with it, in the browser only, once the chart is drawn (payout-chart.tsx).
import { BarChart, PolarisVizProvider, type DataSeries } from "@shopify/polaris-viz";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../ui/format";

/** Series of amounts in minor units of `currency`, keyed by day (YYYY-MM-DD, UTC). */
export function PayoutBarChart({ data, currency }: { data: DataSeries[]; currency: string }) {
  const { t } = useTranslation("payouts");
  const { money, day } = useFormat();
  // Whole minor units on the axis: its round steps are round in major units too.
  const amount = (value: string | number | null) => money(Number(value ?? 0), currency);
  const dayOf = (key: string | number | null) => day(String(key));
  return (
    <PolarisVizProvider>
      <BarChart
        data={data}
        xAxisOptions={{ labelFormatter: dayOf }}
        yAxisOptions={{ labelFormatter: amount, integersOnly: true }}
        tooltipOptions={{ valueFormatter: amount, titleFormatter: dayOf }}
        skipLinkText={t("chart.skip")}
        renderHiddenLegendLabel={(count) => t("chart.moreSeries", { count })}
      />
    </PolarisVizProvider>
  );
}
