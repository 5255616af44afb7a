// Settings → Connection test: the result of the last call with the stored key, and a button to call again.
import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { ReplyBanner } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import type { ConnectionSummary } from "../connection.server";
import type { CheckoutEnvironment } from "../keys";

export function ConnectionTestCard(props: {
  environment: CheckoutEnvironment;
  connection: ConnectionSummary | null;
  reply: FormReply | undefined;
  busy: boolean;
}) {
  const { environment, connection, reply, busy } = props;
  return (
    <Card>
      <BlockStack gap="300">
        {connection ? (
          <InlineStack gap="200" blockAlign="center">
            {connection.lastTestOk === null ? (
              <Badge>Not tested</Badge>
            ) : connection.lastTestOk ? (
              <Badge tone="success">Working</Badge>
            ) : (
              <Badge tone="critical">Failing</Badge>
            )}
            <Text as="span" tone="subdued">
              {connection.lastTestMessage ?? "Test the connection after saving your keys."}
            </Text>
          </InlineStack>
        ) : (
          <Text as="p">Save your keys to test the connection.</Text>
        )}
        {reply?.intent === "test" && <ReplyBanner reply={reply} />}
        <Form method="post">
          <input type="hidden" name="intent" value="test" />
          <input type="hidden" name="environment" value={environment} />
          <Button submit disabled={!connection} loading={busy}>
            Test connection
          </Button>
        </Form>
      </BlockStack>
    </Card>
  );
}
