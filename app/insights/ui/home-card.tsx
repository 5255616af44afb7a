// Home's Insights card: the last 30 days' approval and decline rates, this month's dispute ratio against
// the nearest card-scheme threshold, and the share of holds released (the rules' false positives), with
// the way to the Insights page. Home's loader keeps only these figures of the view (`insightsSummary`).
import { InlineGrid, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { DisputeThreshold, InsightsView } from "../model";
import { thresholdName } from "./disputes";
import { useInsightsFormat } from "./format";
import { Headline } from "./parts";
import { TitledCard } from "../../ui/titled-card";

type ThresholdState = "reached" | "next" | "tooFewDisputes";

interface InsightsSummary {
  from: string;
  to: string;
  approvalRate: number | null;
  declineRate: number | null;
  releaseRate: number | null;
  /**
   * The range's last month: its ratio by count and the nearest threshold: the highest it reached, else
   * the next above its ratio, else (above every ratio with too few disputes) the one needing fewest.
   */
  disputes: { month: string; ratio: number | null; threshold: { name: string; ratio: number; minCount: number; state: ThresholdState } | null } | null;
}

export function insightsSummary(view: InsightsView): InsightsSummary {
  const month = view.disputes.months.at(-1);
  let disputes: InsightsSummary["disputes"] = null;
  if (month) {
    const ratio = month.countRatio ?? 0;
    const byRatio = [...view.disputes.thresholds].sort((a, b) => a.ratio - b.ratio);
    const reached = byRatio.filter((threshold) => month.reached.includes(threshold.id)).at(-1);
    const next = byRatio.find((threshold) => threshold.ratio > ratio);
    const fewest = [...byRatio].sort((a, b) => a.minCount - b.minCount)[0];
    const [nearest, state]: [DisputeThreshold | undefined, ThresholdState] = reached
      ? [reached, "reached"]
      : next
        ? [next, "next"]
        : [fewest, "tooFewDisputes"];
    disputes = {
      month: month.month,
      ratio: month.countRatio,
      threshold: nearest ? { name: thresholdName(nearest), ratio: nearest.ratio, minCount: nearest.minCount, state } : null,
    };
  }
  return {
    from: view.query.from,
    to: view.query.to,
    approvalRate: view.payments.approvalRate.current,
    declineRate: view.declines.rate.current,
    releaseRate: view.holds.totals.current.releaseRate,
    disputes,
  };
}

export function InsightsHomeCard({ summary }: { summary: InsightsSummary }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const { disputes } = summary;
  return (
    <TitledCard title={t("page.title")} gap="300" link={{ to: "/app/insights", label: t("home.open") }}>
      <Text as="p" tone="subdued">
        {t("home.period", { from: f.day(summary.from), to: f.day(summary.to) })}
      </Text>
      <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
        <Headline label={t("home.approvalRate")} value={f.percent(summary.approvalRate)} />
        <Headline label={t("home.declineRate")} value={f.percent(summary.declineRate)} />
        <Headline
          label={disputes ? t("home.disputeRatio", { month: f.month(disputes.month) }) : t("home.disputeRatioNone")}
          value={f.percent(disputes?.ratio ?? null)}
        >
          {disputes?.threshold && (
            <Text as="p" variant="bodySm" tone={disputes.threshold.state === "next" ? "subdued" : "critical"}>
              {t(`home.threshold.${disputes.threshold.state}`, {
                name: disputes.threshold.name,
                ratio: f.percent(disputes.threshold.ratio),
                count: disputes.threshold.minCount,
              })}
            </Text>
          )}
        </Headline>
        <Headline label={t("home.releaseRate")} value={f.percent(summary.releaseRate)} />
      </InlineGrid>
    </TitledCard>
  );
}
