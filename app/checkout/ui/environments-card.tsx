// Settings → Environments: the shop's sandbox and production connections side by side, which one is
// active, and switching with one click (confirmed: from then on the other key moves money).
import { useSubmit } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmModal } from "../../ui/confirm-modal";
import type { ConnectionSummary } from "../connection.server";
import { ENVIRONMENTS, type CheckoutEnvironment } from "../keys";

export function EnvironmentsCard(props: { connections: Record<CheckoutEnvironment, ConnectionSummary | null>; canEdit: boolean; busy: boolean }) {
  const { t } = useTranslation("checkout");
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
                  {t(`environments.${environment}`)}
                </Text>
                {!connection ? (
                  <Badge>{t("environments.status.notSetUp")}</Badge>
                ) : connection.active ? (
                  <Badge tone={environment === "production" ? "success" : "attention"}>{t("environments.status.active")}</Badge>
                ) : (
                  <Badge tone="info">{t("environments.status.inactive")}</Badge>
                )}
              </InlineStack>
              {props.canEdit && connection && !connection.active && (
                <Button onClick={() => setConfirm(environment)} loading={props.busy}>
                  {t(`environments.activate.${environment}`)}
                </Button>
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
        title={confirm ? t(`environments.confirm.${confirm}.title`) : ""}
        confirm={t("environments.confirm.switch")}
        destructive={confirm === "sandbox"}
        loading={props.busy}
        onConfirm={() => {
          if (confirm) submit({ intent: "activate", environment: confirm }, { method: "post" });
          onClose();
        }}
        onClose={onClose}
      >
        {confirm ? [t(`environments.confirm.${confirm}.body`)] : []}
      </ConfirmModal>
    </Card>
  );
}
