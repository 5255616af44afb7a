// One risky payment without an order in the Unmatched tab: what it is, why it is risky, how long it
// has waited, the candidate orders with a button each, and a field to name the order by hand.
import { Form, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useFormat } from "../../ui/format";
import type { UnmatchedPayment } from "../unmatched.server";

const HOUR_MS = 3_600_000;

/** "3 hours", "2 days": how long since `iso`, counted from the page's `now` (the same on server and browser). */
function waited(iso: string, now: string): string {
  const hours = Math.max(0, Math.floor((new Date(now).getTime() - new Date(iso).getTime()) / HOUR_MS));
  if (hours < 1) return "less than an hour";
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  return `${Math.floor(hours / 24)} days`;
}

function LinkForm({ paymentId, order, children, disabled }: { paymentId: string; order: string; children: React.ReactNode; disabled: boolean }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("paymentId") === paymentId && navigation.formData?.get("order") === order;
  return (
    <Form method="post">
      <input type="hidden" name="paymentId" value={paymentId} />
      <input type="hidden" name="order" value={order} />
      <Button submit loading={busy} disabled={disabled || navigation.state !== "idle"}>
        {String(children)}
      </Button>
    </Form>
  );
}

export function UnmatchedPaymentCard({ payment, now, canLink }: { payment: UnmatchedPayment; now: string; canLink: boolean }) {
  const { dateTime } = useFormat();
  const [order, setOrder] = useState("");
  const navigation = useNavigation();
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center" wrap>
          <Text as="h2" variant="headingMd">
            {payment.amount} · {payment.customerEmail ?? "no email"}
          </Text>
          {payment.reasons.map((reason) => (
            <Badge key={reason} tone="critical">
              {reason}
            </Badge>
          ))}
        </InlineStack>
        <Text as="p">
          Paid {dateTime(payment.paidAt)}, waiting {waited(payment.paidAt, now)}.{" "}
          {payment.stillLooking ? "The app is still looking for its order." : "The app stopped looking for its order."}
        </Text>
        <Text as="p" tone="subdued">
          {[
            payment.card,
            payment.reference && `reference ${payment.reference}`,
            payment.riskScore !== null && `risk score ${payment.riskScore}`,
            payment.ckoPaymentId,
          ]
            .filter(Boolean)
            .join(" · ")}
        </Text>
        {payment.candidates.length > 0 ? (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Orders that may be this payment&apos;s
            </Text>
            {payment.candidates.map((c) => (
              <InlineStack key={c.gid} gap="300" blockAlign="center" wrap>
                <LinkForm paymentId={payment.id} order={c.gid} disabled={!canLink}>{`Link to ${c.name}`}</LinkForm>
                <Text as="span" tone="subdued">
                  {c.total} · {c.email ?? "no email"} · {dateTime(c.createdAt)} · {c.why}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            No order with this email, or this amount and currency, was created within a day of the payment.
          </Text>
        )}
        {canLink && (
          <Form method="post">
            <input type="hidden" name="paymentId" value={payment.id} />
            <InlineStack gap="200" blockAlign="end">
              <TextField label="Or name the order" name="order" value={order} onChange={setOrder} placeholder="#1001" autoComplete="off" />
              <Button submit disabled={!order.trim() || navigation.state !== "idle"}>
                Link
              </Button>
            </InlineStack>
          </Form>
        )}
      </BlockStack>
    </Card>
  );
}
