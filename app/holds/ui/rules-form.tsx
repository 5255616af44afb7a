// Risk rules → Rules: which payments hold their order's fulfillment, and how long to look for the order.
import { Button, Card, InlineGrid, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { IntentForm } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import type { RiskRulesConfig } from "../rules";
import { CardAndHistoryRules } from "./card-and-history-rules";
import { Field, Toggle } from "./fields";

export function RulesForm(props: {
  rules: RiskRulesConfig & { amountThresholdsText: string; earlyWarningRefundUpToText: string };
  matchWindowMinutes: number;
  reply: FormReply | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation("rules");
  const { rules, reply } = props;
  const errors = (reply?.intent === "rules" ? reply.fieldErrors : undefined) ?? {};
  return (
    <Card>
      <IntentForm intent="rules" reply={reply}>
        <Toggle name="enabled" label={t("form.enabled")} initial={rules.enabled} />
        <Toggle name="monitorOnly" label={t("form.monitorOnly.label")} helpText={t("form.monitorOnly.help")} initial={rules.monitorOnly} />
        <Toggle name="holdOnFlagged" label={t("form.holdOnFlagged")} initial={rules.holdOnFlagged} />
        <Field
          label={t("form.scoreThreshold.label")}
          name="scoreThreshold"
          type="number"
          min={0}
          max={100}
          initial={rules.scoreThreshold === null ? "" : String(rules.scoreThreshold)}
          helpText={t("form.scoreThreshold.help")}
          error={errors.scoreThreshold}
        />
        <Field
          label={t("form.amountThresholds.label")}
          name="amountThresholds"
          initial={rules.amountThresholdsText}
          multiline={3}
          helpText={t("form.amountThresholds.help", { example: "USD 1000.00" })}
          error={errors.amountThresholds}
        />
        <Toggle name="holdOnCountryMismatch" label={t("form.countryMismatch")} initial={rules.holdOnCountryMismatch} />
        <Toggle name="holdOnCardCountryMismatch" label={t("form.cardCountryMismatch")} initial={rules.holdOnCardCountryMismatch} />
        <Toggle
          name="holdOnIpCountryMismatch"
          label={t("form.ipCountryMismatch.label")}
          helpText={t("form.ipCountryMismatch.help")}
          initial={rules.holdOnIpCountryMismatch}
        />
        <CardAndHistoryRules rules={rules} errors={errors} />
        <Toggle
          name="cancelOnDenyListHit"
          label={t("form.cancelOnDenyListHit.label")}
          helpText={t("form.cancelOnDenyListHit.help")}
          initial={rules.cancelOnDenyListHit}
        />
        <Text as="h3" variant="headingSm">
          {t("form.earlyWarnings.heading")}
        </Text>
        <Field
          label={t("form.earlyWarnings.label")}
          name="earlyWarningRefundUpTo"
          initial={rules.earlyWarningRefundUpToText}
          multiline={2}
          helpText={t("form.earlyWarnings.help", { example: "USD 50.00" })}
          error={errors.earlyWarningRefundUpTo}
        />
        <Text as="h3" variant="headingSm">
          {t("form.shipBy.heading")}
        </Text>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
          <Field
            label={t("form.shipBy.hours.label")}
            name="shipByHours"
            type="number"
            min={1}
            max={720}
            initial={rules.shipBy.hours === null ? "" : String(rules.shipBy.hours)}
            helpText={t("form.shipBy.hours.help")}
            error={errors.shipByHours}
          />
          <Field
            label={t("form.shipBy.warningHours")}
            name="shipByWarningHours"
            type="number"
            min={1}
            max={168}
            initial={String(rules.shipBy.warningHours)}
            error={errors.shipByWarningHours}
          />
        </InlineGrid>
        <Field
          label={t("form.matchWindow.label")}
          name="matchWindowMinutes"
          type="number"
          min={5}
          max={10080}
          initial={String(props.matchWindowMinutes)}
          helpText={t("form.matchWindow.help")}
          error={errors.matchWindowMinutes}
        />
        <Button submit variant="primary" loading={props.busy}>
          {t("form.save")}
        </Button>
      </IntentForm>
    </Card>
  );
}
