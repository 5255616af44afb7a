// The hold page's facts: the order (how the payment was matched to it) and the payment behind the hold.
import { Badge, Link, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import { MATCH_METHOD_LABELS } from "../matching";
import type { HoldView } from "../queue.server";
import { usePaymentWords } from "./customer-picture";

const MONEY_KINDS = ["refund", "void", "capture"];
const MONEY_STATUSES = ["requested", "accepted", "failed", "succeeded", "declined"];

/** How the payment was matched to its order, in words (a method we do not know: as recorded). */
export function useMatchMethod() {
  const { t } = useTranslation("holds");
  return (method: string) => (method in MATCH_METHOD_LABELS ? t(`matchMethod.${method}`) : method);
}

export function HoldOrderCard({ hold }: { hold: HoldView }) {
  const { t } = useTranslation("holds");
  const matchMethod = useMatchMethod();
  const { dateTime: when } = useFormat();
  const times = [
    t("facts.decided", { at: when(hold.decidedAt) }),
    hold.heldAt && t("facts.held", { at: when(hold.heldAt) }),
    hold.resolvedAt &&
      (hold.resolvedBy ? t("facts.resolvedBy", { at: when(hold.resolvedAt), by: hold.resolvedBy }) : t("facts.resolved", { at: when(hold.resolvedAt) })),
  ];
  return (
    <TitledCard gap="300" title={t("facts.order")}>
      <Link url={hold.order.url} target="_top">
        {t("facts.openInShopify", { order: hold.order.name })}
      </Link>
      {hold.match && (
        <Text as="p">
          {t("facts.matched", { method: matchMethod(hold.match.method) })}{" "}
          <Badge tone={hold.match.confidence === "weak" ? "warning" : undefined}>
            {hold.match.confidence === "weak" ? t("facts.weakMatch") : t("facts.strongMatch")}
          </Badge>
        </Text>
      )}
      <Text as="p" tone="subdued">
        {times.filter(Boolean).join(" · ")}
      </Text>
    </TitledCard>
  );
}

export function HoldPaymentCard({ hold }: { hold: HoldView }) {
  const { t } = useTranslation("holds");
  const { money } = useFormat();
  const paymentWords = usePaymentWords();
  const card = paymentWords.card(hold.payment.cardScheme, hold.payment.cardLast4);
  const { payment } = hold;
  return (
    <TitledCard gap="300" title={t("facts.payment")}>
      <Text as="p">
        {money(payment.amount, payment.currency)} · {paymentWords.status(payment.status)}
      </Text>
      <Text as="p">
        {[
          payment.riskScore === null ? t("facts.riskScoreUnknown") : t("facts.riskScore", { score: payment.riskScore }),
          payment.riskFlagged && t("facts.flagged"),
        ]
          .filter(Boolean)
          .join(" · ")}
      </Text>
      <Text as="p">{payment.customerEmail ?? t("facts.noEmail")}</Text>
      {card && <Text as="p">{card}</Text>}
      <Text as="p" tone="subdued">
        {payment.ckoPaymentId}
      </Text>
      {hold.moneyActions.map((m) => (
        <Text as="p" key={m.id}>
          {[
            [MONEY_KINDS.includes(m.kind) ? t(`facts.moneyKind.${m.kind}`) : m.kind, m.amount !== null ? money(m.amount, m.currency) : ""].join(" ").trim(),
            MONEY_STATUSES.includes(m.status) ? t(`facts.moneyStatus.${m.status}`) : m.status,
            m.error,
          ]
            .filter(Boolean)
            .join(" · ")}
        </Text>
      ))}
    </TitledCard>
  );
}
