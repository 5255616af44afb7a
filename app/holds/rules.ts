// The shop's risk rules as a pure function: given what we know about a payment, the shop's rules and
// its allow/deny lists, which rules fire (with the values that made them fire) and what to do.
// No I/O here, so every rule is tested as a table (rules.test.ts).

export type ListName = "allow" | "deny";
export type ListKind = "email" | "card_fingerprint" | "bin" | "customer";

export const LIST_KINDS: readonly ListKind[] = ["email", "card_fingerprint", "bin", "customer"];

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
  | "deny_customer"
  | "velocity_payments"
  | "velocity_cards"
  | "avs_no_match"
  | "cvv_no_match"
  | "three_ds"
  | "prior_chargeback"
  | "prior_refund"
  /** Not a rule of the shop's: the issuer's fraud report or retrieval request (app/holds/early-warnings.server.ts). */
  | "early_warning";

export interface RuleHit {
  rule: RuleId;
  /** The payment's value that made the rule fire. */
  value: string | number | boolean;
  /** What it was compared with (threshold, the other country, the list entry). */
  threshold?: string | number;
  /** Whose history it counted (velocity, history): e.g. "email ada@example.com". */
  subject?: string;
  /** The velocity window, in hours. */
  hours?: number;
}

/** The 3-D Secure outcomes a rule can hold on (a payment without 3-D Secure has none). */
export const THREE_DS_OUTCOMES = ["failed", "attempted", "not_enrolled", "unavailable"] as const;
export type ThreeDsOutcome = (typeof THREE_DS_OUTCOMES)[number] | "authenticated";

export const THREE_DS_LABELS: Record<ThreeDsOutcome, string> = {
  authenticated: "authenticated",
  failed: "failed or rejected",
  attempted: "attempted (the issuer did not take part)",
  not_enrolled: "card not enrolled",
  unavailable: "unavailable",
};

/** Whose recent payments the velocity rules count. */
export type VelocitySubject = "email" | "card" | "ip";

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
  /** Currency code -> minor units: an early warning on a payment up to this is refunded at once. */
  earlyWarningRefundUpTo: Record<string, number>;
  velocity: { hours: number; maxPayments: number | null; maxCards: number | null };
  holdOnAvsNoMatch: boolean;
  holdOnCvvNoMatch: boolean;
  holdOn3dsOutcomes: ThreeDsOutcome[];
  holdOnPriorChargeback: boolean;
  holdOnPriorRefund: boolean;
  /** A deny-list hit cancels the unshipped order at once (refund or void), not only holds it. */
  cancelOnDenyListHit: boolean;
  /** The merchant ships within `hours` of the order (null: no promise); the queue warns `warningHours` before. */
  shipBy: { hours: number | null; warningHours: number };
}

/** Whether any rule needs the customer's history (counted in SQL only then). */
export const needsHistory = (rules: RiskRulesConfig) =>
  rules.enabled && (rules.velocity.maxPayments !== null || rules.velocity.maxCards !== null || rules.holdOnPriorChargeback || rules.holdOnPriorRefund);

/** What this shop's own records say about the payment's customer (app/holds/history.server.ts). */
export interface RiskHistory {
  /** Payments (this one included) in the velocity window, per subject; absent when the payment lacks it. */
  payments: Partial<Record<VelocitySubject, { value: string; count: number; cards: number }>>;
  /** Earlier payments of this email or card that were disputed, or refunded. */
  priorChargebacks: number;
  priorRefunds: number;
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
  /** Checkout.com's AVS and CVV result codes. */
  avsCheck: string | null;
  cvvCheck: string | null;
  threeDs: ThreeDsOutcome | null;
  /** Counted only when a rule needs it (`needsHistory`). */
  history: RiskHistory | null;
}

export type RiskDecision =
  | { action: "none"; hits: [] }
  /** Rules fired but an allow-list entry overrides them. */
  | { action: "allow"; hits: RuleHit[]; allowedBy: ListEntryValue }
  | { action: "hold" | "monitor"; hits: RuleHit[] };

/**
 * The 3-D Secure outcome of Checkout.com's `3ds` object: `authentication_response` Y (authenticated),
 * A (attempted), N or R (failed, rejected), U (unavailable); `enrolled` N (card not enrolled) or U.
 */
export function threeDsOutcome(threeDs: Record<string, unknown> | null): ThreeDsOutcome | null {
  if (!threeDs) return null;
  const code = (key: string) => (typeof threeDs[key] === "string" ? (threeDs[key] as string).trim().toUpperCase() : null);
  const enrolled = code("enrolled");
  const response = code("authentication_response");
  if (enrolled === "N") return "not_enrolled";
  if (response === "Y") return "authenticated";
  if (response === "A") return "attempted";
  if (response === "N" || response === "R") return "failed";
  if (response === "U" || enrolled === "U") return "unavailable";
  return null;
}

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

