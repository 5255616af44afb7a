// The hold page's whole picture: this payment's checks, and what this shop knows of the same customer
// (other payments with their orders, holds, refunds and disputes), so a decision needs no other tab.
import { Link as RemixLink } from "@remix-run/react";
import { Badge, BlockStack, DataTable, InlineGrid, InlineStack, Link, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { statusBadge } from "../../disputes/status";
import { useDisputeWords } from "../../disputes/ui/labels";
import { cardLabel } from "../../payments/card";
import { paymentStatusKey } from "../../payments/status";
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

/**
 * A payment's status (Checkout.com's English name; one we do not know, as it comes) and card ("Visa •••• 4242")
 * in the staff member's words, as the payment screens say them.
 */
export function usePaymentWords() {
  const { t } = useTranslation("payments");
  return {
    status: (status: string) => {
      const key = paymentStatusKey(status);
      return key ? t(`status.${key}`) : status;
    },
    card: (scheme: string | null, last4: string | null) => cardLabel(scheme, last4, t("card.unknownScheme")),
  };
}

export function PaymentChecksCard({ checks }: { checks: Checks }) {
  const { t } = useTranslation("holds");
  /** A card network's answer: its meaning and code, the code alone when we do not know it, or that none came. */
  const answer = (kind: "avs" | "cvv", c: { code: string | null; result: string | null }) => {
    if (!c.code) return t("picture.notReported");
    if (!c.result) return t("picture.unknownCode", { code: c.code });
    return t("picture.withCode", { words: t(`picture.${kind}.${c.result}`), code: c.code });
  };
  const threeDs = !checks.threeDs.used
    ? t("picture.threeDsNotUsed")
    : checks.threeDs.outcome
      ? t(`threeDs.${checks.threeDs.outcome}`)
      : t("picture.threeDsNoOutcome");
  const country = (c: { value: string | null }) => c.value ?? t("picture.notReported");
  const differs = (c: { differs: boolean }) => c.differs && t("picture.notShippingCountry");
  return (
    <TitledCard title={t("picture.checks")} gap="300">
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
        <Fact label={t("picture.avsLabel")} warning={checks.avs.warning && t("picture.mismatch")}>
          {answer("avs", checks.avs)}
        </Fact>
        <Fact label={t("picture.cvvLabel")} warning={checks.cvv.warning && t("picture.mismatch")}>
          {answer("cvv", checks.cvv)}
        </Fact>
        <Fact label={t("picture.threeDsLabel")} warning={checks.threeDs.warning && t("picture.notAuthenticated")}>
          {threeDs}
        </Fact>
        <Fact label={t("picture.shippingCountry")}>{checks.shippingCountry ?? t("picture.notReported")}</Fact>
        <Fact label={t("picture.billingCountry")} warning={differs(checks.billingCountry)}>
          {country(checks.billingCountry)}
        </Fact>
        <Fact label={t("picture.cardCountry")} warning={differs(checks.cardCountry)}>
          {country(checks.cardCountry)}
        </Fact>
        <Fact label={t("picture.ipAddress")}>{checks.ipAddress ?? t("picture.notReported")}</Fact>
        <Fact label={t("picture.ipCountry")} warning={differs(checks.ipCountry)}>
          {country(checks.ipCountry)}
        </Fact>
      </InlineGrid>
    </TitledCard>
  );
}

export function CustomerHistoryCard({ picture }: { picture: Pick<CustomerPicture, "others" | "disputes" | "totals"> }) {
  const { t } = useTranslation("holds");
  const { dateTime, money, totals: sum } = useFormat();
  const disputeWords = useDisputeWords();
  const paymentWords = usePaymentWords();
  const { others, disputes, totals } = picture;
  const atLeast = totals.capped ? "AtLeast" : "";
  const glance = [
    t(`picture.otherPayments${atLeast}`, { count: totals.payments }),
    t(`picture.cards${atLeast}`, { count: totals.cards }),
    totals.refunded.length ? t("picture.refunded", { amount: sum(totals.refunded) }) : t("picture.nothingRefunded"),
    t("picture.disputes", { count: totals.disputes }),
  ].join(" · ");
  return (
    <TitledCard title={t("picture.customer")} gap="300">
      {totals.payments === 0 ? (
        <Text as="p" tone="subdued">
          {t("picture.noOthers")}
        </Text>
      ) : (
        <Text as="p">{glance}</Text>
      )}
      {others.length > 0 && (
        <DataTable
          columnContentTypes={["text", "text", "numeric", "text", "text", "text"]}
          headings={[t("picture.paid"), t("picture.order"), t("picture.amount"), t("picture.status"), t("picture.same"), t("picture.hold")]}
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
              t("picture.noOrder")
            ),
            money(p.amount, p.currency),
            <InlineStack key="status" gap="100">
              <Text as="span">{paymentWords.status(p.status)}</Text>
              {p.refunded !== null && <Badge>{t("picture.refundedBadge", { amount: money(p.refunded, p.currency) })}</Badge>}
              {p.disputed && <Badge tone="critical">{t("picture.disputed")}</Badge>}
            </InlineStack>,
            p.sharedBy.map((s) => t(`picture.sharedBy.${s}`)).join(", "),
            p.hold ? (
              <RemixLink key="hold" to={`/app/holds/${p.hold.id}`}>
                {p.hold.status in HOLD_STATUS_BADGES ? t(`status.${p.hold.status}`) : p.hold.status}
              </RemixLink>
            ) : (
              t("picture.notHeld")
            ),
          ])}
        />
      )}
      {totals.payments > others.length && (
        <Text as="p" tone="subdued">
          {t("picture.newestShown", { count: others.length })}
        </Text>
      )}
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {t("picture.earlierDisputes")}
        </Text>
        {disputes.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("picture.noDisputes")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "text", "text"]}
            headings={[t("picture.opened"), t("picture.dispute"), t("picture.amount"), t("picture.reason"), t("picture.status")]}
            increasedTableDensity
            rows={disputes.map((d) => {
              const { tone } = statusBadge(d.status);
              return [
                dateTime(d.at),
                <RemixLink key="dispute" to={`/app/disputes/${d.id}`}>
                  {d.ckoDisputeId}
                </RemixLink>,
                money(d.amount, d.currency),
                disputeWords.category(d.reason),
                <Badge key="status" tone={tone}>
                  {disputeWords.status(d.status)}
                </Badge>,
              ];
            })}
          />
        )}
      </BlockStack>
    </TitledCard>
  );
}
