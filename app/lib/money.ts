// Amounts are stored in minor units (Checkout.com's convention); this turns them into words.
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
