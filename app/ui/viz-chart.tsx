// Polaris Viz itself, in a module of its own: chart.tsx loads it, and Polaris Viz with it, in the browser
// only, once a chart is drawn. Never animated (a screenshot or a reader sees the final figures at once),
// never its own legend (chart.tsx draws ours).
import { BarChart, LineChart, PolarisVizProvider, SimpleBarChart, type DataSeries } from "@shopify/polaris-viz";
import type { ChartProps } from "./chart";

// Straight lines between days: a curve would invent values between them (and overshoot a share's 100%).
const THEMES = { Light: { line: { hasSpline: false } } };

export default function VizChart({ kind, keys, series, keyText, valueText, integers, max, skipLinkText }: Omit<ChartProps, "height">) {
  const label = (key: string | number | null) => keyText(String(key));
  const value = (v: string | number | null) => valueText(Number(v ?? 0));
  const data: DataSeries[] = series.map((s) => ({
    name: s.name,
    color: s.color,
    data: keys.map((key, i) => ({ key, value: s.values[i] })),
    ...(s.dashed ? { styleOverride: { line: { strokeDasharray: "4 4", hasArea: false } } } : {}),
  }));
  if (kind === "horizontal")
    return (
      <PolarisVizProvider themes={THEMES}>
        <SimpleBarChart data={data} showLegend={false} isAnimated={false} xAxisOptions={{ labelFormatter: value }} yAxisOptions={{ labelFormatter: label }} />
      </PolarisVizProvider>
    );
  const Chart = kind === "line" ? LineChart : BarChart;
  return (
    <PolarisVizProvider themes={THEMES}>
      <Chart
        data={data}
        showLegend={false}
        isAnimated={false}
        xAxisOptions={{ labelFormatter: label }}
        yAxisOptions={{ labelFormatter: value, integersOnly: integers ?? false, maxYOverride: max ?? null }}
        tooltipOptions={{ valueFormatter: value, titleFormatter: label }}
        skipLinkText={skipLinkText}
      />
    </PolarisVizProvider>
  );
}
