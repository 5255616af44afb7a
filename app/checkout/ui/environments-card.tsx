// Settings → Environments: the shop's sandbox and production connections side by side, which one is
// active, and switching with one click (confirmed: from then on the other key moves money).
import { useSubmit } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { ConfirmModal } from "../../ui/confirm-modal";
import type { ConnectionSummary } from "../connection.server";
import { ENVIRONMENT_LABELS, ENVIRONMENTS, type CheckoutEnvironment } from "../keys";

export function EnvironmentsCard(props: { connections: Record<CheckoutEnvironment, ConnectionSummary | null>; canEdit: boolean; busy: boolean }) {
  const submit = useSubmit();
  const [confirm, setConfirm] = useState<CheckoutEnvironment | null>(null);
  const onClose = () => setConfirm(null);
  return (
    <Card>
      <BlockStack gap="300">
        {ENVIRONMENTS.map((environment) => {
          const connection = props.connections[environment];
          return (
            <InlineStack key={environment} gap="300" align="space-between" blockAlign="center">
              <InlineStack gap="200" align="start" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {ENVIRONMENT_LABELS[environment]}
                </Text>
                {!connection ? (
                  <Badge>Not set up</Badge>
                ) : connection.active ? (
                  <Badge tone={environment === "production" ? "success" : "attention"}>Active</Badge>
                ) : (
                  <Badge tone="info">Saved, not active</Badge>
                )}
              </InlineStack>
              {props.canEdit && connection && !connection.active && (
                <Button onClick={() => setConfirm(environment)} loading={props.busy}>
                  {`Make ${ENVIRONMENT_LABELS[environment].toLowerCase()} active`}
                </Button>
              )}
            </InlineStack>
          );
        })}
        <Text as="p" tone="subdued">
          Only the active environment&apos;s events put holds on orders and update disputes, and only its key refunds, voids and captures. The other&apos;s
          events are stored and labelled on the Events page.
        </Text>
      </BlockStack>
      <ConfirmModal
        open={confirm !== null}
        title={confirm ? `Make ${ENVIRONMENT_LABELS[confirm].toLowerCase()} active?` : ""}
        confirm="Switch"
        destructive={confirm === "sandbox"}
        loading={props.busy}
        onConfirm={() => {
          if (confirm) submit({ intent: "activate", environment: confirm }, { method: "post" });
          onClose();
        }}
        onClose={onClose}
      >
        {confirm === "production"
          ? ["Live payments will put holds on orders and update disputes, and refunds, voids and captures will use your production key."]
          : ["Test payments will act on orders, and events from your live account will be stored without acting on them until you switch back."]}
      </ConfirmModal>
    </Card>
  );
}
