// Home's payouts card: each payout day's net and fees in one currency (a picker when the shop has
// several: amounts are never added across currencies), drawn by Polaris Viz. The chart measures its
// box, so it is drawn in the browser only, after hydration (and its module loaded then); the server
// renders, and screen readers always read, a table of the same figures.
import { Link } from "@remix-run/react";
import { BlockStack, Box, Card, InlineStack, Select, Text } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { lazy, Suspense, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../ui/format";
import type { PayoutSeries } from "../payout-views.server";

/** The chart's styles, for the links of a route that shows it (as the layout links Polaris'). */
export const payoutChartLinks = () => [{ rel: "stylesheet", href: polarisVizStyles }];

type CurrencySeries = PayoutSeries["currencies"][number];

const FIGURES = ["net", "processingFees", "schemeFees", "otherFees"] as const;
/** Each figure's colour, in the chart and its legend (Polaris Viz's default palette). */
const COLORS: Record<(typeof FIGURES)[number], string> = { net: "#13aee9", processingFees: "#6b44ee", schemeFees: "#4c7bea", otherFees: "#d152b9" };

// Polaris Viz is a large part of a page's script: the browser fetches it after the page is up.
const PayoutBarChart = lazy(() => import("./payout-bar-chart").then((module) => ({ default: module.PayoutBarChart })));

/** Polaris Viz fills its parent, which needs a height of its own. */
const CHART_HEIGHT = 280;

const noSubscription = () => () => {};

/** False on the server and while hydrating its HTML (then true); true at once on a page rendered in the browser. */
const useInBrowser = () =>
  useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

function FiguresTable({ series }: { series: CurrencySeries }) {
  const { t } = useTranslation("payouts");
  const { money, day } = useFormat();
  return (
    <table>
      <caption>{t("chart.caption", { currency: series.currency })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("chart.day")}</th>
          {FIGURES.map((figure) => (
            <th scope="col" key={figure}>
              {t(`figures.${figure}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {series.days.map((point) => (
          <tr key={point.day}>
            <th scope="row">{day(point.day)}</th>
            {FIGURES.map((figure) => (
              <td key={figure}>{money(point[figure], series.currency)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The shop's payouts of the last days (payoutSeries), the first currency shown until another is picked. */
export function PayoutChartCard({ series }: { series: PayoutSeries }) {
  const { t } = useTranslation("payouts");
  const inBrowser = useInBrowser();
  const [picked, setPicked] = useState<string | null>(null);
  const shown = series.currencies.find((s) => s.currency === picked) ?? series.currencies[0];
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            {t("page.title")}
          </Text>
          <Link to="/app/payouts">{t("chart.open")}</Link>
        </InlineStack>
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
            <div style={{ height: CHART_HEIGHT }}>
              {inBrowser && (
                <Suspense fallback={null}>
                  <PayoutBarChart
                    currency={shown.currency}
                    skipLinkText={t("chart.skip")}
                    data={FIGURES.map((figure) => ({
                      name: t(`figures.${figure}`),
                      color: COLORS[figure],
                      data: shown.days.map((point) => ({ key: point.day, value: point[figure] })),
                    }))}
                  />
                </Suspense>
              )}
            </div>
            <InlineStack gap="400" align="center">
              {FIGURES.map((figure) => (
                <InlineStack key={figure} gap="100" blockAlign="center">
                  <span style={{ width: 10, height: 10, borderRadius: 5, background: COLORS[figure], display: "inline-block" }} />
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t(`figures.${figure}`)}
                  </Text>
                </InlineStack>
              ))}
            </InlineStack>
            <Box visuallyHidden>
              <FiguresTable series={shown} />
            </Box>
          </>
        )}
      </BlockStack>
    </Card>
  );
}
