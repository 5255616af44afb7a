// Amounts are stored in minor units (Checkout.com's convention). This module turns them into words and
// reads typed or Shopify's decimal amounts back, without floating point. Browser-safe: the admin and
// the Zendesk sidebar (as #app/lib/money) share it.
import type { Words } from "../i18n/locales";

const digitsCache = new Map<string, number>();

/** Decimal places of a currency (2 for USD, 0 for JPY, 3 for KWD); 2 when the code is unknown. */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** "USD 1,065.40" from (106540, "USD"). Integer arithmetic: exact, and much cheaper than toLocaleString. */
export function formatMoney(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const units = Math.trunc(Math.abs(minor) / 10 ** digits);
  const fraction = digits ? `.${String(Math.abs(minor) % 10 ** digits).padStart(digits, "0")}` : "";
  return `${currency} ${minor < 0 ? "-" : ""}${units.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${fraction}`;
}

// A NumberFormat per locale and currency: building one costs far more than formatting with it.
const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * An amount for a person reading `locale` ("de": "1.065,40 $", "fr": "1 065,40 $US", "en": "$1,065.40"):
 * Intl with the currency's own minor units, fed the exact decimal text rather than a float.
 */
export function formatMoneyIn(locale: string, minor: number, currency: string): string {
  const key = `${locale}:${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      const digits = currencyDigits(currency);
      format = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      // Not an ISO 4217 code this runtime knows: the code and the plain amount.
      return formatMoney(minor, currency);
    }
    moneyFormats.set(key, format);
  }
  return format.format(minorToDecimal(minor, currency) as Intl.StringNumericLiteral);
}

/** The sum of amounts in several currencies, one total per currency: "EUR 45.00 + USD 120.00". */
export function formatTotals(
  amounts: ReadonlyArray<{ minor: number; currency: string }>,
  format: (minor: number, currency: string) => string = formatMoney,
): string {
  const sums = new Map<string, number>();
  for (const { minor, currency } of amounts) sums.set(currency, (sums.get(currency) ?? 0) + minor);
  return [...sums.keys()]
    .sort()
    .map((currency) => format(sums.get(currency)!, currency))
    .join(" + ");
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; message: string; words: Words };

/**
 * Minor units of a decimal amount in `currency` ("65.40" from Shopify, "12,34" typed by an agent,
 * "1000" for a threshold), or why it is not one: signs, thousands separators and more decimal places
 * than the currency has are refused. The refusal's `message` is English (settings, the Zendesk API);
 * its `words` say the same in a staff member's language (`say`, app/i18n/i18n.ts), the example amount
 * written with that language's decimal mark.
 */
export function decimalToMinor(amount: string, currency: string): ParsedAmount {
  const digits = currencyDigits(currency);
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(amount.trim());
  if (!match) {
    const fraction = "5".padEnd(digits, "0");
    return digits === 0
      ? { ok: false, message: "Enter the amount as a plain number, like 1200.", words: { key: "money.amount.plainWholeNumber" } }
      : {
          ok: false,
          message: `Enter the amount as a plain number, like 12.${fraction}.`,
          words: { key: "money.amount.plainNumber", values: { whole: "12", fraction } },
        };
  }
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > digits)
    return digits === 0
      ? { ok: false, message: `${currency} has no decimal places.`, words: { key: "money.amount.noDecimals", values: { currency } } }
      : { ok: false, message: `${currency} has ${digits} decimal places.`, words: { key: "money.amount.decimals", values: { currency, count: digits } } };
  const minor = Number(match[1] + fraction.padEnd(digits, "0"));
  return Number.isSafeInteger(minor) ? { ok: true, minor } : { ok: false, message: "That amount is too large.", words: { key: "money.amount.tooLarge" } };
}

/** "1000.00" for (100000, "USD"): the text `decimalToMinor` reads back. */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(Math.abs(minor)).padStart(digits + 1, "0");
  return `${minor < 0 ? "-" : ""}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
