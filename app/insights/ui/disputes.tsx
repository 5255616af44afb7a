// Insights → Disputes: the dispute ratio of each month, by count and by value, against the card schemes'
// monitoring thresholds (drawn as dashed lines, and a table of the months marking the thresholds each
// reached); win, loss and recovery rates by reason; evidence submitted and disputes accepted; days to
// respond.
import { Badge, BlockStack, DataTable, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useDisputeWords } from "../../disputes/ui/labels";
import { ChartWithTable, type ChartSeries } from "../../ui/chart";
import type { DisputeThreshold, InsightsView } from "../model";
import { sum } from "./days";
import { useInsightsFormat, type InsightsFormat } from "./format";
import { ChartPanel, COLORS, Headline, SectionCard, useShareHeadline } from "./parts";

/** "Visa VAMP": a threshold by its scheme and program. */
export const thresholdName = (threshold: Pick<DisputeThreshold, "scheme" | "program">) => `${threshold.scheme} ${threshold.program}`;

/** The dispute ratio of each month by count and by value, and each threshold as a dashed line. */
function RatioChart({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const { months, thresholds } = view.disputes;
  const keys = months.map((m) => m.month);
  const series: ChartSeries[] = [
    { name: t("disputes.ratio.byCount"), color: COLORS.first, values: months.map((m) => m.countRatio) },
    { name: t("disputes.ratio.byValue"), color: COLORS.second, values: months.map((m) => m.valueRatio) },
    // A line per level: several programs share one (Visa's and Mastercard's 1.5%).
    ...[...new Set(thresholds.map((threshold) => threshold.ratio))]
      .sort((a, b) => a - b)
      .map((ratio, i) => ({
        name: t("disputes.ratio.line", {
          ratio: f.percent(ratio),
          programs: thresholds
            .filter((threshold) => threshold.ratio === ratio)
            .map(thresholdName)
            .join(", "),
        }),
        color: COLORS.thresholds[i % COLORS.thresholds.length],
        dashed: true,
        values: months.map(() => ratio),
      })),
  ];
  return (
    <ChartWithTable
      // A line needs two months; one month's ratio stands beside the thresholds as bars.
      kind={months.length > 1 ? "line" : "bar"}
      keys={keys}
      series={series}
      keyText={f.month}
      valueText={f.percent}
      skipLinkText={t("chart.skip")}
      caption={t("disputes.ratio.caption")}
      keyHeading={t("disputes.ratio.month")}
    />
  );
}

/** Each month's ratios and the thresholds it reached. */
function MonthsTable({ view, f }: { view: InsightsView; f: InsightsFormat }) {
  const { t } = useTranslation("insights");
  const { months, thresholds } = view.disputes;
  return (
    <DataTable
      columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "text"]}
      headings={[
        t("disputes.ratio.month"),
        t("disputes.ratio.disputes"),
        t("disputes.ratio.payments"),
        t("disputes.ratio.byCount"),
        t("disputes.ratio.byValue"),
        t("disputes.thresholds.reachedHeading"),
      ]}
      rows={months.map((m) => [
        f.month(m.month),
        f.count(m.disputes),
        f.count(m.payments),
        f.percent(m.countRatio),
        f.percent(m.valueRatio),
        m.reached.length === 0 ? (
          t("disputes.thresholds.none")
        ) : (
          <InlineStack key="reached" gap="100">
            {thresholds
              .filter((threshold) => m.reached.includes(threshold.id))
              .map((threshold) => (
                <Badge key={threshold.id} tone="critical">
                  {thresholdName(threshold)}
                </Badge>
              ))}
          </InlineStack>
        ),
      ])}
    />
  );
}

/** Win, loss and recovery rates per dispute reason. */
function ByReason({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const words = useDisputeWords();
  const rows = view.disputes.byReason;
  if (rows.length === 0) return null;
  if (rows.every((row) => row.winRate === null))
    return (
      <ChartPanel title={t("disputes.byReason.title")}>
        <Text as="p" tone="subdued">
          {t("disputes.byReason.undecided", { count: sum(rows, (row) => row.disputes) })}
        </Text>
      </ChartPanel>
    );
  return (
    <ChartPanel title={t("disputes.byReason.title")} help={t("disputes.byReason.help")}>
      <ChartWithTable
        kind="bar"
        max={1}
        keys={rows.map((row) => words.category(row.category || null))}
        series={[
          { name: t("disputes.byReason.winRate"), color: COLORS.first, values: rows.map((row) => row.winRate) },
          { name: t("disputes.byReason.lossRate"), color: COLORS.third, values: rows.map((row) => row.lossRate) },
          { name: t("disputes.byReason.recoveryRate"), color: COLORS.second, values: rows.map((row) => row.recoveryRate) },
        ]}
        keyText={(key) => key}
        valueText={f.percent}
        skipLinkText={t("chart.skip")}
        caption={t("disputes.byReason.caption")}
        keyHeading={t("disputes.byReason.reason")}
      />
    </ChartPanel>
  );
}

export function DisputesSection({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const share = useShareHeadline();
  const { totals, respondDays, months } = view.disputes;
  const days = (value: number | null) => (value === null ? f.decimal(null) : t("units.days", { count: value, value: f.decimal(value) }));
  return (
    <SectionCard title={t("disputes.title")} table="disputes" query={view.query}>
      <InlineGrid columns={{ xs: 1, sm: 2, lg: 4 }} gap="400">
        <Headline
          label={t("disputes.headlines.disputes")}
          value={f.count(totals.current.disputes)}
          previous={f.count(totals.previous.disputes)}
          change={f.relativeChange(totals.current.disputes, totals.previous.disputes)}
          direction={totals.current.disputes - totals.previous.disputes}
          better="down"
        />
        <Headline label={t("disputes.headlines.winRate")} better="up" {...share(totals.current.winRate, totals.previous.winRate)}>
          <Text as="p" variant="bodySm" tone="subdued">
            {t("disputes.decided", { won: f.count(totals.current.won), lost: f.count(totals.current.lost) })}
          </Text>
        </Headline>
        <Headline
          label={t("disputes.headlines.evidence")}
          value={f.count(totals.current.evidenceSubmitted)}
          previous={f.count(totals.previous.evidenceSubmitted)}
          change={f.relativeChange(totals.current.evidenceSubmitted, totals.previous.evidenceSubmitted)}
        >
          <Text as="p" variant="bodySm" tone="subdued">
            {t("disputes.accepted", { count: totals.current.accepted, value: f.count(totals.current.accepted) })}
          </Text>
        </Headline>
        <Headline
          label={t("disputes.headlines.respondDays")}
          value={days(respondDays.current)}
          previous={days(respondDays.previous)}
          change={f.relativeChange(respondDays.current, respondDays.previous)}
          direction={respondDays.current !== null && respondDays.previous !== null ? respondDays.current - respondDays.previous : null}
          better="down"
        />
      </InlineGrid>
      <BlockStack gap="500">
        <ChartPanel title={t("disputes.ratio.title")} help={t("disputes.ratio.help")}>
          {months.length > 0 && <RatioChart view={view} />}
          {months.length > 0 && <MonthsTable view={view} f={f} />}
        </ChartPanel>
        <ByReason view={view} />
      </BlockStack>
    </SectionCard>
  );
}
