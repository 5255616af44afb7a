// Checkout.com response codes in words. 10000 approves, 10100 approves with a risk flag; declines
// come in three classes that tell the merchant what to do next:
//   20xxx soft: the issuer said no for now; the customer may retry or use another card.
//   30xxx hard: the card cannot be used; retrying will not help.
//   40xxx risk: Checkout.com's risk engine or the merchant's own lists blocked it (40101 Fraud Detection).
export type DeclineClass = "soft" | "hard" | "risk";

export interface ResponseClassification {
  approved: boolean;
  declineClass: DeclineClass | null;
  /** A short reason for people. */
  reason: string;
}

// The common codes, from Checkout.com's response code reference.
const REASONS: Record<string, string> = {
  "10000": "Approved",
  "10100": "Approved, flagged by risk checks",
  "20001": "Refer to card issuer",
  "20002": "Refer to card issuer (special conditions)",
  "20003": "Invalid merchant or service provider",
  "20005": "Declined by the issuer (do not honour)",
  "20006": "Issuer error",
  "20012": "Invalid transaction",
  "20013": "Invalid amount",
  "20014": "Invalid card number",
  "20046": "Closed account",
  "20051": "Insufficient funds",
  "20054": "Expired card",
  "20055": "Incorrect PIN",
  "20057": "Transaction not permitted to the cardholder",
  "20058": "Transaction not permitted to the terminal",
  "20059": "Suspected fraud (issuer)",
  "20061": "Withdrawal amount limit exceeded",
  "20062": "Restricted card",
  "20063": "Security violation",
  "20065": "Activity count limit exceeded",
  "20068": "The issuer answered too late",
  "20075": "Too many PIN attempts",
  "20082": "CVV check failed",
  "20087": "Invalid CVV or expiry date",
  "20091": "Issuer unavailable",
  "20093": "Transaction cannot be completed (violation of law)",
  "20150": "Card not enrolled in 3-D Secure",
  "20151": "Cardholder failed 3-D Secure authentication",
  "20153": "3-D Secure system error",
  "20154": "3-D Secure authentication required",
  "30004": "Pick up card (no fraud)",
  "30007": "Pick up card (special conditions)",
  "30015": "No such issuer",
  "30033": "Expired card (pick up)",
  "30034": "Suspected fraud (pick up)",
  "30036": "Restricted card (pick up)",
  "30038": "Too many PIN attempts (pick up)",
  "30041": "Lost card",
  "30043": "Stolen card",
  "30046": "Closed account",
  "40101": "Blocked by Fraud Detection",
  "40201": "Card number is on a block list",
  "40202": "IP address is on a block list",
  "40203": "Email address is on a block list",
  "40204": "Phone number is on a block list",
  "40205": "Card BIN is on a block list",
};

/**
 * What the customer can do about a soft decline, in plain words for them (the decline-recovery Flow
 * trigger sends these to the merchant's recovery email). Hard and risk declines get none: no recovery
 * message is sent for them.
 */
export type DeclineSuggestion = "retry" | "another_card" | "contact_bank";

export const SUGGESTION_WORDS: Record<DeclineSuggestion, string> = {
  retry: "Please try again in a few minutes, checking the card details as you enter them: the decline looks temporary.",
  another_card: "Please use another card or payment method: this card cannot pay for the order right now.",
  contact_bank: "Please contact your bank to allow the payment, or use another card.",
};

// Soft codes by what helps, beside their reasons above; any other soft code is worth a retry (the
// issuer or 3-D Secure failed for now, or the details were mistyped).
const SUGGESTION_CODES: Record<Exclude<DeclineSuggestion, "retry">, readonly string[]> = {
  another_card: ["20003", "20012", "20014", "20046", "20051", "20054", "20058", "20150"],
  contact_bank: ["20001", "20002", "20005", "20057", "20059", "20061", "20062", "20063", "20065", "20075", "20093"],
};

const CLASS_BY_PREFIX: Record<string, DeclineClass> = { "2": "soft", "3": "hard", "4": "risk" };

const FALLBACK: Record<DeclineClass, string> = {
  soft: "Declined by the issuer; a retry may succeed",
  hard: "Declined by the issuer; this card cannot be used",
  risk: "Blocked by risk checks",
};

export const DECLINE_CLASS_ADVICE: Record<DeclineClass, string> = {
  soft: "soft decline: the customer may retry",
  hard: "hard decline: retrying will not help",
  risk: "risk decline: blocked before reaching the issuer",
};

