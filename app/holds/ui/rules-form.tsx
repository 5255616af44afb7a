// Risk rules → Rules: which payments hold their order's fulfillment, and how long to look for the order.
import { Button, Card, InlineGrid, Text } from "@shopify/polaris";
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
  const { rules, reply } = props;
  const errors = (reply?.intent === "rules" ? reply.fieldErrors : undefined) ?? {};
  return (
    <Card>
      <IntentForm intent="rules" reply={reply}>
        <Toggle name="enabled" label="Apply risk rules" initial={rules.enabled} />
        <Toggle
          name="monitorOnly"
          label="Monitor only"
          helpText="Record which orders would have been held, without holding them in Shopify."
          initial={rules.monitorOnly}
        />
        <Toggle name="holdOnFlagged" label="Hold payments Checkout.com flagged as risky" initial={rules.holdOnFlagged} />
        <Field
          label="Hold when the risk score is at least"
          name="scoreThreshold"
          type="number"
          min={0}
          max={100}
          initial={rules.scoreThreshold === null ? "" : String(rules.scoreThreshold)}
          helpText="Checkout.com scores from 0 to 100. Leave empty to turn this rule off."
          error={errors.scoreThreshold}
        />
        <Field
          label="Hold when the amount is at least"
          name="amountThresholds"
          initial={rules.amountThresholdsText}
          multiline={3}
          helpText='One currency per line, like "USD 1000.00". Payments in other currencies are not checked.'
          error={errors.amountThresholds}
        />
        <Toggle name="holdOnCountryMismatch" label="Hold when the billing and shipping countries differ" initial={rules.holdOnCountryMismatch} />
        <Toggle
          name="holdOnCardCountryMismatch"
          label="Hold when the card's issuing country differs from the shipping country"
          initial={rules.holdOnCardCountryMismatch}
        />
        <Toggle
          name="holdOnIpCountryMismatch"
          label="Hold when the IP address's country differs from the shipping country"
          helpText="Checkout.com reports the payment's IP address but not its country, so this rule fires only for payments whose metadata carries ip_country (for example from your CDN's geolocation header). Without it the rule cannot fire."
          initial={rules.holdOnIpCountryMismatch}
        />
        <CardAndHistoryRules rules={rules} errors={errors} />
        <Toggle
          name="cancelOnDenyListHit"
          label="Cancel the order at once when the customer, email, card or BIN is on the deny list"
          helpText="Off: such orders are held for a reviewer like any other. On: an order that has not shipped is canceled and its payment refunded or voided through Shopify, without waiting for a reviewer; the hold page and audit log say so. Monitor-only mode cancels nothing."
          initial={rules.cancelOnDenyListHit}
        />
        <Text as="h3" variant="headingSm">
          The issuer&apos;s early warnings
        </Text>
        <Field
          label="Refund at once when the issuer warns, for payments up to"
          name="earlyWarningRefundUpTo"
          initial={rules.earlyWarningRefundUpToText}
          multiline={2}
          helpText='When the issuer reports a payment as fraud or asks for its details (a retrieval request), a payment up to this amount is refunded at once (and its order canceled if nothing has shipped), before it becomes a chargeback with a fee. Larger ones hold the order for review. One currency per line, like "USD 50.00"; empty: never refund on its own.'
          error={errors.earlyWarningRefundUpTo}
        />
        <Text as="h3" variant="headingSm">
          Ship-by time
        </Text>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
          <Field
            label="Orders ship within (hours of the order)"
            name="shipByHours"
            type="number"
            min={1}
            max={720}
            initial={rules.shipBy.hours === null ? "" : String(rules.shipBy.hours)}
            helpText="The review queue marks holds whose order is due to ship soon, and those past it. Empty: no ship-by time."
            error={errors.shipByHours}
          />
          <Field
            label="Warn this many hours before"
            name="shipByWarningHours"
            type="number"
            min={1}
            max={168}
            initial={String(rules.shipBy.warningHours)}
            error={errors.shipByWarningHours}
          />
        </InlineGrid>
        <Field
          label="Keep looking for a payment's order for (minutes)"
          name="matchWindowMinutes"
          type="number"
          min={5}
          max={10080}
          initial={String(props.matchWindowMinutes)}
          helpText="A payment can be approved before Shopify creates its order; the app retries with backoff for this long."
          error={errors.matchWindowMinutes}
        />
        <Button submit variant="primary" loading={props.busy}>
          Save rules
        </Button>
      </IntentForm>
    </Card>
  );
}
