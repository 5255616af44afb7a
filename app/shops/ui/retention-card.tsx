// Settings → Data retention: how long this shop keeps processed webhook payloads, finished jobs and
// audit entries (app/shops/retention.server.ts), and what the last daily run removed. Admins change the
// days (the server checks that too); everyone else sees them.
import { BlockStack, Button, Card, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { IntentForm } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import { useFormat } from "../../ui/format";
import type { RetentionCounts, RetentionView } from "../retention.server";

const FIELDS = ["payloadRetentionDays", "jobRetentionDays", "auditRetentionDays"] as const;

type FieldName = (typeof FIELDS)[number];

/** What the last run removed, one count per kind, as `retention.removed.<kind>` words it. */
const REMOVED = ["eventPayloads", "jobsShrunk", "jobsDeleted", "auditEntries", "evidenceFiles"] as const satisfies ReadonlyArray<keyof RetentionCounts>;

function describeRun(counts: RetentionCounts, t: TFunction<"settings">): string {
  const removed = REMOVED.filter((kind) => counts[kind]).map((kind) => t(`retention.removed.${kind}`, { count: counts[kind] }));
  return removed.length ? removed.join(", ") : t("retention.removed.nothing");
}

export function RetentionCard({
  view,
  canEdit,
  reply,
  busy,
}: {
  view: RetentionView;
  canEdit: boolean;
  reply: Pick<FormReply, "intent" | "ok" | "message" | "fieldErrors"> | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation("settings");
  const [values, setValues] = useState<Record<FieldName, string>>({
    payloadRetentionDays: String(view.payloadRetentionDays),
    jobRetentionDays: String(view.jobRetentionDays),
    auditRetentionDays: String(view.auditRetentionDays),
  });
  const errors = reply?.intent === "retention" ? reply.fieldErrors : {};
  const { dateTime } = useFormat();

  return (
    <Card>
      <IntentForm intent="retention" reply={reply}>
        {FIELDS.map((field) => {
          const { min, max } = view.limits[field];
          return (
            <TextField
              key={field}
              label={t(`retention.fields.${field}.label`)}
              name={field}
              type="number"
              min={min}
              max={max}
              suffix={t("retention.days")}
              value={values[field]}
              onChange={(value) => setValues((v) => ({ ...v, [field]: value }))}
              autoComplete="off"
              disabled={!canEdit}
              helpText={`${t(`retention.fields.${field}.help`)} ${t("retention.range", { min, max })}`}
              error={errors[field]}
            />
          );
        })}
        <BlockStack gap="100">
          <Text as="p" tone="subdued">
            {t("retention.evidence", { count: view.evidenceDaysAfterClose })}
          </Text>
          <Text as="p" tone="subdued">
            {view.lastRun ? t("retention.lastRun", { at: dateTime(view.lastRun.at), removed: describeRun(view.lastRun.counts, t) }) : t("retention.notRunYet")}
          </Text>
        </BlockStack>
        {canEdit && (
          <BlockStack inlineAlign="start">
            <Button submit loading={busy}>
              {t("retention.save")}
            </Button>
          </BlockStack>
        )}
      </IntentForm>
    </Card>
  );
}