/** Whether one of the hits is a deny-list entry (the "cancel on a deny-list hit" rule acts on those). */
export const hitsDenyList = (hits: readonly RuleHit[]) => hits.some((hit) => (Object.values(DENY_RULE) as string[]).includes(hit.rule));

const upper = (v: string | null) => (v ? v.trim().toUpperCase() : null);

function countryHit(rule: RuleId, value: string | null, shipping: string | null): RuleHit[] {
  const a = upper(value);
  const b = upper(shipping);
  return a && b && a !== b ? [{ rule, value: a, threshold: b }] : [];
}

/** Checkout.com's AVS "N": neither the street address nor the postcode matched the issuer's. */
const AVS_NO_MATCH = new Set(["N"]);
/** CVV "N": the security code did not match. */
const CVV_NO_MATCH = new Set(["N"]);

function cardCheckHits(facts: PaymentRiskFacts, rules: RiskRulesConfig): RuleHit[] {
  const hits: RuleHit[] = [];
  const avs = upper(facts.avsCheck);
  const cvv = upper(facts.cvvCheck);
  if (rules.holdOnAvsNoMatch && avs && AVS_NO_MATCH.has(avs)) hits.push({ rule: "avs_no_match", value: avs });
  if (rules.holdOnCvvNoMatch && cvv && CVV_NO_MATCH.has(cvv)) hits.push({ rule: "cvv_no_match", value: cvv });
  if (facts.threeDs && rules.holdOn3dsOutcomes.includes(facts.threeDs)) hits.push({ rule: "three_ds", value: facts.threeDs });
  return hits;
}

const SUBJECT_LABELS: Record<VelocitySubject, string> = { email: "email", card: "card", ip: "IP address" };

function historyHits(history: RiskHistory | null, rules: RiskRulesConfig): RuleHit[] {
  if (!history) return [];
  const hits: RuleHit[] = [];
  const { hours, maxPayments, maxCards } = rules.velocity;
  for (const [subject, seen] of Object.entries(history.payments) as Array<[VelocitySubject, { value: string; count: number; cards: number }]>) {
    const who = `${SUBJECT_LABELS[subject]} ${subject === "card" ? `${seen.value.slice(0, 12)}…` : seen.value}`;
    if (maxPayments !== null && seen.count > maxPayments)
      hits.push({ rule: "velocity_payments", value: seen.count, threshold: maxPayments, subject: who, hours });
    // Distinct cards make sense for an email or an IP address, not for one card.
    if (maxCards !== null && subject !== "card" && seen.cards > maxCards)
      hits.push({ rule: "velocity_cards", value: seen.cards, threshold: maxCards, subject: who, hours });
  }
  if (rules.holdOnPriorChargeback && history.priorChargebacks > 0) hits.push({ rule: "prior_chargeback", value: history.priorChargebacks });
  if (rules.holdOnPriorRefund && history.priorRefunds > 0) hits.push({ rule: "prior_refund", value: history.priorRefunds });
  return hits;
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
  hits.push(...cardCheckHits(facts, rules), ...historyHits(facts.history, rules));
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
    case "velocity_payments":
      return `${hit.value} payments for ${hit.subject} in ${hit.hours} h (more than ${hit.threshold})`;
    case "velocity_cards":
      return `${hit.value} different cards for ${hit.subject} in ${hit.hours} h (more than ${hit.threshold})`;
    case "avs_no_match":
      return `Address check (AVS ${hit.value}): neither the street address nor the postcode matches the card's`;
    case "cvv_no_match":
      return `Security code check (CVV ${hit.value}): the code does not match the card's`;
    case "three_ds":
      return `3-D Secure ${THREE_DS_LABELS[hit.value as ThreeDsOutcome] ?? String(hit.value)}`;
    case "prior_chargeback":
      return `This email or card disputed ${hit.value === 1 ? "an earlier payment" : `${hit.value} earlier payments`} here`;
    case "prior_refund":
      return `This email or card had ${hit.value === 1 ? "an earlier payment" : `${hit.value} earlier payments`} refunded here`;
    case "early_warning":
      return `${hit.value === "fraud_reported" ? "The issuer reported this payment as fraud" : "The issuer asked for the transaction details (retrieval request), often a dispute's first step"}${hit.threshold ? `: ${hit.threshold}` : ""}`;
  }
}
