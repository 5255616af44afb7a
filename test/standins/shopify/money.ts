// Money as Shopify's Admin API shows it: amounts kept in minor units, printed as Decimal strings
// ("49.0", "12.5", "1500.0"), converted from the buyer's (presentment) currency to the shop's.

import { currencyDigits } from "../../../app/lib/money";

/** Rough units per US dollar, so seeded multi-currency orders get believable shop-currency amounts. */
const UNITS_PER_USD: Record<string, number> = {
  USD: 1,
  EUR: 0.92,
  GBP: 0.79,
  CAD: 1.36,
  AUD: 1.52,
  NZD: 1.65,
  JPY: 150,
  CHF: 0.88,
  SEK: 10.5,
  NOK: 10.6,
  DKK: 6.9,
  PLN: 4,
  CZK: 23,
  HUF: 360,
  SGD: 1.35,
  HKD: 7.8,
  AED: 3.67,
  SAR: 3.75,
  BRL: 5,
  MXN: 17,
  INR: 83,
  KRW: 1330,
  ZAR: 18.5,
  KWD: 0.31,
  BHD: 0.38,
};

/** "49.99" or 49.99 in `currency` → 4999 minor units. */
export function toMinor(amount: string | number, currency: string): number {
  const value = typeof amount === "number" ? amount : Number(amount);
  if (!Number.isFinite(value)) throw new Error(`Not an amount: ${amount}`);
  return Math.round(value * 10 ** currencyDigits(currency));
}

/** Minor units → Shopify's Decimal text: no trailing zeros, but always one decimal ("49.0"). */
export function formatDecimal(minor: number, currency: string): string {
  const exponent = currencyDigits(currency);
  const text = (minor / 10 ** exponent).toFixed(exponent);
  const trimmed = text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  return trimmed.includes(".") ? trimmed : `${trimmed}.0`;
}

/** Shop-currency units per presentment-currency unit. */
export function defaultExchangeRate(presentment: string, shop: string): number {
  if (presentment === shop) return 1;
  const from = UNITS_PER_USD[presentment];
  const to = UNITS_PER_USD[shop];
  if (!from || !to) throw new Error(`No default exchange rate for ${presentment} → ${shop}; pass exchangeRate`);
  return to / from;
}

export function convertMinor(minor: number, from: string, to: string, rate: number): number {
  if (from === to) return minor;
  return Math.round((minor / 10 ** currencyDigits(from)) * rate * 10 ** currencyDigits(to));
}

/** What a MoneyBag is converted with: the shop's currency, the buyer's (presentment) one and the rate between. */
interface Priced {
  currencyCode: string;
  presentmentCurrencyCode: string;
  /** Shop-currency units per presentment-currency unit. */
  exchangeRate: number;
}

/** A MoneyV2. */
export function money(minor: number, currency: string) {
  return { amount: formatDecimal(minor, currency), currencyCode: currency };
}

/** A MoneyBag from presentment minor units: the same amount in the shop's and the buyer's currency. */
export function moneyBag(record: Priced, presentmentMinor: number) {
  return {
    shopMoney: money(convertMinor(presentmentMinor, record.presentmentCurrencyCode, record.currencyCode, record.exchangeRate), record.currencyCode),
    presentmentMoney: money(presentmentMinor, record.presentmentCurrencyCode),
  };
}
