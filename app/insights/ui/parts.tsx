// What every Insights section is made of: a card with its title and CSV download, headline figures with
// their change against the previous period, the note a converted total carries (the rates it used, the
// currencies it left out), and amounts kept per currency.
import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { DownloadButton } from "../../ui/download-button";
import type { Converted, InsightsQuery, Money, RateUsed } from "../model";
import { useInsightsFormat } from "./format";

/** The tables the CSV route serves (app/routes/app.insights.csv.tsx). */
type CsvTable = "payments" | "declines" | "disputes" | "holds";

/** The figures' colours, in the charts and their legends (Polaris Viz's default palette), and the thresholds'. */
export const COLORS = {
  first: "#13aee9",
  second: "#6b44ee",
  third: "#d152b9",
  thresholds: ["#d72c0d", "#e99c00", "#916a00", "#8a2ae3", "#0d7a5f", "#5c5f62"],
} as const;

/** The query as URL search params (the page's and the CSV's). */
function queryParams(query: InsightsQuery): URLSearchParams {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  if (query.currency) params.set("currency", query.currency);
  if (query.country) params.set("country", query.country);
  return params;
}

const csvUrl = (table: CsvTable, query: InsightsQuery) => `/app/insights/csv?table=${table}&${queryParams(query)}`;

/** A section of the page: its title, the CSV of its figures, its content. */
export function SectionCard({ title, table, query, children }: { title: string; table: CsvTable; query: InsightsQuery; children: ReactNode }) {
  const { t } = useTranslation("insights");
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="start" gap="200">
          <Text as="h2" variant="headingLg">
            {title}
          </Text>
          <DownloadButton
            url={csvUrl(table, query)}
            filename={`insights-${table}-${query.from}-to-${query.to}.csv`}
            label={t("csv.label")}
            accessibilityLabel={t("csv.accessibilityLabel", { section: title })}
          />
        </InlineStack>
        {children}
      </BlockStack>
    </Card>
  );
}

/** Which way a change is good news: a higher approval rate, a lower decline rate; null: neither. */
type Better = "up" | "down" | null;

interface HeadlineProps {
  label: string;
  value: string;
  /** The change against the previous period in words ("+0.96 pts", "+12.5%"), null when there is nothing to compare. */
  change?: string | null;
  /** Positive when the figure rose. */
  direction?: number | null;
  better?: Better;
  /** The previous period's figure, in words. */
  previous?: string;
  children?: ReactNode;
}

/** A figure of the period, its change and the previous period's. */
export function Headline({ label, value, change, direction, better = null, previous, children }: HeadlineProps) {
  const { t } = useTranslation("insights");
  const tone = !direction || !better ? undefined : direction > 0 === (better === "up") ? "success" : "critical";
  return (
    <BlockStack gap="100">
      <Text as="p" variant="bodyMd" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingXl">
        {value}
      </Text>
      {previous !== undefined && (
        <InlineStack gap="100" blockAlign="center">
          {change && <Badge tone={tone}>{change}</Badge>}
          <Text as="span" variant="bodySm" tone="subdued">
            {t("change.previous", { value: previous })}
          </Text>
        </InlineStack>
      )}
      {children}
    </BlockStack>
  );
}

/** Headline props of a share (0-1) now and before: the change in percentage points. */
export function useShareHeadline() {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  return (current: number | null, previous: number | null) => {
    const points = f.pointsChange(current, previous);
    return {
      value: f.percent(current),
      previous: f.percent(previous),
      change: points && t("change.points", { value: points }),
      direction: current !== null && previous !== null ? current - previous : null,
    };
  };
}

/** Amounts kept apart, one per currency: "€400.00 · ¥13,600". */
export function PerCurrency({ amounts }: { amounts: Money[] }) {
  const { money } = useInsightsFormat();
  return <>{amounts.length ? amounts.map((m) => money(m.amount, m.currency)).join(" · ") : "–"}</>;
}

/**
 * A total converted into the shop's currency, and what it rests on: the rates used for its `currencies`,
 * dated, with their source, and the currencies it leaves out for want of a rate.
 */
export function ConvertedNote({ converted, rates, currencies }: { converted: Converted; rates: RateUsed[]; currencies: string[] }) {
  const { t } = useTranslation("insights");
  const { day, rate } = useInsightsFormat();
  const used = rates.filter((r) => r.currency !== converted.currency && currencies.includes(r.currency));
  return (
    <BlockStack gap="050">
      {used.length > 0 && (
        <Text as="p" variant="bodySm" tone="subdued">
          {t("converted.rates", {
            currency: converted.currency,
            rates: used
              .map((r) =>
                t("converted.rate", { currency: r.currency, rate: rate(r.rate), shopCurrency: converted.currency, date: day(r.validFrom), source: r.source }),
              )
              .join("; "),
          })}
        </Text>
      )}
      {converted.missing.length > 0 && (
        <Text as="p" variant="bodySm" tone="caution">
          {t("converted.missing", { currencies: converted.missing.join(", "), count: converted.missing.length })}
        </Text>
      )}
    </BlockStack>
  );
}

/** A chart's heading above it (and what it shows, when that needs saying). */
export function ChartPanel({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingMd">
        {title}
      </Text>
      {help && (
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      )}
      {children}
    </BlockStack>
  );
}