/**
 * Where a response's reason comes from: a code this module knows (`REASONS`), its decline class when
 * the code is not known, Checkout.com's own summary, or nothing ("Approved" / "Declined"). The admin
 * translates these; `classifyResponse` says them in English.
 */
export type ReasonSource =
  { kind: "code"; code: string } | { kind: "class"; declineClass: DeclineClass } | { kind: "summary"; summary: string } | { kind: "none"; approved: boolean };

export interface ResponseExplanation {
  approved: boolean;
  declineClass: DeclineClass | null;
  reason: ReasonSource;
}

const knownCode = (code: string) => Object.hasOwn(REASONS, code);

/** Classifies a Checkout.com response code without putting it in words (see `classifyResponse`). */
export function explainResponse(code: string | null | undefined, summary?: string | null): ResponseExplanation {
  const normalized = (code ?? "").trim();
  const fromSummary = (approved: boolean): ReasonSource =>
    summary !== null && summary !== undefined ? { kind: "summary", summary } : { kind: "none", approved };
  if (/^10\d{3}$/.test(normalized)) {
    return { approved: true, declineClass: null, reason: knownCode(normalized) ? { kind: "code", code: normalized } : fromSummary(true) };
  }
  const declineClass = /^\d{5}$/.test(normalized) ? (CLASS_BY_PREFIX[normalized[0]] ?? null) : null;
  const reason: ReasonSource = knownCode(normalized) ? { kind: "code", code: normalized } : declineClass ? { kind: "class", declineClass } : fromSummary(false);
  return { approved: false, declineClass, reason };
}

function reasonInEnglish(reason: ReasonSource): string {
  switch (reason.kind) {
    case "code":
      return REASONS[reason.code];
    case "class":
      return FALLBACK[reason.declineClass];
    case "summary":
      return reason.summary;
    case "none":
      return reason.approved ? "Approved" : "Declined";
  }
}

/** Classifies a Checkout.com response code; unknown codes fall back to their class. */
export function classifyResponse(code: string | null | undefined, summary?: string | null): ResponseClassification {
  const { approved, declineClass, reason } = explainResponse(code, summary);
  return { approved, declineClass, reason: reasonInEnglish(reason) };
}

/** What to suggest to the customer after a decline: only soft declines have a suggestion. */
export function declineSuggestion(code: string | null | undefined): DeclineSuggestion | null {
  if (explainResponse(code).declineClass !== "soft") return null;
  const normalized = (code ?? "").trim();
  if (SUGGESTION_CODES.another_card.includes(normalized)) return "another_card";
  if (SUGGESTION_CODES.contact_bank.includes(normalized)) return "contact_bank";
  return "retry";
}

/** "Insufficient funds (20051, soft decline: the customer may retry)" */
export function describeDecline(code: string | null | undefined, summary?: string | null): string {
  const c = classifyResponse(code, summary);
  const parts = [code, c.declineClass ? DECLINE_CLASS_ADVICE[c.declineClass] : null].filter(Boolean);
  return parts.length ? `${c.reason} (${parts.join(", ")})` : c.reason;
}

/** A message of the admin's `payments` namespace. */
export type PaymentsText = (key: string, values?: Record<string, string | number>) => string;

export const isDeclineClass = (value: string | null | undefined): value is DeclineClass => value === "soft" || value === "hard" || value === "risk";

/**
 * Where a response's reason comes from, in words: keys `decline.reason.<code>`, `decline.fallback.<class>`,
 * `decline.approved` and `decline.declined` of `t`'s messages (the admin's `payments` namespace and the
 * order block's locales both have them). Checkout.com's own summary stays as it came.
 */
export function reasonText(t: PaymentsText, reason: ReasonSource): string {
  switch (reason.kind) {
    case "code":
      return t(`decline.reason.${reason.code}`);
    case "class":
      return t(`decline.fallback.${reason.declineClass}`);
    case "summary":
      return reason.summary;
    case "none":
      return t(reason.approved ? "decline.approved" : "decline.declined");
  }
}

/** A response's reason in the admin's language: `classifyResponse(...).reason`, translated. */
export const responseReasonIn = (t: PaymentsText, code: string | null | undefined, summary?: string | null): string =>
  reasonText(t, explainResponse(code, summary).reason);

/** `describeDecline` in the admin's language. */
export function describeDeclineIn(t: PaymentsText, code: string | null | undefined, summary?: string | null): string {
  const { declineClass } = explainResponse(code, summary);
  const reason = responseReasonIn(t, code, summary);
  const parts = [code, declineClass ? t(`decline.advice.${declineClass}`) : null].filter(Boolean);
  return parts.length ? t("decline.withDetails", { reason, details: parts.join(", ") }) : reason;
}
