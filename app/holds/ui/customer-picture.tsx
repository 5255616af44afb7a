// The hold page's whole picture: this payment's checks, and what this shop knows of the same customer
// (other payments with their orders, holds, refunds and disputes), so a decision needs no other tab.
import { Link as RemixLink } from "@remix-run/react";
import { Badge, BlockStack, DataTable, InlineGrid, InlineStack, Link, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { categoryLabel, statusBadge } from "../../disputes/status";
import { orderAdminUrl } from "../../shopify/admin-urls";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import type { CustomerPicture } from "../customer-picture.server";
import { HOLD_STATUS_BADGES } from "../status-badges";

function Fact({ label, children, warning }: { label: string; children: ReactNode; warning?: string | false }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <InlineStack gap="100" blockAlign="center">
        <Text as="span">{children}</Text>
        {warning && <Badge tone="warning">{warning}</Badge>}
      </InlineStack>
    </BlockStack>
  );
}

type Checks = CustomerPicture["checks"];

export function PaymentChecksCard({ checks }: { checks: Checks }) {
  const withCode = (c: { code: string | null; words: string }) => (c.code ? `${c.words} (${c.code})` : c.words);
  const country = (c: { value: string | null }) => c.value ?? "not reported";
  const differs = (c: { differs: boolean }) => c.differs && "Not the shipping country";
  return (
    <TitledCard title="Checks" gap="300">
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
        <Fact label="Address check (AVS)" warning={checks.avs.warning && "Mismatch"}>
          {withCode(checks.avs)}
        </Fact>
        <Fact label="Security code (CVV)" warning={checks.cvv.warning && "Mismatch"}>
          {withCode(checks.cvv)}
        </Fact>
        <Fact label="3-D Secure" warning={checks.threeDs.warning && "Not authenticated"}>
          {checks.threeDs.words}
        </Fact>
        <Fact label="Shipping country">{checks.shippingCountry ?? "not reported"}</Fact>
        <Fact label="Billing country" warning={differs(checks.billingCountry)}>
          {country(checks.billingCountry)}
        </Fact>
        <Fact label="Card issued in" warning={differs(checks.cardCountry)}>
          {country(checks.cardCountry)}
        </Fact>
        <Fact label="IP address">{checks.ipAddress ?? "not reported"}</Fact>
        <Fact label="IP country" warning={differs(checks.ipCountry)}>
          {country(checks.ipCountry)}
        </Fact>
      </InlineGrid>
    </TitledCard>
  );
}

const SHARED_WORDS = { email: "email", card: "card", customer: "customer id" } as const;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function glance(totals: CustomerPicture["totals"]): string {
  const atLeast = totals.capped ? "at least " : "";
  return [
    `${atLeast}${plural(totals.payments, "other payment")}`,
    `${atLeast}${plural(totals.cards, "card")}`,
    totals.refunded ? `refunded ${totals.refunded}` : "nothing refunded",
    plural(totals.disputes, "dispute"),
  ].join(" · ");
}

export function CustomerHistoryCard({ picture }: { picture: Pick<CustomerPicture, "others" | "disputes" | "totals"> }) {
  const { dateTime } = useFormat();
  const { others, disputes, totals } = picture;
  return (
    <TitledCard title="This customer here" gap="300">
      {totals.payments === 0 ? (
        <Text as="p" tone="subdued">
          No other payments from this customer here (same email, card or Checkout.com customer).
        </Text>
      ) : (
        <Text as="p">{glance(totals)}</Text>
      )}
      {others.length > 0 && (
        <DataTable
          columnContentTypes={["text", "text", "numeric", "text", "text", "text"]}
          headings={["Paid", "Order", "Amount", "Status", "Same", "Hold"]}
          increasedTableDensity
          rows={others.map((p) => [
            <RemixLink key="payment" to={`/app/payments/${p.id}`}>
              {dateTime(p.at)}
            </RemixLink>,
            p.order ? (
              <Link key="order" url={orderAdminUrl(p.order.gid)} target="_top">
                {p.order.name}
              </Link>
            ) : (
              "no order"
            ),
            p.amount,
            <InlineStack key="status" gap="100">
              <Text as="span">{p.status}</Text>
              {p.refunded && <Badge>{`Refunded ${p.refunded}`}</Badge>}
              {p.disputed && <Badge tone="critical">Disputed</Badge>}
            </InlineStack>,
            p.sharedBy.map((s) => SHARED_WORDS[s]).join(", "),
            p.hold ? (
              <RemixLink key="hold" to={`/app/holds/${p.hold.id}`}>
                {HOLD_STATUS_BADGES[p.hold.status]?.label ?? p.hold.status}
              </RemixLink>
            ) : (
              "not held"
            ),
          ])}
        />
      )}
      {totals.payments > others.length && (
        <Text as="p" tone="subdued">
          The newest {others.length} are shown.
        </Text>
      )}
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          Earlier disputes
        </Text>
        {disputes.length === 0 ? (
          <Text as="p" tone="subdued">
            No disputes on this customer&apos;s other payments here.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "text", "text"]}
            headings={["Opened", "Dispute", "Amount", "Reason", "Status"]}
            increasedTableDensity
            rows={disputes.map((d) => {
              const badge = statusBadge(d.status);
              return [
                dateTime(d.at),
                <RemixLink key="dispute" to={`/app/disputes/${d.id}`}>
                  {d.ckoDisputeId}
                </RemixLink>,
                d.amount,
                categoryLabel(d.reason),
                <Badge key="status" tone={badge.tone}>
                  {badge.label}
                </Badge>,
              ];
            })}
          />
        )}
      </BlockStack>
    </TitledCard>
  );
}
