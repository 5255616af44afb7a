// One risky payment without an order in the Unmatched tab: what it is, why it is risky, how long it
// has waited, the candidate orders with a button each, and a field to name the order by hand.
import { Form, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../ui/format";
import type { UnmatchedPayment } from "../unmatched.server";
import { usePaymentWords } from "./customer-picture";

const HOUR_MS = 3_600_000;

/** "3 hours", "2 days": how long since `iso`, counted from the page's `now` (the same on server and browser). */
function waited(iso: string, now: string, t: TFunction<"holds">): string {
  const hours = Math.max(0, Math.floor((new Date(now).getTime() - new Date(iso).getTime()) / HOUR_MS));
  if (hours < 1) return t("unmatched.card.lessThanHour");
  if (hours < 48) return t("unmatched.card.hours", { count: hours });
  return t("unmatched.card.days", { count: Math.floor(hours / 24) });
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
  const { t } = useTranslation("holds");
  const { dateTime, money } = useFormat();
  const paymentWords = usePaymentWords();
  const [order, setOrder] = useState("");
  const navigation = useNavigation();
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center" wrap>
          <Text as="h2" variant="headingMd">
            {money(payment.amount, payment.currency)} · {payment.customerEmail ?? t("unmatched.card.noEmail")}
          </Text>
          {payment.reasons.map((reason) => (
            <Badge key={reason} tone="critical">
              {t(`rule.${reason}`)}
            </Badge>
          ))}
        </InlineStack>
        <Text as="p">
          {t("unmatched.card.paid", { at: dateTime(payment.paidAt), waited: waited(payment.paidAt, now, t) })}{" "}
          {payment.stillLooking ? t("unmatched.card.stillLooking") : t("unmatched.card.stoppedLooking")}
        </Text>
        <Text as="p" tone="subdued">
          {[
            paymentWords.card(payment.cardScheme, payment.cardLast4),
            payment.reference && t("unmatched.card.reference", { reference: payment.reference }),
            payment.riskScore !== null && t("unmatched.card.riskScore", { score: payment.riskScore }),
            payment.ckoPaymentId,
          ]
            .filter(Boolean)
            .join(" · ")}
        </Text>
        {payment.candidates.length > 0 ? (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {t("unmatched.card.candidates")}
            </Text>
            {payment.candidates.map((c) => (
              <InlineStack key={c.gid} gap="300" blockAlign="center" wrap>
                <LinkForm paymentId={payment.id} order={c.gid} disabled={!canLink}>
                  {t("unmatched.card.linkTo", { order: c.name })}
                </LinkForm>
                <Text as="span" tone="subdued">
                  {[
                    c.total === null ? c.currency : money(c.total, c.currency),
                    c.email ?? t("unmatched.card.noEmail"),
                    dateTime(c.createdAt),
                    c.why.map((w) => (w === "email" ? t("unmatched.card.sameEmail") : t("unmatched.card.sameAmount"))).join(", "),
                  ].join(" · ")}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            {t("unmatched.card.noCandidates")}
          </Text>
        )}
        {canLink && (
          <Form method="post">
            <input type="hidden" name="paymentId" value={payment.id} />
            <InlineStack gap="200" blockAlign="end">
              <TextField label={t("unmatched.card.orderField")} name="order" value={order} onChange={setOrder} placeholder="#1001" autoComplete="off" />
              <Button submit disabled={!order.trim() || navigation.state !== "idle"}>
                {t("unmatched.card.link")}
              </Button>
            </InlineStack>
          </Form>
        )}
      </BlockStack>
    </Card>
  );
}
