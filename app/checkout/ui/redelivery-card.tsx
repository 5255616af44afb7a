// Events → Redeliver from Checkout.com: after an outage on the app's side, asks Checkout.com to send
// again the events of one payment, or of the payments of a time range (app/checkout/reflow.server.ts).
// Times are entered and answered in UTC (labelled so), not the shop's time zone the other screens show.
import { Banner, BlockStack, Button, Card, ChoiceList, FormLayout, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { IntentForm } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import type { RedeliveryView } from "../reflow.server";

type Mode = "payment" | "range";

const MODES = [
  { label: "One payment", value: "payment" },
  { label: "Every payment of a time range", value: "range", helpText: "Found in your Shopify orders and in this app's payments." },
];

export function RedeliveryCard({
  view,
  canRedeliver,
  reply,
  busy,
}: {
  view: RedeliveryView;
  canRedeliver: boolean;
  reply: Pick<FormReply, "intent" | "ok" | "message" | "fieldErrors"> | undefined;
  busy: boolean;
}) {
  const [mode, setMode] = useState<Mode>("payment");
  const [paymentId, setPaymentId] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const errors = reply?.intent === "redeliver" ? reply.fieldErrors : {};

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Redeliver from Checkout.com
        </Text>
        <Text as="p" tone="subdued">
          After an outage on your side, Checkout.com can send events again. Events that had arrived are stored once and change nothing; the missing ones are
          processed as they arrive.
        </Text>
        {!view.available ? (
          <Banner tone="info">
            <p>{view.reason}</p>
          </Banner>
        ) : !canRedeliver ? (
          <Text as="p">Reviewers and above can ask for a redelivery.</Text>
        ) : (
          <IntentForm intent="redeliver" reply={reply}>
            <ChoiceList title="Redeliver the events of" name="mode" choices={MODES} selected={[mode]} onChange={([value]) => setMode(value as Mode)} />
            {mode === "payment" ? (
              <TextField
                label="Checkout.com payment id"
                name="paymentId"
                value={paymentId}
                onChange={setPaymentId}
                autoComplete="off"
                placeholder="pay_…"
                error={errors.paymentId}
              />
            ) : (
              <FormLayout.Group>
                <TextField
                  label="From (UTC)"
                  name="from"
                  type="datetime-local"
                  value={from}
                  onChange={setFrom}
                  autoComplete="off"
                  error={errors.from}
                  helpText="Orders and payments created from this time."
                />
                <TextField
                  label="To (UTC)"
                  name="to"
                  type="datetime-local"
                  value={to}
                  onChange={setTo}
                  autoComplete="off"
                  error={errors.to}
                  helpText={`Up to this time; at most ${view.maxRangeDays} days after the start.`}
                />
              </FormLayout.Group>
            )}
            {errors.mode && (
              <Text as="p" tone="critical">
                {errors.mode}
              </Text>
            )}
            <Button submit loading={busy}>
              Ask Checkout.com to redeliver
            </Button>
          </IntentForm>
        )}
      </BlockStack>
    </Card>
  );
}
