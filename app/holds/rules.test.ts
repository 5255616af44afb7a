import { describe, expect, it } from "vitest";
import {
  describeHit,
  evaluateRisk,
  firedRules,
  threeDsOutcome,
  type ListEntryValue,
  type PaymentRiskFacts,
  type RiskHistory,
  type RiskRulesConfig,
} from "./rules";

const OFF: RiskRulesConfig = {
  earlyWarningRefundUpTo: {},
  enabled: true,
  monitorOnly: false,
  holdOnFlagged: false,
  scoreThreshold: null,
  amountThresholds: {},
  holdOnCountryMismatch: false,
  holdOnIpCountryMismatch: false,
  holdOnCardCountryMismatch: false,
  velocity: { hours: 24, maxPayments: null, maxCards: null },
  holdOnAvsNoMatch: false,
  holdOnCvvNoMatch: false,
  holdOn3dsOutcomes: [],
  holdOnPriorChargeback: false,
  holdOnPriorRefund: false,
  cancelOnDenyListHit: false,
  shipBy: { hours: null, warningHours: 4 },
};

const CLEAN: PaymentRiskFacts = {
  amount: 6540,
  currency: "USD",
  riskFlagged: false,
  riskScore: 12,
  customerEmail: "ada@example.com",
  ckoCustomerId: "cus_abcdefghijklmnop",
  cardFingerprint: "F31828E2BDABAE63EB694903825CDD36",
  cardBin: "42424242",
  cardCountry: "US",
  billingCountry: "US",
  shippingCountry: "US",
  ipCountry: null,
  avsCheck: "Y",
  cvvCheck: "Y",
  threeDs: "authenticated",
  history: null,
};

/** The customer's history: payments per subject in the window, earlier disputes and refunds. */
const seen = (payments: RiskHistory["payments"], prior: Partial<Omit<RiskHistory, "payments">> = {}): Partial<PaymentRiskFacts> => ({
  history: { payments, priorChargebacks: prior.priorChargebacks ?? 0, priorRefunds: prior.priorRefunds ?? 0 },
});
const EMAIL = "ada@example.com";
const CARD = "F31828E2BDABAE63EB694903825CDD36";
const velocity = (maxPayments: number | null, maxCards: number | null) => ({ velocity: { hours: 6, maxPayments, maxCards } });

const deny = (kind: ListEntryValue["kind"], value: string): ListEntryValue => ({ list: "deny", kind, value });
const allow = (kind: ListEntryValue["kind"], value: string): ListEntryValue => ({ list: "allow", kind, value });

