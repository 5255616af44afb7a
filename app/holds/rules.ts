// The shop's risk rules as a pure function: given what we know about a payment, the shop's rules and
// its allow/deny lists, which rules fire (with the values that made them fire) and what to do.
// No I/O here, so every rule is tested as a table (rules.test.ts).

export type ListName = "allow" | "deny";
export type ListKind = "email" | "card_fingerprint" | "bin" | "customer";

export const LIST_KINDS: readonly ListKind[] = ["email", "card_fingerprint", "bin", "customer"];

export const LIST_KIND_LABELS: Record<ListKind, string> = {
  email: "Email",
  card_fingerprint: "Card fingerprint",
  bin: "Card BIN",
  customer: "Checkout.com customer",
};

export type RuleId =
  | "flagged"
  | "risk_score"
  | "amount"
  | "billing_shipping_country"
  | "ip_country"
  | "card_country"
  | "deny_email"
  | "deny_card_fingerprint"
  | "deny_bin"
  | "deny_customer";

export interface RuleHit {
  rule: RuleId;
  /** The payment's value that made the rule fire. */
  value: string | number | boolean;
  /** What it was compared with (threshold, the other country, the list entry). */
  threshold?: string | number;
}

export interface RiskRulesConfig {
  enabled: boolean;
  monitorOnly: boolean;
  holdOnFlagged: boolean;
  scoreThreshold: number | null;
  /** Currency code -> minor units. */
  amountThresholds: Record<string, number>;
  holdOnCountryMismatch: boolean;
  holdOnIpCountryMismatch: boolean;
  holdOnCardCountryMismatch: boolean;
}

export interface ListEntryValue {
  list: ListName;
  kind: ListKind;
  value: string;
}

/** What the rules look at; null = not known (a rule that needs it cannot fire). */
export interface PaymentRiskFacts {
  amount: number;
  currency: string;
  riskFlagged: boolean;
  riskScore: number | null;
  customerEmail: string | null;
  ckoCustomerId: string | null;
  cardFingerprint: string | null;
  cardBin: string | null;
  cardCountry: string | null;
  billingCountry: string | null;
  shippingCountry: string | null;
  /** Country of the payment's IP address, when someone told us (Checkout.com does not). */
  ipCountry: string | null;
}

export type RiskDecision =
  | { action: "none"; hits: [] }
  /** Rules fired but an allow-list entry overrides them. */
  | { action: "allow"; hits: RuleHit[]; allowedBy: ListEntryValue }
  | { action: "hold" | "monitor"; hits: RuleHit[] };

/** The canonical form a list value is stored and compared in. */
export function normalizeListValue(kind: ListKind, value: string): string {
  const v = value.trim();
  switch (kind) {
    case "email":
      return v.toLowerCase();
    case "card_fingerprint":
      return v.toUpperCase();
    case "bin":
      return v.replace(/\s/g, "");
    case "customer":
      return v;
  }
}

/** The payment's value for each list kind, normalised. */
function listValues(facts: PaymentRiskFacts): Record<ListKind, string | null> {
  const norm = (kind: ListKind, v: string | null) => (v ? normalizeListValue(kind, v) : null);
  return {
    email: norm("email", facts.customerEmail),
    card_fingerprint: norm("card_fingerprint", facts.cardFingerprint),
    bin: norm("bin", facts.cardBin),
    customer: norm("customer", facts.ckoCustomerId),
  };
}

/** A BIN entry (6 or 8 digits) covers every card whose BIN starts with it. */
function entryMatches(entry: ListEntryValue, value: string | null): boolean {
  if (!value) return false;
  const wanted = normalizeListValue(entry.kind, entry.value);
  return entry.kind === "bin" ? value.startsWith(wanted) : value === wanted;
}

const DENY_RULE: Record<ListKind, RuleId> = {
  email: "deny_email",
  card_fingerprint: "deny_card_fingerprint",
  bin: "deny_bin",
  customer: "deny_customer",
};

