// Settings → Webhook: how Checkout.com reaches this shop. Registered through the Workflows API (status,
// last event, test and register-again buttons), or, where the app may not, the URL and event types
// the merchant gives Checkout.com by hand.
import { Form } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, List, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../ui/format";
import type { CheckoutEnvironment } from "../keys";
import type { WorkflowView } from "../workflow.server";

interface Props {
  environment: CheckoutEnvironment;
  webhookUrl: string | null;
  eventTypes: readonly string[];
  workflow: WorkflowView;
  canEdit: boolean;
  busy: "register-webhook" | "test-webhook" | null;
}

export function WebhookSetupCard({ environment, webhookUrl, eventTypes, workflow, canEdit, busy }: Props) {
  const { t } = useTranslation("checkout");
  const { dateTime } = useFormat();
  if (!webhookUrl) {
    return (
      <Card>
        <Text as="p">{t("webhook.saveFirst")}</Text>
      </Card>
    );
  }
  const registered = workflow.status === "registered";
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {t("webhook.delivery")}
          </Text>
          {registered ? (
            <Badge tone="success">{t("webhook.status.registered")}</Badge>
          ) : workflow.status === "failed" || workflow.status === "removed" || workflow.status === "missing" ? (
            <Badge tone="critical">{t("webhook.status.notRegistered")}</Badge>
          ) : (
            <Badge tone="attention">{t("webhook.status.manual")}</Badge>
          )}
        </InlineStack>
        {workflow.message && (
          <Banner tone={registered ? "success" : workflow.status === "failed" || workflow.status === "missing" ? "critical" : "warning"}>
            <p>{workflow.message}</p>
          </Banner>
        )}
        {registered && workflow.workflowId && (
          <Text as="p" tone="subdued">
            {workflow.syncedAt
              ? t("webhook.workflowUpdated", { id: workflow.workflowId, at: dateTime(workflow.syncedAt) })
              : t("webhook.workflow", { id: workflow.workflowId })}
          </Text>
        )}
        <Text as="p">
          {workflow.lastEvent
            ? t("webhook.lastEvent", { type: workflow.lastEvent.type, at: dateTime(workflow.lastEvent.receivedAt) })
            : t("webhook.noEventYet")}
        </Text>
        {canEdit && (
          <InlineStack gap="200">
            <Form method="post">
              <input type="hidden" name="intent" value="register-webhook" />
              <input type="hidden" name="environment" value={environment} />
              <Button submit loading={busy === "register-webhook"}>
                {registered ? t("webhook.registerAgain") : t("webhook.register")}
              </Button>
            </Form>
            {workflow.canSendTest && (
              <Form method="post">
                <input type="hidden" name="intent" value="test-webhook" />
                <Button submit loading={busy === "test-webhook"}>
                  {t("webhook.sendTest")}
                </Button>
              </Form>
            )}
          </InlineStack>
        )}
        {!registered && <ManualSteps webhookUrl={webhookUrl} eventTypes={eventTypes} />}
      </BlockStack>
    </Card>
  );
}

function ManualSteps({ webhookUrl, eventTypes }: { webhookUrl: string; eventTypes: readonly string[] }) {
  const { t } = useTranslation("checkout");
  return (
    <BlockStack gap="300">
      <Text as="p">{t("webhook.manual.instructions")}</Text>
      <TextField label={t("webhook.manual.url")} value={webhookUrl} readOnly autoComplete="off" selectTextOnFocus />
      <Text as="h3" variant="headingSm">
        {t("webhook.manual.events")}
      </Text>
      <Box maxWidth="100%">
        <List type="bullet">
          {eventTypes.map((type) => (
            <List.Item key={type}>
              <code>{type}</code>
            </List.Item>
          ))}
        </List>
      </Box>
    </BlockStack>
  );
}
