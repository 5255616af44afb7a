// Risk rules → Rules, the rules that look beyond one payment's amount and countries: velocity (the
// customer's recent payments and cards here), the card checks (AVS, CVV, 3-D Secure) and the
// customer's history (earlier chargebacks and refunds).
import { BlockStack, ChoiceList, InlineGrid, Text } from "@shopify/polaris";
import { useState } from "react";
import { THREE_DS_LABELS, THREE_DS_OUTCOMES, type RiskRulesConfig, type ThreeDsOutcome } from "../rules";
import { Field, Toggle } from "./fields";

const optional = (n: number | null) => (n === null ? "" : String(n));

const VELOCITY_FIELDS = [
  {
    name: "velocityMaxPayments",
    label: "Hold after more than this many payments",
    helpText: "Per email, card or IP address. Empty: off.",
    min: 1,
    initial: (rules: RiskRulesConfig) => optional(rules.velocity.maxPayments),
  },
  {
    name: "velocityMaxCards",
    label: "…or more than this many different cards",
    helpText: "Per email or IP address. Empty: off.",
    min: 1,
    initial: (rules: RiskRulesConfig) => optional(rules.velocity.maxCards),
  },
  {
    name: "velocityHours",
    label: "Within (hours)",
    helpText: "Counted from this shop's payments, this one included.",
    min: 1,
    max: 720,
    initial: (rules: RiskRulesConfig) => String(rules.velocity.hours),
  },
];

export function CardAndHistoryRules({ rules, errors }: { rules: RiskRulesConfig; errors: Record<string, string> }) {
  const [outcomes, setOutcomes] = useState<string[]>(rules.holdOn3dsOutcomes);
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        Velocity: the same customer paying again and again
      </Text>
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
        {VELOCITY_FIELDS.map((field) => (
          <Field key={field.name} type="number" {...field} initial={field.initial(rules)} error={errors[field.name]} />
        ))}
      </InlineGrid>
      <Text as="h3" variant="headingSm">
        Card checks
      </Text>
      <Toggle name="holdOnAvsNoMatch" label="Hold when the address check (AVS) matches neither street address nor postcode" initial={rules.holdOnAvsNoMatch} />
      <Toggle name="holdOnCvvNoMatch" label="Hold when the security code check (CVV) does not match" initial={rules.holdOnCvvNoMatch} />
      <input type="hidden" name="holdOn3dsOutcomes" value={outcomes.join(",")} />
      <ChoiceList
        title="Hold when 3-D Secure was"
        allowMultiple
        choices={THREE_DS_OUTCOMES.map((outcome) => ({ label: THREE_DS_LABELS[outcome as ThreeDsOutcome], value: outcome }))}
        selected={outcomes}
        onChange={setOutcomes}
        error={errors.holdOn3dsOutcomes}
      />
      <Text as="h3" variant="headingSm">
        Customer history
      </Text>
      <Toggle name="holdOnPriorChargeback" label="Hold when this email or card disputed an earlier payment here" initial={rules.holdOnPriorChargeback} />
      <Toggle name="holdOnPriorRefund" label="Hold when this email or card had an earlier payment refunded here" initial={rules.holdOnPriorRefund} />
    </BlockStack>
  );
}
