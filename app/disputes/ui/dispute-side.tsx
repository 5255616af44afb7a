// The dispute page's side column: the deadline and the answer so far, the payment, and the activity.
import { BlockStack, Button, Card, InlineStack, List, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import type { DisputeDetail } from "../queries.server";
import { DeadlineBadge } from "./badges";

/** `now`: the server's time when the page was loaded, so the deadline reads the same in the browser. */
export function DisputeSide({ detail, now, onRefresh }: { detail: DisputeDetail; now: string; onRefresh: () => void }) {
  const { dispute, payment } = detail;
  const { t } = useTranslation("disputes");
  const { dateTime, money } = useFormat();
  return (
    <BlockStack gap="400">
      <TitledCard title={t("side.deadline")}>
        <InlineStack gap="200" blockAlign="center">
          <Text as="p">{dispute.evidenceRequiredBy ? dateTime(dispute.evidenceRequiredBy) : t("side.notGiven")}</Text>
          {dispute.needsResponse && <DeadlineBadge deadline={dispute.evidenceRequiredBy} now={now} />}
        </InlineStack>
        {dispute.submittedAt && <Text as="p">{t("side.submitted", { date: dateTime(dispute.submittedAt), name: dispute.submittedBy ?? "" })}</Text>}
        {dispute.acceptedAt && <Text as="p">{t("side.accepted", { date: dateTime(dispute.acceptedAt), name: dispute.acceptedBy ?? "" })}</Text>}
        {dispute.evidenceSavedAt && !dispute.submittedAt && <Text as="p">{t("side.saved", { date: dateTime(dispute.evidenceSavedAt) })}</Text>}
      </TitledCard>
      <TitledCard title={t("side.payment")}>
        {payment ? (
          <>
            <Text as="p">
              {money(payment.amount, payment.currency)}
              {payment.cardLast4
                ? ` · ${payment.cardScheme ? t("side.card", { scheme: payment.cardScheme, last4: payment.cardLast4 }) : t("side.cardUnknownScheme", { last4: payment.cardLast4 })}`
                : ""}
            </Text>
            {payment.customerEmail && <Text as="p">{payment.customerEmail}</Text>}
            {dispute.paymentId && (
              <Button variant="plain" url={`/app/payments/${dispute.paymentId}`}>
                {payment.ckoPaymentId}
              </Button>
            )}
          </>
        ) : (
          <Text as="p" tone="subdued">
            {t("side.notReceived", { payment: dispute.ckoPaymentId ?? t("side.unknownPayment") })}
          </Text>
        )}
        {dispute.orderGid && (
          <Button variant="plain" url={`shopify://admin/orders/${dispute.orderGid.split("/").pop()}`} target="_top">
            {dispute.orderName ? t("side.openOrder", { name: dispute.orderName }) : t("side.openOrderUnnamed")}
          </Button>
        )}
      </TitledCard>
      <Card>
        <BlockStack gap="200">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {t("side.activity")}
            </Text>
            <Button variant="plain" onClick={() => onRefresh()}>
              {t("side.refresh")}
            </Button>
          </InlineStack>
          {detail.activity.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("side.nothingYet")}
            </Text>
          ) : (
            <List>
              {detail.activity.map((a) => {
                // The audit action's code in words ("evidence.submit" → "evidence submit"), as the audit log names it.
                const entry = { date: dateTime(a.at), action: a.action.replace(".", " ").replaceAll("_", " "), actor: a.actor };
                return (
                  <List.Item key={a.id}>
                    {a.result === "error" ? t("side.activityFailed", { ...entry, error: a.error ?? "" }) : t("side.activityItem", entry)}
                  </List.Item>
                );
              })}
            </List>
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
