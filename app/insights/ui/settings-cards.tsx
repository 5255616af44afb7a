// What Insights' figures rest on, at the foot of the page: the conversion rates into the shop's currency
// (dated, with their source; admins add and delete them) and the card schemes' dispute monitoring
// thresholds (with where each comes from; admins change their figures). The page's action saves both
// (app/routes/app.insights.tsx); everyone else reads them.
import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { IntentForm } from "../../ui/form-page";
import { TitledCard } from "../../ui/titled-card";
import type { FormReply } from "../../ui/form-reply.server";
import type { CurrencyRateView } from "../rates.server";
import type { DisputeThreshold } from "../model";
import { thresholdName } from "./disputes";
import { useInsightsFormat } from "./format";

type Reply = Pick<FormReply, "intent" | "ok" | "message" | "fieldErrors"> | undefined;

export const RATE_INTENT = "rate";
export const DELETE_RATE_INTENT = "delete-rate";
export const THRESHOLDS_INTENT = "thresholds";

/** The form's name for a threshold's field: `ratio.visa-vamp-excessive`. */
const thresholdField = (field: "ratio" | "minCount", id: string) => `${field}.${id}`;

const RATE_FIELDS = ["currency", "rate", "validFrom", "source"] as const;

export function RatesCard({
  rates,
  shopCurrency,
  canEdit,
  reply,
  busy,
}: {
  rates: CurrencyRateView[];
  shopCurrency: string | null;
  canEdit: boolean;
  reply: Reply;
  busy: boolean;
}) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  const [values, setValues] = useState<Record<(typeof RATE_FIELDS)[number], string>>({ currency: "", rate: "", validFrom: "", source: "" });
  const errors = reply?.intent === RATE_INTENT ? reply.fieldErrors : {};
  return (
    <TitledCard title={t("rates.title")} gap="300">
      <Text as="p" tone="subdued">
        {shopCurrency ? t("rates.help", { currency: shopCurrency }) : t("rates.noShopCurrency")}
      </Text>
      {reply?.intent === DELETE_RATE_INTENT && (
        <Text as="p" tone={reply.ok ? "success" : "critical"}>
          {reply.message}
        </Text>
      )}
      {rates.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("rates.empty")}
        </Text>
      ) : (
        <DataTable
          columnContentTypes={["text", "text", "text", ...(canEdit ? (["text"] as const) : [])]}
          headings={[t("rates.rate"), t("rates.validFrom"), t("rates.source"), ...(canEdit ? [""] : [])]}
          rows={rates.map((rate) => [
            t("rates.rateText", { currency: rate.currency, rate: f.rate(rate.rate), shopCurrency: shopCurrency ?? "" }),
            f.day(rate.validFrom),
            rate.source,
            ...(canEdit
              ? [
                  <Form method="post" key={rate.id}>
                    <input type="hidden" name="intent" value={DELETE_RATE_INTENT} />
                    <input type="hidden" name="id" value={rate.id} />
                    <Button
                      submit
                      variant="plain"
                      tone="critical"
                      accessibilityLabel={t("rates.deleteLabel", { currency: rate.currency, date: f.day(rate.validFrom) })}
                    >
                      {t("rates.delete")}
                    </Button>
                  </Form>,
                ]
              : []),
          ])}
        />
      )}
      {canEdit && shopCurrency && (
        <IntentForm intent={RATE_INTENT} reply={reply}>
          <Text as="h3" variant="headingSm">
            {t("rates.add")}
          </Text>
          <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
            {RATE_FIELDS.map((field) => (
              <TextField
                key={field}
                label={t(`rates.fields.${field}`, { currency: shopCurrency })}
                name={field}
                type={field === "validFrom" ? "date" : "text"}
                value={values[field]}
                onChange={(value) => setValues((v) => ({ ...v, [field]: value }))}
                autoComplete="off"
                error={errors[field]}
                helpText={field === "rate" ? t("rates.rateHelp", { currency: values.currency || "EUR", shopCurrency }) : undefined}
              />
            ))}
          </InlineGrid>
          <InlineStack>
            <Button submit loading={busy}>
              {t("rates.save")}
            </Button>
          </InlineStack>
        </IntentForm>
      )}
    </TitledCard>
  );
}

export function ThresholdsCard({ thresholds, canEdit, reply, busy }: { thresholds: DisputeThreshold[]; canEdit: boolean; reply: Reply; busy: boolean }) {
  const { t } = useTranslation("insights");
  const f = useInsightsFormat();
  // Typed as percentages, as the page shows them; the action turns them into fractions.
  const [values, setValues] = useState(() =>
    Object.fromEntries(
      thresholds.flatMap((threshold) => [
        [thresholdField("ratio", threshold.id), String(Number((threshold.ratio * 100).toFixed(4)))],
        [thresholdField("minCount", threshold.id), String(threshold.minCount)],
      ]),
    ),
  );
  const field = (name: "ratio" | "minCount", threshold: DisputeThreshold) => {
    const key = thresholdField(name, threshold.id);
    return (
      <TextField
        label={t(`thresholds.${name}`)}
        name={key}
        type="number"
        suffix={name === "ratio" ? "%" : undefined}
        value={values[key]}
        onChange={(value) => setValues((v) => ({ ...v, [key]: value }))}
        autoComplete="off"
        disabled={!canEdit}
      />
    );
  };
  return (
    <Card>
      <IntentForm intent={THRESHOLDS_INTENT} reply={reply}>
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("thresholds.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("thresholds.help")}
          </Text>
        </BlockStack>
        {thresholds.map((threshold) => (
          <BlockStack gap="150" key={threshold.id}>
            <InlineStack gap="200" blockAlign="center">
              <Text as="h3" variant="headingSm">
                {thresholdName(threshold)}
              </Text>
              {threshold.changed && <Badge tone="attention">{t("thresholds.changed")}</Badge>}
            </InlineStack>
            {canEdit ? (
              <InlineGrid columns={2} gap="300">
                {field("ratio", threshold)}
                {field("minCount", threshold)}
              </InlineGrid>
            ) : (
              <Text as="p">{t("thresholds.figures", { ratio: f.percent(threshold.ratio), count: threshold.minCount })}</Text>
            )}
            <Text as="p" variant="bodySm" tone="subdued">
              {t("thresholds.source", { source: threshold.source })}
            </Text>
          </BlockStack>
        ))}
        {canEdit && (
          <InlineStack>
            <Button submit loading={busy}>
              {t("thresholds.save")}
            </Button>
          </InlineStack>
        )}
      </IntentForm>
    </Card>
  );
}

/** The thresholds form's figures as saveDisputeThresholds takes them: ratios typed in per cent, as fractions. */
export function thresholdsFromForm(form: Record<string, string>) {
  const prefix = thresholdField("ratio", "");
  return Object.keys(form)
    .filter((key) => key.startsWith(prefix))
    .map((key) => {
      const id = key.slice(prefix.length);
      const percent = form[key].trim() === "" ? Number.NaN : Number(form[key]);
      // 0.9 / 100 is 0.009000000000000001 in floating point: rounded, the default's 0.009 stays unchanged.
      return { id, ratio: Number((percent / 100).toFixed(8)), minCount: form[thresholdField("minCount", id)] };
    });
}