// [what, rules, facts, entries, expected hits]
const TABLE: Array<[string, Partial<RiskRulesConfig>, Partial<PaymentRiskFacts>, ListEntryValue[], unknown[]]> = [
  ["flagged payment", { holdOnFlagged: true }, { riskFlagged: true }, [], [{ rule: "flagged", value: true }]],
  ["flagged but rule off", {}, { riskFlagged: true }, [], []],
  ["unflagged payment", { holdOnFlagged: true }, {}, [], []],
  ["score at threshold", { scoreThreshold: 70 }, { riskScore: 70 }, [], [{ rule: "risk_score", value: 70, threshold: 70 }]],
  ["score above threshold", { scoreThreshold: 70 }, { riskScore: 95 }, [], [{ rule: "risk_score", value: 95, threshold: 70 }]],
  ["score below threshold", { scoreThreshold: 70 }, { riskScore: 69 }, [], []],
  ["score unknown", { scoreThreshold: 0 }, { riskScore: null }, [], []],
  ["amount at threshold", { amountThresholds: { USD: 6540 } }, {}, [], [{ rule: "amount", value: 6540, threshold: 6540 }]],
  ["amount below threshold", { amountThresholds: { USD: 6541 } }, {}, [], []],
  ["threshold in another currency", { amountThresholds: { EUR: 100 } }, {}, [], []],
  ["currency case", { amountThresholds: { JPY: 10000 } }, { currency: "jpy", amount: 12000 }, [], [{ rule: "amount", value: 12000, threshold: 10000 }]],
  [
    "billing vs shipping differ",
    { holdOnCountryMismatch: true },
    { billingCountry: "GB", shippingCountry: "US" },
    [],
    [{ rule: "billing_shipping_country", value: "GB", threshold: "US" }],
  ],
  ["billing vs shipping same (case)", { holdOnCountryMismatch: true }, { billingCountry: "us" }, [], []],
  ["billing unknown", { holdOnCountryMismatch: true }, { billingCountry: null, shippingCountry: "US" }, [], []],
  ["country differs but rule off", {}, { billingCountry: "GB" }, [], []],
  ["IP country differs", { holdOnIpCountryMismatch: true }, { ipCountry: "NG" }, [], [{ rule: "ip_country", value: "NG", threshold: "US" }]],
  ["IP country unknown cannot fire", { holdOnIpCountryMismatch: true }, { ipCountry: null }, [], []],
  ["card country differs", { holdOnCardCountryMismatch: true }, { cardCountry: "BR" }, [], [{ rule: "card_country", value: "BR", threshold: "US" }]],
  ["no shipping country", { holdOnCardCountryMismatch: true }, { cardCountry: "BR", shippingCountry: null }, [], []],
  [
    "denied email (case-insensitive)",
    {},
    {},
    [deny("email", " ADA@example.com ")],
    [{ rule: "deny_email", value: "ada@example.com", threshold: "ada@example.com" }],
  ],
  [
    "denied card fingerprint",
    {},
    {},
    [deny("card_fingerprint", "f31828e2bdabae63eb694903825cdd36")],
    [{ rule: "deny_card_fingerprint", value: "F31828E2BDABAE63EB694903825CDD36", threshold: "F31828E2BDABAE63EB694903825CDD36" }],
  ],
  ["denied 6-digit BIN covers an 8-digit BIN", {}, {}, [deny("bin", "424242")], [{ rule: "deny_bin", value: "42424242", threshold: "424242" }]],
  ["other BIN", {}, {}, [deny("bin", "555555")], []],
  [
    "denied customer",
    {},
    {},
    [deny("customer", "cus_abcdefghijklmnop")],
    [{ rule: "deny_customer", value: "cus_abcdefghijklmnop", threshold: "cus_abcdefghijklmnop" }],
  ],
  ["allow-list entries are not hits", {}, {}, [allow("email", "ada@example.com")], []],
  ["deny entry for a value the payment lacks", {}, { customerEmail: null }, [deny("email", "ada@example.com")], []],
  [
    "more payments for one email than allowed",
    velocity(3, null),
    seen({ email: { value: EMAIL, count: 4, cards: 1 } }),
    [],
    [{ rule: "velocity_payments", value: 4, threshold: 3, subject: `email ${EMAIL}`, hours: 6 }],
  ],
  ["payments at the limit", velocity(3, null), seen({ email: { value: EMAIL, count: 3, cards: 1 } }), [], []],
  [
    "each subject over the limit fires (card shortened)",
    velocity(1, null),
    seen({ card: { value: CARD, count: 2, cards: 1 }, ip: { value: "203.0.113.10", count: 5, cards: 4 } }),
    [],
    [
      { rule: "velocity_payments", value: 2, threshold: 1, subject: "card F31828E2BDAB…", hours: 6 },
      { rule: "velocity_payments", value: 5, threshold: 1, subject: "IP address 203.0.113.10", hours: 6 },
    ],
  ],
  [
    "more cards for one IP address than allowed",
    velocity(null, 2),
    seen({ ip: { value: "203.0.113.10", count: 3, cards: 3 }, card: { value: CARD, count: 3, cards: 1 } }),
    [],
    [{ rule: "velocity_cards", value: 3, threshold: 2, subject: "IP address 203.0.113.10", hours: 6 }],
  ],
  ["velocity rules off", velocity(null, null), seen({ email: { value: EMAIL, count: 40, cards: 9 } }), [], []],
  ["velocity without history counted", velocity(1, 1), { history: null }, [], []],
  ["AVS no match", { holdOnAvsNoMatch: true }, { avsCheck: "n" }, [], [{ rule: "avs_no_match", value: "N" }]],
  ["AVS partial match does not fire", { holdOnAvsNoMatch: true }, { avsCheck: "Z" }, [], []],
  ["AVS unknown", { holdOnAvsNoMatch: true }, { avsCheck: null }, [], []],
  ["CVV no match", { holdOnCvvNoMatch: true }, { cvvCheck: "N" }, [], [{ rule: "cvv_no_match", value: "N" }]],
  ["CVV no match but rule off", {}, { cvvCheck: "N" }, [], []],
  ["3-D Secure failed", { holdOn3dsOutcomes: ["failed", "not_enrolled"] }, { threeDs: "failed" }, [], [{ rule: "three_ds", value: "failed" }]],
  ["3-D Secure attempted, not chosen", { holdOn3dsOutcomes: ["failed"] }, { threeDs: "attempted" }, [], []],
  ["no 3-D Secure at all", { holdOn3dsOutcomes: ["failed", "attempted", "not_enrolled", "unavailable"] }, { threeDs: null }, [], []],
  ["earlier chargeback", { holdOnPriorChargeback: true }, seen({}, { priorChargebacks: 2 }), [], [{ rule: "prior_chargeback", value: 2 }]],
  ["earlier refund", { holdOnPriorRefund: true }, seen({}, { priorRefunds: 1 }), [], [{ rule: "prior_refund", value: 1 }]],
  ["earlier refund, rule off", { holdOnPriorChargeback: true }, seen({}, { priorRefunds: 1 }), [], []],
  [
    "several rules at once",
    { holdOnFlagged: true, scoreThreshold: 50 },
    { riskFlagged: true, riskScore: 80 },
    [],
    [
      { rule: "flagged", value: true },
      { rule: "risk_score", value: 80, threshold: 50 },
    ],
  ],
];

