// Removing one customer's personal data from texts and JSON the app stores (customers/redact), while
// keeping everything the app needs to keep working: ids, amounts, currencies, statuses, types,
// action ids, rule names, countries. Pure functions; the rows are chosen by customer-data.server.ts.
//
// Two kinds of identifiers:
// - strong ones name this customer wherever they appear (email, Checkout.com customer id, card
//   fingerprint, card source id): a row of the shop containing one is about the customer;
// - weak ones (name, IP address, address lines, phone, the card's last four in context) may be shared
//   with other people, so they are only replaced inside rows already known to be the customer's.

const REDACTED = "[redacted]";

export interface CustomerIdentifiers {
  /** Lowercase. Searched across the shop's rows. */
  strong: string[];
  /** Replaced only inside the customer's rows. */
  weak: string[];
  /** Card fingerprints (any case): their shortened forms (a 12-character prefix in summaries) go too. */
  fingerprints: string[];
}

export const emptyIdentifiers = (): CustomerIdentifiers => ({ strong: [], weak: [], fingerprints: [] });

/** The emails among the strong identifiers (stored lowercased). */
export const emailsOf = (ids: CustomerIdentifiers): string[] => ids.strong.filter((s) => s.includes("@"));

// Shorter values would match unrelated text ("Al", "10"); a value this short is not searched or replaced.
const MIN_STRONG = 6;
const MIN_WEAK = 3;
const FINGERPRINT_PREFIX = 8;

/** Adds a value to the identifiers (trimmed; too short or empty values are ignored). True when new. */
export function addIdentifier(ids: CustomerIdentifiers, kind: "strong" | "weak" | "fingerprint", value: unknown): boolean {
  if (typeof value !== "string" && typeof value !== "number") return false;
  const v = String(value).trim();
  if (kind === "fingerprint") {
    if (v.length < MIN_STRONG || ids.fingerprints.some((f) => f.toLowerCase() === v.toLowerCase())) return false;
    ids.fingerprints.push(v);
    return addIdentifier(ids, "strong", v) || true;
  }
  const list = kind === "strong" ? ids.strong : ids.weak;
  const lower = v.toLowerCase();
  if (v.length < (kind === "strong" ? MIN_STRONG : MIN_WEAK) || list.includes(lower)) return false;
  list.push(lower);
  return true;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// The card's last four digits where a text shows them as such: "•••• 4242", "**** 4242",
// "ending in 4242", "last4 4242", "last four: 4242".
const CARD_LAST4 = /((?:[•*xX]{2,}|\bending(?: in)?|\blast ?(?:4|four)\b:?)\s*)\d{4}\b/gi;

function patternsFor(ids: CustomerIdentifiers, scope: "all" | "strong"): RegExp[] {
  // Longest first, so "ada lovelace" goes before "ada". Weak values only as whole words ("Ada" is not
  // the "ada" in "Canada", 203.0.113.1 not the start of 203.0.113.10).
  const strong = ids.strong.map((v) => ({ v, source: escapeRegExp(v) }));
  const weak =
    scope === "all"
      ? ids.weak.filter((v) => !ids.strong.includes(v)).map((v) => ({ v, source: `(?<![\\p{L}\\p{N}])${escapeRegExp(v)}(?![\\p{L}\\p{N}])` }))
      : [];
  const literal = [...strong, ...weak].sort((a, b) => b.v.length - a.v.length).map((p) => new RegExp(p.source, "giu"));
  const prefixes = ids.fingerprints
    .filter((f) => f.length >= FINGERPRINT_PREFIX)
    .map((f) => new RegExp(`${escapeRegExp(f.slice(0, FINGERPRINT_PREFIX))}[0-9A-Za-z]*`, "giu"));
  return [...literal, ...prefixes];
}

/** Whether a text contains one of the customer's strong identifiers (or a fingerprint's prefix). */
export function mentionsCustomer(text: string | null | undefined, ids: CustomerIdentifiers): boolean {
  if (!text) return false;
  return patternsFor(ids, "strong").some((p) => p.test(text));
}

/**
 * The text with every identifier of the customer replaced by "[redacted]", and a card's last four
 * digits wherever the text shows them as such. For the customer's rows only (see above).
 */
export function scrubText(text: string, ids: CustomerIdentifiers): string {
  let out = text;
  for (const pattern of patternsFor(ids, "all")) out = out.replace(pattern, REDACTED);
  return out.replace(CARD_LAST4, `$1${REDACTED}`);
}

export function scrubNullableText(text: string | null, ids: CustomerIdentifiers): string | null {
  return text === null ? null : scrubText(text, ids);
}

// Keys whose values are personal data wherever they appear (Checkout.com payloads: customer, source,
// billing_address, shipping, payment_ip, phone; the app's own details use camelCase). Compared
// lowercased with "_" and "-" removed. `customer` is Checkout.com's customer object (id, email, name).
const PERSONAL_KEYS = new Set([
  "email",
  "emailaddress",
  "customeremail",
  "customer",
  "customername",
  "name",
  "firstname",
  "lastname",
  "fullname",
  "cardholdername",
  "billingname",
  "phone",
  "phonenumber",
  "mobile",
  "address",
  "addressline1",
  "addressline2",
  "address1",
  "address2",
  "city",
  "zip",
  "postcode",
  "postalcode",
  "ip",
  "ipaddress",
  "paymentip",
  "fingerprint",
  "cardfingerprint",
  "last4",
  "cardlast4",
  "bin",
  "cardbin",
  "expirymonth",
  "expiryyear",
  "xid",
  "cryptogram",
  "ckocustomerid",
]);

const isPersonalKey = (key: string) => PERSONAL_KEYS.has(key.toLowerCase().replace(/[_-]/g, ""));

/**
 * JSON with the customer's personal data taken out: keys that hold personal data are dropped (every
 * field Checkout.com and the app read from them is optional), other strings are scrubbed. Structure,
 * ids, amounts and types stay. An object under `address` keeps only its country.
 */
export function scrubJson(value: unknown, ids: CustomerIdentifiers): unknown {
  if (typeof value === "string") return scrubText(value, ids);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, ids));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (isPersonalKey(key)) {
        // Shipping and billing addresses keep their country (the risk rules and screens use it).
        if (key.toLowerCase() === "address" && v && typeof v === "object" && "country" in v) out[key] = { country: (v as { country: unknown }).country };
        continue;
      }
      out[key] = scrubJson(v, ids);
    }
    return out;
  }
  return value;
}

