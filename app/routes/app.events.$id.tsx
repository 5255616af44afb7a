import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { getEvent, replayEvent } from "../events/inbox.server";
import { EVENT_STATUS_BADGES, SKIPPED_LABELS } from "../events/inbox-view";
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

const actionSchema = z.object({ intent: z.literal("replay", { errorMap: () => ({ message: "Unknown action." }) }) });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "reviewer");
  const parsed = actionSchema.safeParse(formObject(await readForm(request)));
  if (!parsed.success) return json({ ok: false, message: parsed.error.issues[0].message }, { status: 400 });
  return replayEvent(staff.shopId, params.id ?? "", staff.actor).then((result) => json(result), domainErrorReply);
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

export default function EventDetail() {
  const { dateTime } = useFormat();
  const when = (value: string | Date | null) => (value ? dateTime(value) : "–");
  const { event } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const replaying = useNavigation().state === "submitting";
  const badge = EVENT_STATUS_BADGES[event.status];

  return (
    <Page
      title={event.eventId}
      subtitle={event.type}
      backAction={{ content: "Events", url: "/app/events" }}
      titleMetadata={<Badge tone={badge?.tone}>{badge?.label ?? event.status}</Badge>}
    >
      <Layout>
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
          </Layout.Section>
        )}
        {event.status === "dead" && (
          <Layout.Section>
            <Banner tone="critical" title={`Gave up after ${event.attempts} attempt${event.attempts === 1 ? "" : "s"}`}>
              <p>{event.lastError}</p>
            </Banner>
          </Layout.Section>
        )}
        {event.skipped && (
          <Layout.Section>
            <Banner tone="warning" title={SKIPPED_LABELS[event.skipped] ?? event.skipped}>
              <p>
                {event.skipped === "inactive_environment"
                  ? `It came from your ${event.environment} account, which is not the active environment. It was stored and changed no order or dispute.`
                  : "The payment went through a processing channel this shop does not list in Settings. It was stored and changed no order or dispute."}
              </p>
            </Banner>
          </Layout.Section>
        )}
        {!event.known && (
          <Layout.Section>
            <Banner tone="info" title="This app does not handle this event type">
              <p>It was stored and marked processed without any effect.</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
                <Field label="Received">{when(event.receivedAt)}</Field>
                <Field label="Processed">{when(event.processedAt)}</Field>
                <Field label="Attempts">{event.attempts}</Field>
                <Field label="Envelope">{event.envelope ?? "–"}</Field>
                <Field label="Payment">
                  {event.paymentRowId ? <Link to={`/app/payments/${event.paymentRowId}`}>{event.ckoPaymentId}</Link> : (event.ckoPaymentId ?? "–")}
                </Field>
                {event.status === "pending" && event.attempts > 0 && <Field label="Next attempt">{when(event.nextAttemptAt)}</Field>}
                {event.status !== "dead" && event.lastError && <Field label="Last error">{event.lastError}</Field>}
              </InlineGrid>
              <InlineStack align="end">
                <Form method="post">
                  <input type="hidden" name="intent" value="replay" />
                  <Button submit loading={replaying} disabled={event.status === "processing"}>
                    Replay
                  </Button>
                </Form>
              </InlineStack>
              <Text as="p" tone="subdued" variant="bodySm">
                Replaying processes the event again. Its effects are applied once, so replaying an event that was already processed changes nothing.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <TitledCard title="Payload as received">
            {event.payloadRemoved ? (
              <Text as="p" tone="subdued">
                Removed by data retention (Settings → Data retention). The event&apos;s id, type and outcome are kept, so Checkout.com sending it again is still
                refused as a duplicate.
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