describe("risk rules", () => {
  it.each(TABLE)("%s", (_what, rules, facts, entries, expected) => {
    expect(firedRules({ ...CLEAN, ...facts }, { ...OFF, ...rules }, entries)).toEqual(expected);
  });
});

describe("risk decision", () => {
  const flagged = { ...CLEAN, riskFlagged: true };
  const holdFlagged = { ...OFF, holdOnFlagged: true };

  it("holds when a rule fires", () => {
    expect(evaluateRisk(flagged, holdFlagged, [])).toEqual({ action: "hold", hits: [{ rule: "flagged", value: true }] });
  });

  it("does nothing when no rule fires", () => {
    expect(evaluateRisk(CLEAN, holdFlagged, [])).toEqual({ action: "none", hits: [] });
  });

  it("records without holding in monitor-only mode", () => {
    expect(evaluateRisk(flagged, { ...holdFlagged, monitorOnly: true }, []).action).toBe("monitor");
  });

  it("does nothing when the rules are turned off, deny lists included", () => {
    expect(evaluateRisk(flagged, { ...holdFlagged, enabled: false }, [deny("email", "ada@example.com")]).action).toBe("none");
  });

  it.each([
    ["email", "Ada@Example.com"],
    ["card_fingerprint", "f31828e2bdabae63eb694903825cdd36"],
    ["bin", "424242"],
    ["customer", "cus_abcdefghijklmnop"],
  ] as const)("the allow list (%s) wins over rules and the deny list", (kind, value) => {
    const decision = evaluateRisk(flagged, holdFlagged, [deny("email", "ada@example.com"), allow(kind, value)]);
    expect(decision.action).toBe("allow");
    expect(decision.hits.map((h) => h.rule)).toEqual(["flagged", "deny_email"]);
  });

  it("an allow entry for someone else does not help", () => {
    expect(evaluateRisk(flagged, holdFlagged, [allow("email", "bob@example.com")]).action).toBe("hold");
  });
});

describe("3-D Secure outcome of Checkout.com's 3ds object", () => {
  it.each([
    [{ enrolled: "Y", authentication_response: "Y" }, "authenticated"],
    [{ enrolled: "Y", authentication_response: "A" }, "attempted"],
    [{ enrolled: "Y", authentication_response: "N" }, "failed"],
    [{ enrolled: "Y", authentication_response: "R" }, "failed"],
    [{ enrolled: "Y", authentication_response: "U" }, "unavailable"],
    [{ enrolled: "U" }, "unavailable"],
    [{ enrolled: "N", downgraded: false }, "not_enrolled"],
    [{ enrolled: "Y" }, null],
    [null, null],
  ])("%j is %s", (threeDs, outcome) => {
    expect(threeDsOutcome(threeDs)).toBe(outcome);
  });
});

describe("rule descriptions (what the hold page says)", () => {
  it.each([
    [
      { rule: "velocity_payments", value: 4, threshold: 3, subject: "email ada@example.com", hours: 6 },
      "4 payments for email ada@example.com in 6 h (more than 3)",
    ],
    [
      { rule: "velocity_cards", value: 3, threshold: 2, subject: "IP address 203.0.113.10", hours: 24 },
      "3 different cards for IP address 203.0.113.10 in 24 h (more than 2)",
    ],
    [{ rule: "three_ds", value: "attempted" }, "3-D Secure attempted (the issuer did not take part)"],
    [{ rule: "prior_chargeback", value: 1 }, "This email or card disputed an earlier payment here"],
    [{ rule: "prior_refund", value: 3 }, "This email or card had 3 earlier payments refunded here"],
  ] as const)("%j", (hit, text) => {
    expect(describeHit(hit, String)).toBe(text);
  });
});