const upper = (v: string | null) => (v ? v.trim().toUpperCase() : null);

function countryHit(rule: RuleId, value: string | null, shipping: string | null): RuleHit[] {
  const a = upper(value);
  const b = upper(shipping);
  return a && b && a !== b ? [{ rule, value: a, threshold: b }] : [];
}

export function firedRules(facts: PaymentRiskFacts, rules: RiskRulesConfig, entries: ListEntryValue[]): RuleHit[] {
  const hits: RuleHit[] = [];
  if (rules.holdOnFlagged && facts.riskFlagged) hits.push({ rule: "flagged", value: true });
  if (rules.scoreThreshold !== null && facts.riskScore !== null && facts.riskScore >= rules.scoreThreshold) {
    hits.push({ rule: "risk_score", value: facts.riskScore, threshold: rules.scoreThreshold });
  }
  const amountThreshold = rules.amountThresholds[facts.currency.toUpperCase()];
  if (amountThreshold !== undefined && facts.amount >= amountThreshold) {
    hits.push({ rule: "amount", value: facts.amount, threshold: amountThreshold });
  }
  if (rules.holdOnCountryMismatch) hits.push(...countryHit("billing_shipping_country", facts.billingCountry, facts.shippingCountry));
  if (rules.holdOnIpCountryMismatch) hits.push(...countryHit("ip_country", facts.ipCountry, facts.shippingCountry));
  if (rules.holdOnCardCountryMismatch) hits.push(...countryHit("card_country", facts.cardCountry, facts.shippingCountry));
  const values = listValues(facts);
  for (const entry of entries) {
    if (entry.list === "deny" && entryMatches(entry, values[entry.kind])) {
      hits.push({ rule: DENY_RULE[entry.kind], value: values[entry.kind]!, threshold: normalizeListValue(entry.kind, entry.value) });
    }
  }
  return hits;
}

/** The decision for one payment. The allow list wins over every rule, deny lists included. */
export function evaluateRisk(facts: PaymentRiskFacts, rules: RiskRulesConfig, entries: ListEntryValue[]): RiskDecision {
  if (!rules.enabled) return { action: "none", hits: [] };
  const hits = firedRules(facts, rules, entries);
  if (hits.length === 0) return { action: "none", hits: [] };
  const values = listValues(facts);
  const allowedBy = entries.find((e) => e.list === "allow" && entryMatches(e, values[e.kind]));
  if (allowedBy) return { action: "allow", hits, allowedBy };
  return { action: rules.monitorOnly ? "monitor" : "hold", hits };
}

/** One line per hit, for people (review queue, Shopify notes and risk facts). */
export function describeHit(hit: RuleHit, formatAmount: (minor: number) => string): string {
  switch (hit.rule) {
    case "flagged":
      return "Checkout.com flagged the payment as risky";
    case "risk_score":
      return `Risk score ${hit.value} is at or above ${hit.threshold}`;
    case "amount":
      return `Amount ${formatAmount(Number(hit.value))} is at or above ${formatAmount(Number(hit.threshold))}`;
    case "billing_shipping_country":
      return `Billing country ${hit.value} differs from shipping country ${hit.threshold}`;
    case "ip_country":
      return `IP country ${hit.value} differs from shipping country ${hit.threshold}`;
    case "card_country":
      return `Card issuing country ${hit.value} differs from shipping country ${hit.threshold}`;
    case "deny_email":
      return `Email ${hit.value} is on the deny list`;
    case "deny_card_fingerprint":
      return `Card fingerprint ${String(hit.value).slice(0, 12)}… is on the deny list`;
    case "deny_bin":
      return `Card BIN ${hit.value} is on the deny list (entry ${hit.threshold})`;
    case "deny_customer":
      return `Checkout.com customer ${hit.value} is on the deny list`;
  }
}
