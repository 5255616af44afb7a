import crypto from "node:crypto";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Divider, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { decimalToMinor, formatMoney } from "../lib/money";
import { orderAdminUrl } from "../shopify/admin-urls";
import { formObject, readForm } from "../lib/form";
import { moneyResultMessage, moneyResultStatus, planMoneyActions, requestMoneyAction } from "../money/actions.server";
import { MoneyActions } from "../money/ui/MoneyActions";
import { getPayment } from "../payments/payments.server";
import { STATUS_TONE } from "../payments/status";
import { ShopifyApiError } from "../shopify/admin-api.server";
import { roleAllows } from "../shopify/roles";
import { requireStaff } from "../shopify/staff.server";
import { useFormat } from "../ui/format";
import { TitledCard } from "../ui/titled-card";
import { cardLabel } from "../payments/card";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const payment = await getPayment(staff.shopId, params.id ?? "");
  if (!payment) throw new Response("Payment not found", { status: 404 });
  let plan = null;
  let planError = null;
  try {
    plan = await planMoneyActions(staff.shopId, payment.id);
  } catch (error) {
    if (!(error instanceof ShopifyApiError)) throw error;
    planError = `Shopify could not be asked about the order (${error.message}), so refunds, captures and voids are unavailable. Refresh in a moment.`;
  }
  // A new request id per page load: a double click or a retry of this form is one action.
  return { payment, plan, planError, requestId: crypto.randomUUID(), canMoveMoney: roleAllows(staff.role, "finance") };
};

const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());
const requestId = z.string().uuid("Reload the page and try again.");
const linesSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "Choose the items to refund again." });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.object({ lineItemId: z.string().regex(/^gid:\/\/shopify\/LineItem\/\d+$/), quantity: z.number().int().positive() })).max(100));

const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("refund"),
    requestId,
    amount: z.string().optional(),
    lines: linesSchema.optional(),
    restock: checkbox,
    notifyCustomer: checkbox,
    reason: z.string().trim().min(3, "Choose a reason for the refund.").max(200),
  }),
  z.object({ intent: z.literal("capture"), requestId, amount: z.string().min(1, "Enter the amount to capture.") }),
  z.object({ intent: z.literal("void"), requestId }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "finance");
  const payment = await getPayment(staff.shopId, params.id ?? "");
  if (!payment) return json({ ok: false, message: "This payment does not exist in this shop.", orderUrl: null }, { status: 404 });
  const parsed = actionSchema.safeParse(formObject(await readForm(request)));
  if (!parsed.success) return json({ ok: false, message: parsed.error.issues[0].message, orderUrl: null }, { status: 400 });
  const input = parsed.data;
  const lines = input.intent === "refund" && input.lines?.length ? input.lines : undefined;
  let amount: number | undefined;
  if (input.intent !== "void" && !lines && input.amount) {
    const minor = decimalToMinor(input.amount, payment.currency);
    if (!minor.ok) return json({ ok: false, message: minor.message, orderUrl: null }, { status: 400 });
    amount = minor.minor;
  }
  const what = lines ? lines.map((l) => `${l.lineItemId}x${l.quantity}`).join(",") : String(amount ?? "all");
  const result = await requestMoneyAction({
    shopId: staff.shopId,
    paymentId: payment.id,
    kind: input.intent,
    amount,
    lines,
    restock: input.intent === "refund" ? input.restock : undefined,
    notifyCustomer: input.intent === "refund" ? input.notifyCustomer : undefined,
    reason: input.intent === "refund" ? input.reason : undefined,
    requestedBy: staff.actor,
    source: "admin",
    intent: `admin:${staff.userId ?? "staff"}:${input.requestId}:${input.intent}:${what}:${payment.currency}`,
  });
  const orderUrl = payment.orderLink ? orderAdminUrl(payment.orderLink.orderGid) : null;
  return json({ ok: result.ok, message: moneyResultMessage(result), orderUrl }, { status: moneyResultStatus(result) });
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
  const parts = [
    t.enrolled && `enrolled ${t.enrolled}`,
    t.authentication_response && `authentication ${t.authentication_response}`,
    t.version && `v${t.version}`,
    t.downgraded === true && "downgraded",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "present";
};

export default function PaymentDetail() {
  const { date, dateTime } = useFormat();
  const { payment: p, plan, planError, requestId, canMoveMoney } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
        {result && (
          <Layout.Section>
            <Banner
              tone={result.ok ? "success" : "critical"}
              title={result.message}
              action={
                result.orderUrl ? { content: `Open ${p.orderLink?.orderName ?? "the order"} in Shopify`, url: result.orderUrl, target: "_top" } : undefined
              }
            />
          </Layout.Section>
        )}
        <Layout.Section>
          <TitledCard title="Timeline" gap="300">
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
                    {dateTime(a.occurredAt)}
                  </Text>
                </InlineStack>
              </BlockStack>
            ))}
          </TitledCard>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <MoneyActions key={requestId} plan={plan} planError={planError} requestId={requestId} canMoveMoney={canMoveMoney} />
            <TitledCard title="Payment">
              <Row label="Amount" value={money(p.amount)} />
              <Row label="Captured" value={money(p.capturedAmount)} />
              <Row label="Refunded" value={money(p.refundedAmount)} />
              <Row label="Customer" value={p.customerEmail ?? p.customerName} />
              <Row label="Card" value={p.cardLast4 ? `${cardLabel(p.cardScheme, p.cardLast4)}${p.cardCountry ? ` (${p.cardCountry})` : ""}` : null} />
              <Row label="BIN" value={p.cardBin} />
              <Row
                label="Billing / shipping"
                value={p.billingCountry || p.shippingCountry ? `${p.billingCountry ?? "–"} / ${p.shippingCountry ?? "–"}` : null}
              />
              <Row label="IP address" value={p.ipAddress} />
              <Row label="Order" value={p.orderLink ? (p.orderLink.orderName ?? p.orderLink.orderGid) : null} />
            </TitledCard>
            <TitledCard title="Checks">
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
            </TitledCard>
            {p.disputes.length > 0 && (
              <TitledCard title="Disputes">
                {p.disputes.map((d) => (
                  <BlockStack key={d.id} gap="050">
                    <InlineStack align="space-between">
                      <Link to={`/app/disputes/${d.id}`}>{d.ckoDisputeId}</Link>
                      <Badge>{d.status.replaceAll("_", " ")}</Badge>
                    </InlineStack>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {[
                        d.category?.replaceAll("_", " "),
                        d.currency ? formatMoney(d.amount, d.currency) : null,
                        d.evidenceRequiredBy ? `evidence due ${date(d.evidenceRequiredBy)}` : null,
                      ]
                        .filter(Boolean)
                        .join(" · ")}
                    </Text>
                  </BlockStack>
                ))}
              </TitledCard>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
