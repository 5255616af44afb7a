// The home screen's "due soon" card: unanswered disputes by deadline, each a link to its page.
import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { formatMoney } from "../../lib/money";
import type { DisputeListItem } from "../queries.server";
import { categoryLabel } from "../status";
import { DeadlineBadge } from "./badges";

type DueDispute = Pick<DisputeListItem, "id" | "orderName" | "ckoDisputeId" | "category" | "amount" | "currency" | "evidenceRequiredBy">;

export function DueSoonCard({ disputes, now }: { disputes: DueDispute[]; now: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Dispute evidence due soon
          </Text>
          <Link to="/app/disputes">All disputes</Link>
        </InlineStack>
        {disputes.map((d) => (
          <InlineStack key={d.id} align="space-between" blockAlign="center" gap="200">
            <Link to={`/app/disputes/${d.id}`}>
              {d.orderName ?? d.ckoDisputeId} · {categoryLabel(d.category)} · {formatMoney(d.amount, d.currency)}
            </Link>
            <DeadlineBadge deadline={d.evidenceRequiredBy} now={now} />
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}
