// Settings → Webhook: the URL to give Checkout.com and the event types to subscribe it to.
import { BlockStack, Box, Card, List, Text, TextField } from "@shopify/polaris";

export function WebhookSetupCard({ webhookUrl, eventTypes }: { webhookUrl: string | null; eventTypes: readonly string[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        {webhookUrl ? (
          <TextField label="Webhook URL" value={webhookUrl} readOnly autoComplete="off" selectTextOnFocus />
        ) : (
          <Text as="p">Your webhook URL appears here once the connection is saved.</Text>
        )}
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
    </Card>
  );
}
