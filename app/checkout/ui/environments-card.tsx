// Settings → Environments: the shop's sandbox and production connections side by side, which one is
// active, switching with one click and disconnecting one (each confirmed: a switch changes which key
// moves money; a disconnect forgets the keys and deletes the app's webhook at Checkout.com).
import { useSubmit } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmModal } from "../../ui/confirm-modal";
import type { ConnectionSummary } from "../connection.server";
import { ENVIRONMENTS, type CheckoutEnvironment } from "../keys";

type Confirming = { intent: "activate" | "disconnect"; environment: CheckoutEnvironment };

export function EnvironmentsCard(props: {
  connections: Record<CheckoutEnvironment, ConnectionSummary | null>;
  canEdit: boolean;
  /** The intent being sent, if it is one of this card's. */
  busy: "activate" | "disconnect" | null;
}) {
  const { t } = useTranslation("checkout");
  const submit = useSubmit();
  const [confirm, setConfirm] = useState<Confirming | null>(null);
  const onClose = () => setConfirm(null);
  return (
    <Card>
      <BlockStack gap="300">
        {ENVIRONMENTS.map((environment) => {
          const connection = props.connections[environment];
          const connected = connection !== null && connection.disconnectedAt === null;
          return (
            <InlineStack key={environment} gap="300" align="space-between" blockAlign="center">
              <InlineStack gap="200" align="start" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {t(`environments.${environment}`)}
                </Text>
                {!connection ? (
                  <Badge>{t("environments.status.notSetUp")}</Badge>
                ) : !connected ? (
                  <Badge tone="critical">{t("environments.status.disconnected")}</Badge>
                ) : connection.active ? (
                  <Badge tone={environment === "production" ? "success" : "attention"}>{t("environments.status.active")}</Badge>
                ) : (
                  <Badge tone="info">{t("environments.status.inactive")}</Badge>
                )}
              </InlineStack>
              {props.canEdit && connected && (
                <InlineStack gap="200">
                  {!connection.active && (
                    <Button onClick={() => setConfirm({ intent: "activate", environment })} loading={props.busy === "activate"}>
                      {t(`environments.activate.${environment}`)}
                    </Button>
                  )}
                  <Button tone="critical" onClick={() => setConfirm({ intent: "disconnect", environment })} loading={props.busy === "disconnect"}>
                    {t(`environments.disconnect.${environment}`)}
                  </Button>
                </InlineStack>
              )}
            </InlineStack>
          );
        })}
        <Text as="p" tone="subdued">
          {t("environments.explanation")}
        </Text>
      </BlockStack>
      <ConfirmModal
        open={confirm !== null}
        title={confirm ? t(`environments.confirm.${confirmKey(confirm)}.title`) : ""}
        confirm={confirm?.intent === "disconnect" ? t("environments.confirm.disconnect") : t("environments.confirm.switch")}
        destructive={confirm?.intent === "disconnect" || confirm?.environment === "sandbox"}
        loading={props.busy !== null}
        onConfirm={() => {
          if (confirm) submit({ intent: confirm.intent, environment: confirm.environment }, { method: "post" });
          onClose();
        }}
        onClose={onClose}
      >
        {confirm ? [t(`environments.confirm.${confirmKey(confirm)}.body`)] : []}
      </ConfirmModal>
    </Card>
  );
}

/** Where a confirmation's title and body are: `environments.confirm.<environment>` for a switch, `.disconnectFrom.<environment>` for a disconnect. */
const confirmKey = ({ intent, environment }: Confirming) => (intent === "disconnect" ? `disconnectFrom.${environment}` : environment);
