// Risk rules → Rules, the rules that look beyond one payment's amount and countries: velocity (the
// customer's recent payments and cards here), the card checks (AVS, CVV, 3-D Secure) and the
// customer's history (earlier chargebacks and refunds).
import { BlockStack, ChoiceList, InlineGrid, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { THREE_DS_OUTCOMES, type RiskRulesConfig } from "../rules";
import { Field, Toggle } from "./fields";

const optional = (n: number | null) => (n === null ? "" : String(n));

/** `label`: the field's key in holds:rulesForm (its help text: the same key + "Help"). */
const VELOCITY_FIELDS = [
  {
    name: "velocityMaxPayments",
    label: "maxPayments",
    min: 1,
    initial: (rules: RiskRulesConfig) => optional(rules.velocity.maxPayments),
  },
  {
    name: "velocityMaxCards",
    label: "maxCards",
    min: 1,
    initial: (rules: RiskRulesConfig) => optional(rules.velocity.maxCards),
  },
  {
    name: "velocityHours",
    label: "hours",
    min: 1,
    max: 720,
    initial: (rules: RiskRulesConfig) => String(rules.velocity.hours),
  },
];

export function CardAndHistoryRules({ rules, errors }: { rules: RiskRulesConfig; errors: Record<string, string> }) {
  const { t } = useTranslation("holds");
  const [outcomes, setOutcomes] = useState<string[]>(rules.holdOn3dsOutcomes);
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        {t("rulesForm.velocity")}
      </Text>
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
        {VELOCITY_FIELDS.map(({ label, initial, ...field }) => (
          <Field
            key={field.name}
            type="number"
            {...field}
            label={t(`rulesForm.${label}`)}
            helpText={t(`rulesForm.${label}Help`)}
            initial={initial(rules)}
            error={errors[field.name]}
          />
        ))}
      </InlineGrid>
      <Text as="h3" variant="headingSm">
        {t("rulesForm.cardChecks")}
      </Text>
      <Toggle name="holdOnAvsNoMatch" label={t("rulesForm.avs")} initial={rules.holdOnAvsNoMatch} />
      <Toggle name="holdOnCvvNoMatch" label={t("rulesForm.cvv")} initial={rules.holdOnCvvNoMatch} />
      <input type="hidden" name="holdOn3dsOutcomes" value={outcomes.join(",")} />
      <ChoiceList
        title={t("rulesForm.threeDs")}
        allowMultiple
        choices={THREE_DS_OUTCOMES.map((outcome) => ({ label: t(`threeDs.${outcome}`), value: outcome }))}
        selected={outcomes}
        onChange={setOutcomes}
        error={errors.holdOn3dsOutcomes}
      />
      <Text as="h3" variant="headingSm">
        {t("rulesForm.history")}
      </Text>
      <Toggle name="holdOnPriorChargeback" label={t("rulesForm.priorChargeback")} initial={rules.holdOnPriorChargeback} />
      <Toggle name="holdOnPriorRefund" label={t("rulesForm.priorRefund")} initial={rules.holdOnPriorRefund} />
    </BlockStack>
  );
}
