// Decimal amounts (Shopify's "65.40", a threshold typed as "1000") to minor units, without floats.
import { currencyDigits } from "../lib/money";

/** Minor units of `amount` in `currency`, or a reason it is not an amount of that currency. */
export function decimalToMinor(amount: string, currency: string): { ok: true; minor: number } | { ok: false; message: string } {
  const digits = currencyDigits(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) return { ok: false, message: "Write the amount as a plain number, like 1000.00." };
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > digits)
    return { ok: false, message: digits === 0 ? `${currency} has no decimal places.` : `${currency} has ${digits} decimal places.` };
  const minor = Number(match[1] + fraction.padEnd(digits, "0"));
  return Number.isSafeInteger(minor) ? { ok: true, minor } : { ok: false, message: "That amount is too large." };
}

/** "1000.00" for (100000, "USD"): the form `decimalToMinor` reads back. */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(Math.abs(minor)).padStart(digits + 1, "0");
  return `${minor < 0 ? "-" : ""}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
