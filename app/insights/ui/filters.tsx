// The range and the filters above the Insights page, kept in the URL (app/insights/query.ts): a preset
// (`range`: the last 7, 30, 90 or 365 days up to today in the shop's time zone) or a custom range picked
// on a calendar (`from`, `to`), one currency or all (each apart), one customer country or all. Changing
// one loads the page again with the new search params.
import { useSearchParams } from "@remix-run/react";
import { BlockStack, Button, ButtonGroup, Card, DatePicker, InlineStack, Popover, Select, Text, TextField, type Range } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { addDays } from "../../lib/dates";
import { RANGE_PRESETS, type InsightsQuery, type RangePreset } from "../model";
import { useInsightsFormat } from "./format";

const PRESET_DAYS: Record<RangePreset, number> = { "7d": 7, "30d": 30, "90d": 90, "365d": 365 };

/** The preset the query's days are (the last so many days up to today), if any. */
function presetOf(query: Pick<InsightsQuery, "from" | "to">, today: string): RangePreset | null {
  return RANGE_PRESETS.find((preset) => query.to === today && query.from === addDays(today, 1 - PRESET_DAYS[preset])) ?? null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// The calendar works in the browser's local dates; a day is its year, month and date, whatever the zone.
const dateOf = (day: string) => {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d);
};
const pad = (n: number) => String(n).padStart(2, "0");
const dayOf = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** A custom range: the calendar and the same days typed (in the range button's popover). */
export function CustomRange({ query, today, onApply }: { query: InsightsQuery; today: string; onApply: (range: { from: string; to: string }) => void }) {
  const { t } = useTranslation("insights");
  const [range, setRange] = useState({ from: query.from, to: query.to });
  const [shown, setShown] = useState(() => ({ month: dateOf(query.to).getMonth(), year: dateOf(query.to).getFullYear() }));
  const valid = DAY.test(range.from) && DAY.test(range.to) && range.from <= range.to;
  const pick = ({ start, end }: Range) => setRange({ from: dayOf(start), to: dayOf(end) });
  return (
    <BlockStack gap="300">
      <DatePicker
        month={shown.month}
        year={shown.year}
        onMonthChange={(month, year) => setShown({ month, year })}
        selected={DAY.test(range.from) && DAY.test(range.to) ? { start: dateOf(range.from), end: dateOf(range.to) } : undefined}
        onChange={pick}
        allowRange
        multiMonth
        disableDatesAfter={dateOf(today)}
      />
      <InlineStack gap="200" blockAlign="end">
        <TextField label={t("filters.from")} type="date" value={range.from} onChange={(from) => setRange((r) => ({ ...r, from }))} autoComplete="off" />
        <TextField label={t("filters.to")} type="date" value={range.to} onChange={(to) => setRange((r) => ({ ...r, to }))} autoComplete="off" />
        <Button variant="primary" disabled={!valid} onClick={() => onApply(range)}>
          {t("filters.apply")}
        </Button>
      </InlineStack>
    </BlockStack>
  );
}

export function InsightsFilters({
  query,
  previous,
  today,
  currencies,
  countries,
}: {
  query: InsightsQuery;
  previous: { from: string; to: string };
  today: string;
  currencies: string[];
  countries: string[];
}) {
  const { t } = useTranslation("insights");
  const { day } = useInsightsFormat();
  const [params, setParams] = useSearchParams();
  const [picking, setPicking] = useState(false);
  const preset = presetOf(query, today);

  /** The page's params with these changed (null: removed); the admin's own params stay. */
  const change = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next);
  };

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="300" blockAlign="end" wrap>
          <BlockStack gap="100">
            <Text as="span" variant="bodyMd">
              {t("filters.range")}
            </Text>
            <ButtonGroup variant="segmented">
              {RANGE_PRESETS.map((p) => (
                <Button key={p} pressed={p === preset} onClick={() => change({ range: p, from: null, to: null })}>
                  {t(`filters.presets.${p}`)}
                </Button>
              ))}
              <Popover
                active={picking}
                onClose={() => setPicking(false)}
                activator={
                  <Button pressed={!preset} disclosure onClick={() => setPicking((open) => !open)}>
                    {t("filters.custom")}
                  </Button>
                }
                preferredAlignment="left"
                sectioned
              >
                <CustomRange
                  query={query}
                  today={today}
                  onApply={(range) => {
                    setPicking(false);
                    change({ range: null, ...range });
                  }}
                />
              </Popover>
            </ButtonGroup>
          </BlockStack>
          <Select
            label={t("filters.currency")}
            options={[{ value: "", label: t("filters.everyCurrency") }, ...currencies.map((code) => ({ value: code, label: code }))]}
            value={query.currency ?? ""}
            onChange={(currency) => change({ currency })}
          />
          <Select
            label={t("filters.country")}
            options={[{ value: "", label: t("filters.everyCountry") }, ...countries.map((code) => ({ value: code, label: code }))]}
            value={query.country ?? ""}
            onChange={(country) => change({ country })}
          />
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("filters.period", { from: day(query.from), to: day(query.to), previousFrom: day(previous.from), previousTo: day(previous.to) })}
        </Text>
      </BlockStack>
    </Card>
  );
}
