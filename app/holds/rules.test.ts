import { describe, expect, it } from "vitest";
import { evaluateRisk, firedRules, type ListEntryValue, type PaymentRiskFacts, type RiskRulesConfig } from "./rules";

const OFF: RiskRulesConfig = {
  enabled: true,
  monitorOnly: false,
  holdOnFlagged: false,
  scoreThreshold: null,
  amountThresholds: {},
  holdOnCountryMismatch: false,
  holdOnIpCountryMismatch: false,
  holdOnCardCountryMismatch: false,
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
};

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
