import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, Divider, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { formatMoney } from "../lib/money";
import { getPayment } from "../payments/payments.server";
import { STATUS_TONE } from "../payments/status";
import { authenticate } from "../shopify.server";
import { ensureShop } from "../shops/shop.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const payment = await getPayment(shop.id, params.id ?? "");
  if (!payment) throw new Response("Payment not found", { status: 404 });
  return { payment };
};

function Row({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <InlineStack align="space-between" gap="200" wrap={false}>
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" alignment="end">
        {value ?? "–"}
      </Text>
    </InlineStack>
  );
}

const threeDsWords = (json: string | null) => {
  if (!json) return null;
  const t = JSON.parse(json) as Record<string, unknown>;
  const parts = [t.enrolled && `enrolled ${t.enrolled}`, t.authentication_response && `authentication ${t.authentication_response}`, t.version && `v${t.version}`, t.downgraded === true && "downgraded"].filter(Boolean);
  return parts.length ? parts.join(", ") : "present";
};

export default function PaymentDetail() {
  const { payment: p } = useLoaderData<typeof loader>();
  const money = (minor: number) => (p.currency ? formatMoney(minor, p.currency) : String(minor));

  return (
    <Page
      title={p.ckoPaymentId}
      subtitle={p.reference ? `Reference ${p.reference}` : undefined}
      backAction={{ content: "Payments", url: "/app/payments" }}
      titleMetadata={<Badge tone={STATUS_TONE[p.status]}>{p.status}</Badge>}
      secondaryActions={[{ content: "Webhook events", url: `/app/events?q=${encodeURIComponent(p.ckoPaymentId)}` }]}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Timeline
              </Text>
              {p.activities.length === 0 && <Text as="p">Nothing yet.</Text>}
              {p.activities.map((a, i) => (
                <BlockStack key={a.id} gap="200">
                  {i > 0 && <Divider />}
                  <InlineStack align="space-between" gap="200" blockAlign="start" wrap={false}>
                    <BlockStack gap="050">
                      <Text as="span" fontWeight="semibold">
                        {a.summary}
                      </Text>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {a.type.replaceAll("_", " ")}
                        {a.actor ? ` · ${a.actor}` : ""}
                      </Text>
                    </BlockStack>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {new Date(a.occurredAt).toLocaleString()}
                    </Text>
                  </InlineStack>
                </BlockStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Payment
                </Text>
                <Row label="Amount" value={money(p.amount)} />
                <Row label="Captured" value={money(p.capturedAmount)} />
                <Row label="Refunded" value={money(p.refundedAmount)} />
                <Row label="Customer" value={p.customerEmail ?? p.customerName} />
                <Row label="Card" value={p.cardLast4 ? `${p.cardScheme ?? "Card"} •••• ${p.cardLast4}${p.cardCountry ? ` (${p.cardCountry})` : ""}` : null} />
                <Row label="BIN" value={p.cardBin} />
                <Row label="Billing / shipping" value={p.billingCountry || p.shippingCountry ? `${p.billingCountry ?? "–"} / ${p.shippingCountry ?? "–"}` : null} />
                <Row label="IP address" value={p.ipAddress} />
                <Row label="Order" value={p.orderLink ? p.orderLink.orderName ?? p.orderLink.orderGid : null} />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Checks
                </Text>
                <Row label="Risk score" value={p.riskScore} />
                <Row label="Flagged by risk" value={p.riskFlagged ? <Badge tone="warning">Yes</Badge> : "No"} />
                <Row label="Response" value={p.responseCode ? `${p.responseCode} ${p.responseSummary ?? ""}` : null} />
                <Row label="3-D Secure" value={threeDsWords(p.threeDs)} />
                <Row label="AVS / CVV" value={p.avsCheck || p.cvvCheck ? `${p.avsCheck ?? "–"} / ${p.cvvCheck ?? "–"}` : null} />
                {p.decline && (
                  <Box paddingBlockStart="200">
                    <BlockStack gap="100">
                      <InlineStack gap="100">
                        <Badge tone="critical">{`${p.decline.declineClass} decline`}</Badge>
                      </InlineStack>
                      <Text as="p">{p.decline.reason}</Text>
                      {p.decline.advice && (
                        <Text as="p" tone="subdued">
                          {p.decline.advice}
                        </Text>
                      )}
                    </BlockStack>
                  </Box>
                )}
              </BlockStack>
            </Card>
            {p.disputes.length > 0 && (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Disputes
                  </Text>
                  {p.disputes.map((d) => (
                    <BlockStack key={d.id} gap="050">
                      <InlineStack align="space-between">
                        <Link to={`/app/disputes/${d.id}`}>{d.ckoDisputeId}</Link>
                        <Badge>{d.status.replaceAll("_", " ")}</Badge>
                      </InlineStack>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {[d.category?.replaceAll("_", " "), d.currency ? formatMoney(d.amount, d.currency) : null, d.evidenceRequiredBy ? `evidence due ${new Date(d.evidenceRequiredBy).toLocaleDateString()}` : null]
                          .filter(Boolean)
                          .join(" · ")}
                      </Text>
                    </BlockStack>
                  ))}
                </BlockStack>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
