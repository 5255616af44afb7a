// The dispute page's side column: the deadline and the answer so far, the payment, and the activity.
import { BlockStack, Button, Card, InlineStack, List, Text } from "@shopify/polaris";
import { formatMoney } from "../../lib/money";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import type { DisputeDetail } from "../queries.server";
import { DeadlineBadge } from "./badges";

/** `now`: the server's time when the page was loaded, so the deadline reads the same in the browser. */
export function DisputeSide({ detail, now, onRefresh }: { detail: DisputeDetail; now: string; onRefresh: () => void }) {
  const { dispute } = detail;
  const { dateTime } = useFormat();
  return (
    <BlockStack gap="400">
      <TitledCard title="Deadline">
        <InlineStack gap="200" blockAlign="center">
          <Text as="p">{dispute.evidenceRequiredBy ? dateTime(dispute.evidenceRequiredBy) : "Not given"}</Text>
          {dispute.needsResponse && <DeadlineBadge deadline={dispute.evidenceRequiredBy} now={now} />}
        </InlineStack>
        {dispute.submittedAt && (
          <Text as="p">
            Submitted {dateTime(dispute.submittedAt)} by {dispute.submittedBy}
          </Text>
        )}
        {dispute.acceptedAt && (
          <Text as="p">
            Accepted {dateTime(dispute.acceptedAt)} by {dispute.acceptedBy}
          </Text>
        )}
        {dispute.evidenceSavedAt && !dispute.submittedAt && <Text as="p">Saved to Checkout.com {dateTime(dispute.evidenceSavedAt)}</Text>}
      </TitledCard>
      <TitledCard title="Payment">
        {detail.payment ? (
          <>
            <Text as="p">
              {formatMoney(detail.payment.amount, detail.payment.currency)}
              {detail.payment.cardLast4 ? ` · ${detail.payment.cardScheme ?? "Card"} ending ${detail.payment.cardLast4}` : ""}
            </Text>
            {detail.payment.customerEmail && <Text as="p">{detail.payment.customerEmail}</Text>}
            {dispute.paymentId && (
              <Button variant="plain" url={`/app/payments/${dispute.paymentId}`}>
                {detail.payment.ckoPaymentId}
              </Button>
            )}
          </>
        ) : (
          <Text as="p" tone="subdued">
            {dispute.ckoPaymentId ?? "Unknown payment"}: not received by this app yet.
          </Text>
        )}
        {dispute.orderGid && (
          <Button variant="plain" url={`shopify://admin/orders/${dispute.orderGid.split("/").pop()}`} target="_top">
            {`Open order ${dispute.orderName ?? ""} in Shopify`}
          </Button>
        )}
      </TitledCard>
      <Card>
        <BlockStack gap="200">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Activity
            </Text>
            <Button variant="plain" onClick={() => onRefresh()}>
              Refresh
            </Button>
          </InlineStack>
          {detail.activity.length === 0 ? (
            <Text as="p" tone="subdued">
              Nothing yet.
            </Text>
          ) : (
            <List>
              {detail.activity.map((a) => (
                <List.Item key={a.id}>
                  {dateTime(a.at)}: {a.action.replace(".", " ").replaceAll("_", " ")} by {a.actor}
                  {a.result === "error" ? ` (failed: ${a.error})` : ""}
                </List.Item>
              ))}
            </List>
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
