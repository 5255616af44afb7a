// Settings → Webhook: how Checkout.com reaches this shop. Registered through the Workflows API (status,
// last event, test and register-again buttons), or, where the app may not, the URL and event types
// the merchant gives Checkout.com by hand.
import { Form } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, List, Text, TextField } from "@shopify/polaris";
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
  const { dateTime } = useFormat();
  if (!webhookUrl) {
    return (
      <Card>
        <Text as="p">Save the connection: the app then registers its webhook with Checkout.com.</Text>
      </Card>
    );
  }
  const registered = workflow.status === "registered";
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            Delivery
          </Text>
          {registered ? (
            <Badge tone="success">Registered with Checkout.com</Badge>
          ) : workflow.status === "failed" || workflow.status === "removed" || workflow.status === "missing" ? (
            <Badge tone="critical">Not registered</Badge>
          ) : (
            <Badge tone="attention">Set up by hand</Badge>
          )}
        </InlineStack>
        {workflow.message && (
          <Banner tone={registered ? "success" : workflow.status === "failed" || workflow.status === "missing" ? "critical" : "warning"}>
            <p>{workflow.message}</p>
          </Banner>
        )}
        {registered && workflow.workflowId && (
          <Text as="p" tone="subdued">
            {`Workflow ${workflow.workflowId}${workflow.syncedAt ? `, updated ${dateTime(workflow.syncedAt)}` : ""}`}
          </Text>
        )}
        <Text as="p">
          {workflow.lastEvent ? `Last event received: ${workflow.lastEvent.type}, ${dateTime(workflow.lastEvent.receivedAt)}` : "Last event received: none yet"}
        </Text>
        {canEdit && (
          <InlineStack gap="200">
            <Form method="post">
              <input type="hidden" name="intent" value="register-webhook" />
              <input type="hidden" name="environment" value={environment} />
              <Button submit loading={busy === "register-webhook"}>
                {registered ? "Register again" : "Register with Checkout.com"}
              </Button>
            </Form>
            {workflow.canSendTest && (
              <Form method="post">
                <input type="hidden" name="intent" value="test-webhook" />
                <Button submit loading={busy === "test-webhook"}>
                  Send test event
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
  return (
    <BlockStack gap="300">
      <Text as="p">In the Checkout.com Dashboard, create a webhook with this URL, subscribe it to these events, and paste its signature key above.</Text>
      <TextField label="Webhook URL" value={webhookUrl} readOnly autoComplete="off" selectTextOnFocus />
      <Text as="h3" variant="headingSm">
        Events to subscribe to
      </Text>
      <Box maxWidth="100%">
        <List type="bullet">
          {eventTypes.map((t) => (
            <List.Item key={t}>
              <code>{t}</code>
            </List.Item>
          ))}
        </List>
      </Box>
    </BlockStack>
  );
}
