// Reconciliation in words, for the Reconciliation screen and Home's card: what each kind of difference
// means, the open differences' value per currency (never added across currencies), and the last daily check.
import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../ui/format";
import type { CurrencyValue, ReconciliationSummary } from "../issues.server";

/** A kind of difference in words; a code this version has no words for, as it is. */
export function useKindWords() {
  const { t, i18n } = useTranslation("reconciliation");
  return (kind: string) => (i18n.exists(`reconciliation:kinds.${kind}`) ? t(`kinds.${kind}`) : kind);
}

/** What a kind of difference means and what to do about it, for the kinds that need saying; nothing for the others. */
export function KindExplanation({ kind }: { kind: string }) {
  const { t, i18n } = useTranslation("reconciliation");
  if (!i18n.exists(`reconciliation:explanations.${kind}`)) return null;
  return (
    <Text as="p" tone="subdued">
      {t(`explanations.${kind}`)}
    </Text>
  );
}

/** One line per currency: "$12.34 in 2 issues". */
export function CurrencyValues({ values }: { values: CurrencyValue[] }) {
  const { t } = useTranslation("reconciliation");
  const { money } = useFormat();
  return (
    <BlockStack gap="050">
      {values.map((v) => (
        <Text as="p" key={v.currency}>
          {t("summary.value", { amount: money(v.minor, v.currency), count: v.count })}
        </Text>
      ))}
    </BlockStack>
  );
}

/** When the daily check last ran and how many payments it compared; whether it is running now. */
export function LastSweep({ sweep }: { sweep: ReconciliationSummary["lastSweep"] }) {
  const { t } = useTranslation("reconciliation");
  const { dateTime } = useFormat();
  const text = !sweep
    ? t("sweep.never")
    : sweep.finishedAt
      ? t("sweep.finished", { date: dateTime(sweep.finishedAt), count: sweep.checked })
      : t("sweep.running", { date: dateTime(sweep.startedAt), count: sweep.checked });
  return (
    <Text as="p" tone="subdued">
      {text}
    </Text>
  );
}

/** Home's card: how many differences are open and their value per currency, with the last check. */
export function ReconciliationCard({ summary }: { summary: ReconciliationSummary }) {
  const { t } = useTranslation("reconciliation");
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("card.title")}
          </Text>
          <Link to="/app/reconciliation">{t("card.open")}</Link>
        </InlineStack>
        {summary.open > 0 ? (
          <>
            <Text as="p" fontWeight="semibold">
              {t("card.openIssues", { count: summary.open })}
            </Text>
            <CurrencyValues values={summary.values} />
          </>
        ) : (
          <Text as="p">{t("agree.heading")}</Text>
        )}
        <LastSweep sweep={summary.lastSweep} />
      </BlockStack>
    </Card>
  );
}
