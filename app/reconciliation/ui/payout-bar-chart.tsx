// Polaris Viz's bar chart of one currency's payout days, in a module of its own: Home loads it, and
// Polaris Viz with it, in the browser only, once the chart is drawn (payout-chart.tsx). The legend is
// the card's own (fixed colours, payout-chart.tsx): Polaris Viz measures its legend after a first
// layout, and that first layout can give the plot a negative height.
import { BarChart, PolarisVizProvider, type DataSeries } from "@shopify/polaris-viz";
import { useFormat } from "../../ui/format";

/** Series of amounts in minor units of `currency`, keyed by day (YYYY-MM-DD, UTC). */
export function PayoutBarChart({ data, currency, skipLinkText }: { data: DataSeries[]; currency: string; skipLinkText: string }) {
  const { money, day } = useFormat();
  // Whole minor units on the axis: its round steps are round in major units too.
  const amount = (value: string | number | null) => money(Number(value ?? 0), currency);
  const dayOf = (key: string | number | null) => day(String(key));
  return (
    <PolarisVizProvider>
      <BarChart
        data={data}
        showLegend={false}
        isAnimated={false}
        xAxisOptions={{ labelFormatter: dayOf }}
        yAxisOptions={{ labelFormatter: amount, integersOnly: true }}
        tooltipOptions={{ valueFormatter: amount, titleFormatter: dayOf }}
        skipLinkText={skipLinkText}
      />
    </PolarisVizProvider>
  );
}
