import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { TFunction } from "i18next";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getEvent, replayEvent } from "../events/inbox.server";
import { EVENT_STATUS_TONES, isEventStatus, isSkipReason } from "../events/inbox-view";
import { translator } from "../i18n/i18n";
import { domainErrorReply } from "../lib/errors.server";
import { formObject, readForm } from "../lib/form";
import { requireStaff } from "../shopify/staff.server";
import { useFormat } from "../ui/format";
import { TitledCard } from "../ui/titled-card";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const event = await getEvent(staff.shopId, params.id ?? "");
  if (!event) throw new Response("Event not found", { status: 404 });
  return { event };
};

const actionSchema = z.object({ intent: z.literal("replay") });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "reviewer");
  const t = translator(staff.locale, "events");
  const parsed = actionSchema.safeParse(formObject(await readForm(request)));
  if (!parsed.success) return json({ ok: false, message: t("unknownAction") }, { status: 400 });
  return replayEvent(staff.shopId, params.id ?? "", staff.actor).then(
    () => json({ ok: true, message: t("detail.replayed") }),
    (error) => domainErrorReply(error, staff.locale),
  );
};

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="span">{children}</Text>
    </BlockStack>
  );
}

/** Why a kept-aside event did not act (WebhookEvent.skipped), for its banner. */
function skipExplanation(t: TFunction<"events">, skipped: string, environment: string): string {
  if (skipped === "inactive_environment")
    return environment === "sandbox" || environment === "production"
      ? t(`detail.skipped.inactiveEnvironment.${environment}`)
      : t("detail.skipped.inactiveEnvironment.other", { environment });
  return skipped === "other_entity" ? t("detail.skipped.otherEntity") : t("detail.skipped.otherProcessingChannel");
}

export default function EventDetail() {
  const { t } = useTranslation("events");
  const { dateTime } = useFormat();
  const when = (value: string | Date | null) => (value ? dateTime(value) : "–");
  const { event } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const replaying = useNavigation().state === "submitting";

  return (
    <Page
      title={event.eventId}
      subtitle={event.type}
      backAction={{ content: t("detail.back"), url: "/app/events" }}
      titleMetadata={<Badge tone={EVENT_STATUS_TONES[event.status]}>{isEventStatus(event.status) ? t(`status.${event.status}`) : event.status}</Badge>}
    >
      <Layout>
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
          </Layout.Section>
        )}
        {event.status === "dead" && (
          <Layout.Section>
            <Banner tone="critical" title={t("detail.gaveUp", { count: event.attempts })}>
              <p>{event.lastError}</p>
            </Banner>
          </Layout.Section>
        )}
        {event.skipped && (
          <Layout.Section>
            <Banner tone="warning" title={isSkipReason(event.skipped) ? t(`skipped.${event.skipped}`) : event.skipped}>
              <p>{skipExplanation(t, event.skipped, event.environment)}</p>
            </Banner>
          </Layout.Section>
        )}
        {!event.known && (
          <Layout.Section>
            <Banner tone="info" title={t("detail.unknownType.title")}>
              <p>{t("detail.unknownType.body")}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
                <Field label={t("detail.fields.received")}>{when(event.receivedAt)}</Field>
                <Field label={t("detail.fields.processed")}>{when(event.processedAt)}</Field>
                <Field label={t("detail.fields.attempts")}>{event.attempts}</Field>
                <Field label={t("detail.fields.envelope")}>{event.envelope ?? "–"}</Field>
                <Field label={t("detail.fields.payment")}>
                  {event.paymentRowId ? <Link to={`/app/payments/${event.paymentRowId}`}>{event.ckoPaymentId}</Link> : (event.ckoPaymentId ?? "–")}
                </Field>
                {event.status === "pending" && event.attempts > 0 && <Field label={t("detail.fields.nextAttempt")}>{when(event.nextAttemptAt)}</Field>}
                {event.status !== "dead" && event.lastError && <Field label={t("detail.fields.lastError")}>{event.lastError}</Field>}
              </InlineGrid>
              <InlineStack align="end">
                <Form method="post">
                  <input type="hidden" name="intent" value="replay" />
                  <Button submit loading={replaying} disabled={event.status === "processing"}>
                    {t("detail.replay")}
                  </Button>
                </Form>
              </InlineStack>
              <Text as="p" tone="subdued" variant="bodySm">
                {t("detail.replayHelp")}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <TitledCard title={t("detail.payload.title")}>
            {event.payloadRemoved ? (
              <Text as="p" tone="subdued">
                {t("detail.payload.removed")}
              </Text>
            ) : (
              <Box background="bg-surface-secondary" padding="300" borderRadius="200" overflowX="scroll">
                <pre style={{ margin: 0, fontSize: 12, lineHeight: 1.5 }}>
                  <code>{event.pretty}</code>
                </pre>
              </Box>
            )}
          </TitledCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
