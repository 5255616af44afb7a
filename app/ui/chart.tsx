// Charts on admin screens (Home's payouts, Insights), drawn by Polaris Viz. A chart measures its box, so
// it is drawn in the browser only, after hydration, and Polaris Viz (a large part of a page's script) is
// fetched then; the server renders, and screen readers always read, a table of the same figures. The
// legend is ours, with fixed colours: Polaris Viz measures its own legend after a first layout, and
// that first layout can give the plot a negative height (console errors in the German browser test).
import { Box, InlineStack, Text } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { lazy, Suspense, useSyncExternalStore, type ReactNode } from "react";

/** Series over keys (`line`, `bar`), or a breakdown with a bar per key, labelled with its value (`horizontal`). */
type ChartKind = "line" | "bar" | "horizontal";

export interface ChartSeries {
  name: string;
  color: string;
  /** One per key; null where there is none. */
  values: Array<number | null>;
  /** Drawn dashed: a threshold. */
  dashed?: boolean;
}

/** Polaris Viz's styles, for the links of a route that shows a chart (as the layout links Polaris'). */
export const chartLinks = () => [{ rel: "stylesheet", href: polarisVizStyles }];

const VizChart = lazy(() => import("./viz-chart"));

const noSubscription = () => () => {};

/** False on the server and while hydrating its HTML (then true); true at once on a page rendered in the browser. */
const useInBrowser = () =>
  useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

/** Polaris Viz fills its parent, which needs a height of its own. */
const CHART_HEIGHT = 280;

export interface ChartProps {
  kind: ChartKind;
  /** Every series has a value for each of `keys`, in order (null: none that day). */
  keys: string[];
  series: ChartSeries[];
  /** A key as the axis and the table say it ("3 Dec 2026"). */
  keyText: (key: string) => string;
  /** A value as the axis, the tooltip and the table say it. */
  valueText: (value: number) => string;
  /** Whole numbers on the value axis (counts, minor units). */
  integers?: boolean;
  /** The value axis' top at least (1 for shares: 0-100%); else Polaris Viz fits it to the values. */
  max?: number;
  skipLinkText: string;
  height?: number;
}

/** The chart's box, empty until the browser draws in it. */
function ChartBox({ height = CHART_HEIGHT, ...chart }: ChartProps) {
  const inBrowser = useInBrowser();
  return (
    <div style={{ height }}>
      {inBrowser && (
        <Suspense fallback={null}>
          <VizChart {...chart} />
        </Suspense>
      )}
    </div>
  );
}

/** Each series' name beside its colour (dashed for a threshold). */
function ChartLegend({ series }: { series: ReadonlyArray<Pick<ChartSeries, "name" | "color" | "dashed">> }) {
  return (
    <InlineStack gap="400" align="center">
      {series.map((s) => (
        <InlineStack key={s.name} gap="100" blockAlign="center">
          <span
            style={
              s.dashed
                ? { width: 14, height: 0, borderTop: `2px dashed ${s.color}`, display: "inline-block" }
                : { width: 10, height: 10, borderRadius: 5, background: s.color, display: "inline-block" }
            }
          />
          <Text as="span" variant="bodySm" tone="subdued">
            {s.name}
          </Text>
        </InlineStack>
      ))}
    </InlineStack>
  );
}

/** The chart's figures as a table: a row per key, a column per series. */
function FiguresTable({ caption, keyHeading, keys, series, keyText, valueText }: ChartProps & { caption: string; keyHeading: string }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{keyHeading}</th>
          {series.map((s) => (
            <th scope="col" key={s.name}>
              {s.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {keys.map((key, i) => (
          <tr key={key}>
            <th scope="row">{keyText(key)}</th>
            {series.map((s) => (
              <td key={s.name}>{s.values[i] === null ? "–" : valueText(s.values[i])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A chart, its legend, and the same figures as a table for screen readers (`caption` names it). */
export function ChartWithTable(props: ChartProps & { caption: string; keyHeading: string; legend?: boolean; children?: ReactNode }) {
  const { caption, keyHeading, legend = true, children, ...chart } = props;
  return (
    <>
      <ChartBox {...chart} />
      {legend && <ChartLegend series={chart.series} />}
      {children}
      <Box visuallyHidden>
        <FiguresTable {...chart} caption={caption} keyHeading={keyHeading} />
      </Box>
    </>
  );
}
