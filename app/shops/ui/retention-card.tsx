// Settings → Data retention: how long this shop keeps processed webhook payloads, finished jobs and
// audit entries (app/shops/retention.server.ts), and what the last daily run removed. Admins change the
// days (the server checks that too); everyone else sees them.
import { BlockStack, Button, Card, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { IntentForm } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import { useFormat } from "../../ui/format";
import type { RetentionCounts, RetentionView } from "../retention.server";

const FIELDS = [
  {
    name: "payloadRetentionDays",
    label: "Webhook payloads",
    help: "Days after a Checkout.com event was processed that its payload is emptied. The event's id, type and outcome stay, so a repeated delivery is still refused.",
  },
  {
    name: "jobRetentionDays",
    label: "Finished background jobs",
    help: "Days after a job finished that its details and error are emptied. Its key stays, so the same work never runs twice.",
  },
  { name: "auditRetentionDays", label: "Audit log", help: "Days an audit entry is kept before it is deleted." },
] as const;

type FieldName = (typeof FIELDS)[number]["name"];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function describeRun(counts: RetentionCounts): string {
  const removed = [
    counts.eventPayloads && `${plural(counts.eventPayloads, "webhook payload")} emptied`,
    counts.jobsShrunk && `${plural(counts.jobsShrunk, "finished job")} emptied`,
    counts.jobsDeleted && `${plural(counts.jobsDeleted, "scheduled run")} deleted`,
    counts.auditEntries && `${plural(counts.auditEntries, "audit entry", "audit entries")} deleted`,
    counts.evidenceFiles && `${plural(counts.evidenceFiles, "evidence file")} deleted`,
  ].filter(Boolean);
  return removed.length ? removed.join(", ") : "nothing was old enough to remove";
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
          const { min, max } = view.limits[field.name];
          return (
            <TextField
              key={field.name}
              label={field.label}
              name={field.name}
              type="number"
              min={min}
              max={max}
              suffix="days"
              value={values[field.name]}
              onChange={(value) => setValues((v) => ({ ...v, [field.name]: value }))}
              autoComplete="off"
              disabled={!canEdit}
              helpText={`${field.help} From ${min} to ${max} days.`}
              error={errors[field.name]}
            />
          );
        })}
        <BlockStack gap="100">
          <Text as="p" tone="subdued">
            {`Evidence files are deleted ${view.evidenceDaysAfterClose} days after their dispute closed. Payments, refunds, captures and voids are financial records and are kept.`}
          </Text>
          <Text as="p" tone="subdued">
            {view.lastRun
              ? `Last run ${dateTime(view.lastRun.at)}: ${describeRun(view.lastRun.counts)}.`
              : "Runs once a day, a little at a time, without holding up incoming events. It has not run yet."}
          </Text>
        </BlockStack>
        {canEdit && (
          <BlockStack inlineAlign="start">
            <Button submit loading={busy}>
              Save data retention
            </Button>
          </BlockStack>
        )}
      </IntentForm>
    </Card>
  );
}
