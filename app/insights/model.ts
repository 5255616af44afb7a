// What the Insights page shows, computed on the server from the daily roll-ups (queries.server.ts) and
// drawn in the browser (ui/). Amounts are minor units of their currency; a figure across currencies is
// either kept per currency or converted into the shop's currency with the rates listed in `rates`,
// never added up unconverted. Days are the shop's local days ("2026-12-06"), months "2026-12".

/** The range and filters asked for (URL search params `from`, `to`, `currency`, `country`). */
export interface InsightsQuery {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  /** One currency, or null for all (each shown apart). */
  currency: string | null;
  /** One customer country (ISO 3166 alpha-2), or null for all. */
  country: string | null;
}

/** The range presets the date picker offers; "custom" takes `from` and `to`. */
export const RANGE_PRESETS = ["7d", "30d", "90d", "365d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export interface Money {
  currency: string;
  /** Minor units. */
  amount: number;
}

/** An amount converted into the shop's currency; `missing` lists currencies with no rate (left out of `amount`). */
export interface Converted {
  currency: string;
  amount: number;
  missing: string[];
}

/** A figure now and in the previous period of the same length (just before `from`). */
export interface Compared<T> {
  current: T;
  previous: T;
}

/** A rate used for a converted figure: one unit of `currency` is `rate` of the shop's currency. */
export interface RateUsed {
  currency: string;
  rate: number;
  validFrom: string;
  source: string;
}

/** A row of a breakdown table (declines by reason, by BIN...): its count, amounts per currency and converted total. */
export interface BreakdownRow {
  key: string;
  /** Words for the key where it is a code (a response code's reason); else the key. */
  label: string;
  count: number;
  amounts: Money[];
  converted: Converted | null;
}

export interface PaymentsInsight {
  /** Per day and currency: approved volume and counts. */
  days: Array<{ day: string; currency: string; payments: number; approved: number; approvedAmount: number }>;
  /** Per currency, now and before. */
  totals: Array<
    { currency: string } & Compared<{ payments: number; approved: number; approvedAmount: number; capturedAmount: number; refundedAmount: number }>
  >;
  /** Approved volume in the shop's currency, now and before; null when the shop's currency is unknown. */
  converted: Compared<Converted> | null;
  /** Approved ÷ (approved + declined), 0-1; null with no payments. */
  approvalRate: Compared<number | null>;
  approvalRateDays: Array<{ day: string; rate: number | null }>;
  /** Average hours from authorisation to first capture; null with no captures. */
  captureHours: Compared<number | null>;
}

export interface DeclinesInsight {
  /** Declined ÷ payments, 0-1. */
  rate: Compared<number | null>;
  rateDays: Array<{ day: string; rate: number | null }>;
  byClass: BreakdownRow[];
  byCode: BreakdownRow[];
  byCardCountry: BreakdownRow[];
  byBin: BreakdownRow[];
  byScheme: BreakdownRow[];
  /** Response codes by lost value (converted where rates allow, else by count), largest first, at most 10. */
  topLost: BreakdownRow[];
  /** Declines followed by an approved payment of the same customer within 24 hours. */
  recovered: { declines: number; recovered: number; share: number | null; amounts: Money[] };
}

/** A card scheme's dispute monitoring threshold (app/insights/thresholds.ts). */
export interface DisputeThreshold {
  id: string;
  scheme: string;
  program: string;
  /** Dispute ratio (disputes ÷ payments in a month, 0-1) at or above which a merchant enters the program. */
  ratio: number;
  /** And at least this many disputes in the month. */
  minCount: number;
  /** Where the figure comes from (the scheme's published rules), shown beside it. */
  source: string;
  /** The merchant changed it from the default. */
  changed: boolean;
}

export interface DisputesInsight {
  /** Per month touched by the range: disputes received ÷ payments approved, by count and by value (converted). */
  months: Array<{
    month: string;
    disputes: number;
    payments: number;
    countRatio: number | null;
    /** Disputed ÷ approved value in the shop's currency; null when a rate is missing or nothing was approved. */
    valueRatio: number | null;
    /** Ids of the thresholds this month reached (ratio and count). */
    reached: string[];
  }>;
  thresholds: DisputeThreshold[];
  /** Per dispute category: outcomes. Rates are of the decided ones (won + lost); recovery is won value ÷ disputed value. */
  byReason: Array<{
    category: string;
    disputes: number;
    won: number;
    lost: number;
    winRate: number | null;
    lossRate: number | null;
    recoveryRate: number | null;
    amounts: Money[];
  }>;
  totals: Compared<{ disputes: number; won: number; lost: number; evidenceSubmitted: number; accepted: number; winRate: number | null }>;
  /** Average days from received to evidence submitted. */
  respondDays: Compared<number | null>;
}

export interface HoldsInsight {
  days: Array<{ day: string; holds: number; monitored: number }>;
  /** Per rule (a hold counts under each rule it hit); monitor-only rows are "would have held". */
  byRule: Array<{
    rule: string;
    monitorOnly: boolean;
    holds: number;
    released: number;
    canceled: number;
    /** Released ÷ decided: the false positives. */
    releaseRate: number | null;
    cancelRate: number | null;
    decisionHours: number | null;
    protectedAmounts: Money[];
  }>;
  totals: Compared<{ holds: number; monitored: number; released: number; canceled: number; releaseRate: number | null; decisionHours: number | null }>;
  /** Canceled holds' value: money not lost to fraud. */
  protectedAmounts: Money[];
  protectedConverted: Converted | null;
}

export interface InsightsView {
  query: InsightsQuery;
  previous: { from: string; to: string };
  timeZone: string;
  shopCurrency: string | null;
  /** What the filters offer: the currencies and countries seen in the shop's roll-ups. */
  currencies: string[];
  countries: string[];
  rates: RateUsed[];
  payments: PaymentsInsight;
  declines: DeclinesInsight;
  disputes: DisputesInsight;
  holds: HoldsInsight;
  /** When the roll-ups were last brought up to date. */
  refreshedAt: string | null;
  /** The roll-ups are being rebuilt: figures may be incomplete until it finishes. */
  building: boolean;
}
