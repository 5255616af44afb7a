// Insights → Payments: approved volume per day in one currency at a time (amounts are never added across
// currencies), payments and approvals per day (counts, across currencies), the approval rate per day,
// each currency's totals against the previous period, and the volume converted into the shop's currency.
import { BlockStack, DataTable, InlineGrid, InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ChartWithTable, type ChartSeries } from "../../ui/chart";
import type { Converted, InsightsView } from "../model";
import { perDay, periodDays, sum } from "./days";
import { NONE, useInsightsFormat } from "./format";
import { ChartPanel, COLORS, ConvertedNote, Headline, PerCurrency, SectionCard, useShareHeadline } from "./parts";

type PaymentDay = InsightsView["payments"]["days"][number];

/** Approved volume per day in one currency. */
function VolumeChart({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const days = periodDays(view);
  const currencies = view.payments.totals.map((total) => total.currency);
  const [picked, setPicked] = useState<string | null>(null);
  // The filter's currency, else the one picked here, else the one with the most payments.
  const largest = [...view.payments.totals].sort((a, b) => b.current.payments - a.current.payments)[0]?.currency;
  const currency = view.query.currency ?? (picked && currencies.includes(picked) ? picked : largest);
  if (!currency) return null;
  const rows = view.payments.days.filter((row) => row.currency === currency);
  const volume = (of: PaymentDay[]) => sum(of, (row) => row.approvedAmount);
  const series: ChartSeries[] = [{ name: t("payments.volume.series", { currency }), color: COLORS.first, values: perDay(rows, days, volume, 0) }];
  return (
    <ChartPanel title={t("payments.volume.title")} help={t("payments.volume.help")}>
      {!view.query.currency && currencies.length > 1 && (
        <InlineStack>
          <Select label={t("payments.volume.currency")} labelInline options={currencies} value={currency} onChange={setPicked} />
        </InlineStack>
      )}
      <ChartWithTable
        kind="line"
        keys={days}
        series={series}
        keyText={f.day}
        valueText={(minor) => f.money(minor, currency)}
        integers
        skipLinkText={t("chart.skip")}
        caption={t("payments.volume.caption", { currency })}
        keyHeading={t("chart.day")}
      />
    </ChartPanel>
  );
}

/** Payments and approvals per day (counts: summed across currencies), and the approval rate. */
function CountCharts({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const days = periodDays(view);
  const { days: rows, approvalRateDays } = view.payments;
  const rate = (of: Array<{ rate: number | null }>) => of[0].rate;
  return (
    <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
      <ChartPanel title={t("payments.counts.title")}>
        <ChartWithTable
          kind="line"
          keys={days}
          series={[
            { name: t("payments.counts.payments"), color: COLORS.first, values: perDay(rows, days, (of) => sum(of, (row) => row.payments), 0) },
            { name: t("payments.counts.approved"), color: COLORS.second, values: perDay(rows, days, (of) => sum(of, (row) => row.approved), 0) },
          ]}
          keyText={f.day}
          valueText={f.count}
          integers
          skipLinkText={t("chart.skip")}
          caption={t("payments.counts.caption")}
          keyHeading={t("chart.day")}
        />
      </ChartPanel>
      <ChartPanel title={t("payments.approvalRate.title")}>
        <ChartWithTable
          // A bar per day with payments: a day without any has no rate.
          kind="bar"
          max={1}
          keys={days}
          series={[{ name: t("payments.approvalRate.series"), color: COLORS.first, values: perDay(approvalRateDays, days, rate, null) }]}
          keyText={f.day}
          valueText={f.percent}
          skipLinkText={t("chart.skip")}
          caption={t("payments.approvalRate.caption")}
          keyHeading={t("chart.day")}
        />
      </ChartPanel>
    </InlineGrid>
  );
}

/** Each currency's figures, now and in the previous period: a table, as currencies share no axis. */
function CurrencyTotals({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  if (view.payments.totals.length === 0) return null;
  return (
    <ChartPanel title={t("payments.totals.title")}>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
        headings={[
          t("payments.totals.currency"),
          t("payments.totals.payments"),
          t("payments.totals.approved"),
          t("payments.totals.approvedAmount"),
          t("payments.totals.previousAmount"),
          t("payments.totals.capturedAmount"),
          t("payments.totals.refundedAmount"),
        ]}
        rows={view.payments.totals.map(({ currency, current, previous }) => [
          currency,
          f.count(current.payments),
          f.count(current.approved),
          f.money(current.approvedAmount, currency),
          f.money(previous.approvedAmount, currency),
          f.money(current.capturedAmount, currency),
          f.money(current.refundedAmount, currency),
        ])}
      />
    </ChartPanel>
  );
}

export function PaymentsSection({ view }: { view: InsightsView }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const share = useShareHeadline();
  const { payments } = view;
  const count = (side: "current" | "previous") => sum(payments.totals, (total) => total[side].payments);
  const converted = payments.converted;
  const approved = payments.totals
    .filter((total) => total.current.approvedAmount !== 0)
    .map((total) => ({ currency: total.currency, amount: total.current.approvedAmount }));
  // Nothing converted (only currencies without a rate) is no total, not a zero.
  const convertedText = (total: Converted) => (total.amount === 0 && total.missing.length > 0 ? NONE : f.money(total.amount, total.currency));
  const hours = payments.captureHours;
  return (
    <SectionCard title={t("payments.title")} table="payments" query={view.query}>
      <InlineGrid columns={{ xs: 1, sm: 2, lg: 4 }} gap="400">
        <Headline
          label={t("payments.headlines.payments")}
          value={f.count(count("current"))}
          previous={f.count(count("previous"))}
          change={f.relativeChange(count("current"), count("previous"))}
        />
        {converted ? (
          <Headline
            label={t("payments.headlines.converted", { currency: converted.current.currency })}
            value={convertedText(converted.current)}
            previous={convertedText(converted.previous)}
            change={f.relativeChange(converted.current.amount, converted.previous.amount)}
          >
            <Text as="p" variant="bodySm" tone="subdued">
              <PerCurrency amounts={approved} />
            </Text>
            <ConvertedNote converted={converted.current} rates={view.rates} currencies={approved.map((m) => m.currency)} />
          </Headline>
        ) : (
          <Headline label={t("payments.headlines.volume")} value={t("payments.headlines.perCurrency")} />
        )}
        <Headline label={t("payments.headlines.approvalRate")} better="up" {...share(payments.approvalRate.current, payments.approvalRate.previous)} />
        <Headline
          label={t("payments.headlines.captureHours")}
          value={hours.current === null ? f.decimal(null) : t("units.hours", { count: hours.current, value: f.decimal(hours.current) })}
          previous={hours.previous === null ? f.decimal(null) : t("units.hours", { count: hours.previous, value: f.decimal(hours.previous) })}
          change={f.relativeChange(hours.current, hours.previous)}
          direction={hours.current !== null && hours.previous !== null ? hours.current - hours.previous : null}
          better="down"
        />
      </InlineGrid>
      {payments.totals.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("payments.empty")}
        </Text>
      ) : (
        <BlockStack gap="500">
          <VolumeChart view={view} />
          <CountCharts view={view} />
          <CurrencyTotals view={view} />
        </BlockStack>
      )}
    </SectionCard>
  );
}
