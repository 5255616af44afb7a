// The home screen's "due soon" card: unanswered disputes by deadline, each a link to its page.
import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../ui/format";
import type { DisputeListItem } from "../queries.server";
import { DeadlineBadge } from "./badges";
import { useDisputeWords } from "./labels";

type DueDispute = Pick<DisputeListItem, "id" | "orderName" | "ckoDisputeId" | "category" | "amount" | "currency" | "evidenceRequiredBy">;

export function DueSoonCard({ disputes, now }: { disputes: DueDispute[]; now: string }) {
  const { t } = useTranslation("disputes");
  const { money } = useFormat();
  const words = useDisputeWords();
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("dueSoon.title")}
          </Text>
          <Link to="/app/disputes">{t("dueSoon.all")}</Link>
        </InlineStack>
        {disputes.map((d) => (
          <InlineStack key={d.id} align="space-between" blockAlign="center" gap="200">
            <Link to={`/app/disputes/${d.id}`}>
              {d.orderName ?? d.ckoDisputeId} · {words.category(d.category)} · {money(d.amount, d.currency)}
            </Link>
            <DeadlineBadge deadline={d.evidenceRequiredBy} now={now} />
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}
