// Reads an amount typed by an agent as minor units, without floating-point arithmetic.
import { currencyDigits } from "../../app/lib/money";

export type ParsedAmount = { ok: true; minor: number } | { ok: false; message: string };

/** "12.34" or "12,34" → 1234 for EUR; refuses signs, thousands separators and extra decimals. */
export function parseAmount(input: string, currency: string): ParsedAmount {
  const digits = currencyDigits(currency);
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(input.trim());
  if (!match) {
    const example = digits === 0 ? "1200" : `12.${"5".padEnd(digits, "0")}`;
    return { ok: false, message: `Enter the amount as a plain number, like ${example}.` };
  }
  const [, whole, fraction = ""] = match;
  if (fraction.length > digits) {
    return { ok: false, message: digits === 0 ? `${currency} has no decimal places.` : `${currency} has at most ${digits} decimal places.` };
  }
  const minor = Number(whole + fraction.padEnd(digits, "0"));
  if (!Number.isSafeInteger(minor)) return { ok: false, message: "That amount is too large." };
  return { ok: true, minor };
}

/** The form's text for an amount in minor units ("32.34" for 3234 EUR). */
export function amountText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}
