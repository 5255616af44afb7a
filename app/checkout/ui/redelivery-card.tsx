// Events → Redeliver from Checkout.com: after an outage on the app's side, asks Checkout.com to send
// again the events of one payment, or of the payments of a time range (app/checkout/reflow.server.ts).
// Times are entered and answered in UTC (labelled so), not the shop's time zone the other screens show.
import { Banner, BlockStack, Button, Card, ChoiceList, FormLayout, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { IntentForm } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import type { RedeliveryView } from "../reflow.server";

type Mode = "payment" | "range";

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
  const { t } = useTranslation("checkout");
  const [mode, setMode] = useState<Mode>("payment");
  const [paymentId, setPaymentId] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const errors = reply?.intent === "redeliver" ? reply.fieldErrors : {};
  const modes = [
    { label: t("redelivery.modes.payment"), value: "payment" },
    { label: t("redelivery.modes.range"), value: "range", helpText: t("redelivery.modes.rangeHelp") },
  ];

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("redelivery.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("redelivery.description")}
        </Text>
        {!view.available ? (
          <Banner tone="info">
            <p>{view.reason}</p>
          </Banner>
        ) : !canRedeliver ? (
          <Text as="p">{t("redelivery.whoMay")}</Text>
        ) : (
          <IntentForm intent="redeliver" reply={reply}>
            <ChoiceList title={t("redelivery.modes.title")} name="mode" choices={modes} selected={[mode]} onChange={([value]) => setMode(value as Mode)} />
            {mode === "payment" ? (
              <TextField
                label={t("redelivery.paymentId")}
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
                  label={t("redelivery.from.label")}
                  name="from"
                  type="datetime-local"
                  value={from}
                  onChange={setFrom}
                  autoComplete="off"
                  error={errors.from}
                  helpText={t("redelivery.from.help")}
                />
                <TextField
                  label={t("redelivery.to.label")}
                  name="to"
                  type="datetime-local"
                  value={to}
                  onChange={setTo}
                  autoComplete="off"
                  error={errors.to}
                  helpText={t("redelivery.to.help", { count: view.maxRangeDays })}
                />
              </FormLayout.Group>
            )}
            {errors.mode && (
              <Text as="p" tone="critical">
                {errors.mode}
              </Text>
            )}
            <Button submit loading={busy}>
              {t("redelivery.submit")}
            </Button>
          </IntentForm>
        )}
      </BlockStack>
    </Card>
  );
}
