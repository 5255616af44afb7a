// Settings → Connection test: the result of the last call with the stored key, and a button to call again.
import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { ReplyBanner } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import type { ConnectionSummary } from "../connection.server";
import type { CheckoutEnvironment } from "../keys";

/** How the last connection test went (also on Home's connection card). */
export function ConnectionTestBadge({ lastTestOk }: { lastTestOk: boolean | null }) {
  const { t } = useTranslation("checkout");
  if (lastTestOk === null) return <Badge>{t("test.status.untested")}</Badge>;
  return lastTestOk ? <Badge tone="success">{t("test.status.working")}</Badge> : <Badge tone="critical">{t("test.status.failing")}</Badge>;
}

export function ConnectionTestCard(props: {
  environment: CheckoutEnvironment;
  connection: ConnectionSummary | null;
  reply: FormReply | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation("checkout");
  const { environment, reply, busy } = props;
  // A disconnected connection has no key to test.
  const connection = props.connection?.disconnectedAt ? null : props.connection;
  return (
    <Card>
      <BlockStack gap="300">
        {connection ? (
          <InlineStack gap="200" blockAlign="center">
            <ConnectionTestBadge lastTestOk={connection.lastTestOk} />
            <Text as="span" tone="subdued">
              {connection.lastTestMessage ?? t("test.afterSaving")}
            </Text>
          </InlineStack>
        ) : (
          <Text as="p">{t("test.saveFirst")}</Text>
        )}
        {reply?.intent === "test" && <ReplyBanner reply={reply} />}
        <Form method="post">
          <input type="hidden" name="intent" value="test" />
          <input type="hidden" name="environment" value={environment} />
          <Button submit disabled={!connection} loading={busy}>
            {t("test.run")}
          </Button>
        </Form>
      </BlockStack>
    </Card>
  );
}
