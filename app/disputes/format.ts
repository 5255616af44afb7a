// Money, addresses and card checks in words for evidence (dates: lib/dates.ts).
import { formatMoney } from "../lib/money";
import type { Address, Money } from "./model";

export const money = (m: Money) => formatMoney(m.amount, m.currency);

export function addressLine(a: Address): string {
  return [a.name, a.company, ...a.lines, a.country].filter((part) => part && part.trim()).join(", ");
}

/** Same place: the street lines and country agree, ignoring case, spacing and punctuation. */
export function sameAddress(a: Address | null, b: Address | null): boolean {
  if (!a || !b) return false;
  const key = (x: Address) =>
    [...x.lines, x.country ?? ""]
      .join("|")
      .toLowerCase()
      .replace(/[^a-z0-9|]/g, "");
  return key(a) === key(b);
}

export function cardDescription(scheme: string | null, last4: string | null): string | null {
  if (!last4) return scheme;
  return `${scheme ?? "card"} ending ${last4}`;
}

// AVS and CVV result codes as Checkout.com and the schemes report them. Only results that support
// the merchant are described; anything else returns null and is left out of the evidence.
const AVS_MATCHES: Record<string, string> = {
  Y: "street address and postcode match the card issuer's records",
  X: "street address and 9-digit postcode match the card issuer's records",
  D: "street address and postcode match the card issuer's records",
  F: "street address and postcode match the card issuer's records",
  M: "street address and postcode match the card issuer's records",
  A: "street address matches the card issuer's records",
  B: "street address matches the card issuer's records",
  Z: "postcode matches the card issuer's records",
  W: "9-digit postcode matches the card issuer's records",
  P: "postcode matches the card issuer's records",
};

export function avsMatch(code: string | null): string | null {
  return code ? (AVS_MATCHES[code.trim().toUpperCase()] ?? null) : null;
}

export function cvvMatched(code: string | null): boolean {
  return code?.trim().toUpperCase() === "Y" || code?.trim().toUpperCase() === "M";
}
