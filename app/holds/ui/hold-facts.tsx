// The hold page's facts: the order (how the payment was matched to it) and the payment behind the hold.
import { Badge, Link, Text } from "@shopify/polaris";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import type { HoldView } from "../queue.server";

export function HoldOrderCard({ hold }: { hold: HoldView }) {
  const { dateTime: when } = useFormat();
  return (
    <TitledCard gap="300" title="Order">
      <Link url={hold.order.url} target="_top">
        Open {hold.order.name} in Shopify
      </Link>
      {hold.match && (
        <Text as="p">
          Matched: {hold.match.by}{" "}
          <Badge tone={hold.match.confidence === "weak" ? "warning" : undefined}>{hold.match.confidence === "weak" ? "Weak match" : "Strong match"}</Badge>
        </Text>
      )}
      <Text as="p" tone="subdued">
        Decided {when(hold.decidedAt)}
        {hold.heldAt ? ` · held ${when(hold.heldAt)}` : ""}
        {hold.resolvedAt ? ` · resolved ${when(hold.resolvedAt)} by ${hold.resolvedBy}` : ""}
      </Text>
    </TitledCard>
  );
}

export function HoldPaymentCard({ hold }: { hold: HoldView }) {
  return (
    <TitledCard gap="300" title="Payment">
      <Text as="p">
        {hold.payment.amount} · {hold.payment.status}
      </Text>
      <Text as="p">
        Risk score: {hold.payment.riskScore ?? "not reported"}
        {hold.payment.riskFlagged ? " · flagged by Checkout.com" : ""}
      </Text>
      <Text as="p">{hold.payment.customerEmail ?? "No email"}</Text>
      {hold.payment.card && <Text as="p">{hold.payment.card}</Text>}
      <Text as="p" tone="subdued">
        {hold.payment.ckoPaymentId}
      </Text>
      {hold.moneyActions.map((m) => (
        <Text as="p" key={m.id}>
          {m.kind} {m.amount ?? ""} · {m.status}
          {m.error ? ` · ${m.error}` : ""}
        </Text>
      ))}
    </TitledCard>
  );
}