/** A stored JSON column scrubbed; text that is not JSON is scrubbed as text. */
export function scrubJsonText(text: string, ids: CustomerIdentifiers): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return scrubText(text, ids);
  }
  return JSON.stringify(scrubJson(parsed, ids));
}

/**
 * A raw webhook payload with the customer taken out, marked `personal_data_removed: true` when
 * anything changed. Not `redacted: true`: the worker skips events so marked (the stubs earlier
 * versions wrote), while a payload scrubbed here still carries everything processing needs, so an
 * event still pending, or replayed from the Events screen, is applied (with no personal data).
 */
export function scrubPayload(payload: string, ids: CustomerIdentifiers): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return scrubText(payload, ids);
  }
  const scrubbed = scrubJson(parsed, ids);
  if (JSON.stringify(scrubbed) === JSON.stringify(parsed)) return payload;
  return JSON.stringify(scrubbed && typeof scrubbed === "object" && !Array.isArray(scrubbed) ? { ...scrubbed, personal_data_removed: true } : scrubbed);
}

/** The identifiers a Checkout.com payload (or part of one) carries about its customer. */
export function identifiersInPayload(value: unknown, ids: CustomerIdentifiers): void {
  const visit = (v: unknown, key: string | null, parent: string | null) => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, key, parent));
    if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) visit(x, k.toLowerCase().replace(/[_-]/g, ""), key);
      return;
    }
    if (typeof v !== "string" && typeof v !== "number") return;
    const s = String(v);
    switch (key) {
      case "email":
      case "customeremail":
        return void addIdentifier(ids, "strong", s);
      case "fingerprint":
      case "cardfingerprint":
        return void addIdentifier(ids, "fingerprint", s);
      case "id":
        if (parent === "customer" || s.startsWith("cus_")) addIdentifier(ids, "strong", s);
        if (parent === "source" && s.startsWith("src_")) addIdentifier(ids, "strong", s);
        return;
      case "name":
      case "customername":
      case "firstname":
      case "lastname":
      case "cardholdername":
      case "addressline1":
      case "addressline2":
      case "address1":
      case "address2":
      case "paymentip":
      case "ipaddress":
        return void addIdentifier(ids, "weak", s);
      case "number":
        if (parent === "phone") addIdentifier(ids, "weak", s);
        return;
      case "phone":
        return void addIdentifier(ids, "weak", s);
      default:
        return;
    }
  };
  visit(value, null, null);
}
