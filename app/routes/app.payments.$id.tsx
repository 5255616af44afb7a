import crypto from "node:crypto";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Divider, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { say, sayServiceMessage, translator } from "../i18n/i18n";
import type { Locale } from "../i18n/locales";
import { decimalToMinor, formatMoney, formatMoneyIn } from "../lib/money";
import { orderAdminUrl } from "../shopify/admin-urls";
import { formObject, readForm } from "../lib/form";
import { moneyResultStatus, planMoneyActions, requestMoneyAction, type MoneyActionKind, type MoneyActionResult } from "../money/actions.server";
import { MoneyActions } from "../money/ui/MoneyActions";
import { isDeclineClass, responseReasonIn } from "../payments/declines";
import { getPayment } from "../payments/payments.server";
import { paymentStatusKey, STATUS_TONE } from "../payments/status";
import { localizedPaymentSummary } from "../payments/timeline";
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
    // Why the money goes straight to Checkout.com, in the staff member's language.
    if (plan?.directWords) plan = { ...plan, directReason: say(staff.locale, plan.directWords) };
  } catch (error) {
    if (!(error instanceof ShopifyApiError)) throw error;
    planError = translator(staff.locale, "payments")("detail.planError", { error: error.message });
  }
  // A new request id per page load: a double click or a retry of this form is one action.
  return { payment, plan, planError, requestId: crypto.randomUUID(), canMoveMoney: roleAllows(staff.role, "finance") };
};

const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());

/** The form, its messages in the staff member's language. */
function actionSchema(t: TFunction) {
  const requestId = z.string().uuid(t("action.errors.reload"));
  const linesSchema = z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: t("action.errors.chooseItems") });
        return z.NEVER;
      }
    })
    .pipe(z.array(z.object({ lineItemId: z.string().regex(/^gid:\/\/shopify\/LineItem\/\d+$/), quantity: z.number().int().positive() })).max(100));
  return z.discriminatedUnion("intent", [
    z.object({
      intent: z.literal("refund"),
      requestId,
      amount: z.string().optional(),
      lines: linesSchema.optional(),
      restock: checkbox,
      notifyCustomer: checkbox,
      reason: z.string().trim().min(3, t("action.errors.chooseReason")).max(200),
    }),
    z.object({ intent: z.literal("capture"), requestId, amount: z.string().min(1, t("action.errors.captureAmount")) }),
    z.object({ intent: z.literal("void"), requestId }),
  ]);
}

/**
 * The money service's words in the staff member's language. English is the service's own message
 * (en.json reads the same), so English amounts keep its ISO form ("EUR 100.00"), as on the rest of
 * this page; French and German amounts are written as their readers write them.
 */
/**
 * What happened, on which path, and what comes next (in the staff member's language). Refusals are
 * the money service's (Shopify's and Checkout.com's own text stays as they wrote it). English amounts
 * keep the ISO form ("EUR 25.00") of the service's messages; French and German amounts are written as
 * their readers write them.
 */
function resultMessage(t: TFunction, locale: Locale, result: MoneyActionResult): string {
  if (!result.ok) return sayServiceMessage(locale, result);
  const a = result.action;
  const kind = a.kind as MoneyActionKind;
  const amount =
    kind !== "void" && a.amount !== null ? (locale === "en" ? formatMoney : (m: number, c: string) => formatMoneyIn(locale, m, c))(a.amount, a.currency) : null;
  const what = amount ? t(`action.done.what.${kind}Amount`, { amount }) : t(`action.done.what.${kind}`);
  const where =
    a.via === "shopify"
      ? a.orderName
        ? t("action.done.where.shopifyOrder", { order: a.orderName })
        : t("action.done.where.shopify")
      : t("action.done.where.checkout");
  const state = a.status === "succeeded" ? "confirmed" : "requested";
  return t(`action.done.${kind}.${result.repeated ? "already" : "now"}.${state}`, { what, where });
}

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "finance");
  const t = translator(staff.locale, "payments");
  const payment = await getPayment(staff.shopId, params.id ?? "");
  if (!payment) return json({ ok: false, message: t("action.errors.notFound"), orderUrl: null }, { status: 404 });
  const parsed = actionSchema(t).safeParse(formObject(await readForm(request)));
  if (!parsed.success) return json({ ok: false, message: parsed.error.issues[0].message, orderUrl: null }, { status: 400 });
  const input = parsed.data;
  const lines = input.intent === "refund" && input.lines?.length ? input.lines : undefined;
  let amount: number | undefined;
  if (input.intent !== "void" && !lines && input.amount) {
    const minor = decimalToMinor(input.amount, payment.currency);
    if (!minor.ok) return json({ ok: false, message: sayServiceMessage(staff.locale, minor), orderUrl: null }, { status: 400 });
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
  return json({ ok: result.ok, message: resultMessage(t, staff.locale, result), orderUrl }, { status: moneyResultStatus(result) });
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

/** The 3-D Secure result in words ("enrolled Y, authentication Y, v2.2.0"); Checkout.com's codes stay as they came. */
const threeDsWords = (t: TFunction, json: string | null) => {
  if (!json) return null;
  const r = JSON.parse(json) as Record<string, unknown>;
  const parts = [
    r.enrolled && t("detail.checks.threeDs.enrolled", { value: String(r.enrolled) }),
    r.authentication_response && t("detail.checks.threeDs.authentication", { value: String(r.authentication_response) }),
    r.version && t("detail.checks.threeDs.version", { version: String(r.version) }),
    r.downgraded === true && t("detail.checks.threeDs.downgraded"),
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : t("detail.checks.threeDs.present");
};

export default function PaymentDetail() {
  const { t, i18n } = useTranslation("payments");
  const { date, dateTime, money: format } = useFormat();
  const { payment: p, plan, planError, requestId, canMoveMoney } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const money = (minor: number) => (p.currency ? format(minor, p.currency) : String(minor));
  const statusKey = paymentStatusKey(p.status);
  // Words for codes (activity types, dispute statuses and categories) that have them; any other code as it is.
  const words = (group: string, code: string) => (i18n.exists(`payments:${group}.${code}`) ? t(`${group}.${code}`) : code.replaceAll("_", " "));
  const timelineWords = { t, money: format };

  return (
    <Page
      title={p.ckoPaymentId}
      subtitle={p.reference ? t("detail.reference", { reference: p.reference }) : undefined}
      backAction={{ content: t("detail.back"), url: "/app/payments" }}
      titleMetadata={<Badge tone={STATUS_TONE[p.status]}>{statusKey ? t(`status.${statusKey}`) : p.status}</Badge>}
      secondaryActions={[{ content: t("detail.webhookEvents"), url: `/app/events?q=${encodeURIComponent(p.ckoPaymentId)}` }]}
    >
      <Layout>
        {result && (
          <Layout.Section>
            <Banner
              tone={result.ok ? "success" : "critical"}
              title={result.message}
              action={
                result.orderUrl
                  ? {
                      content: p.orderLink?.orderName ? t("detail.openOrder", { order: p.orderLink.orderName }) : t("detail.openTheOrder"),
                      url: result.orderUrl,
                      target: "_top",
                    }
                  : undefined
              }
            />
          </Layout.Section>
        )}
        <Layout.Section>
          <TitledCard title={t("detail.timeline.title")} gap="300">
            {p.activities.length === 0 && <Text as="p">{t("detail.timeline.empty")}</Text>}
            {p.activities.map((a, i) => (
              <BlockStack key={a.id} gap="200">
                {i > 0 && <Divider />}
                <InlineStack align="space-between" gap="200" blockAlign="start" wrap={false}>
                  <BlockStack gap="050">
                    <Text as="span" fontWeight="semibold">
                      {localizedPaymentSummary(timelineWords, a, p) ?? a.summary}
                    </Text>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {words("activity", a.type)}
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
            <TitledCard title={t("detail.payment.title")}>
              <Row label={t("detail.payment.amount")} value={money(p.amount)} />
              <Row label={t("detail.payment.captured")} value={money(p.capturedAmount)} />
              <Row label={t("detail.payment.refunded")} value={money(p.refundedAmount)} />
              <Row label={t("detail.payment.customer")} value={p.customerEmail ?? p.customerName} />
              <Row
                label={t("detail.payment.card")}
                value={p.cardLast4 ? `${cardLabel(p.cardScheme, p.cardLast4, t("card.unknownScheme"))}${p.cardCountry ? ` (${p.cardCountry})` : ""}` : null}
              />
              <Row label={t("detail.payment.bin")} value={p.cardBin} />
              <Row
                label={t("detail.payment.billingShipping")}
                value={p.billingCountry || p.shippingCountry ? `${p.billingCountry ?? "–"} / ${p.shippingCountry ?? "–"}` : null}
              />
              <Row label={t("detail.payment.ipAddress")} value={p.ipAddress} />
              <Row label={t("detail.payment.order")} value={p.orderLink ? (p.orderLink.orderName ?? p.orderLink.orderGid) : null} />
            </TitledCard>
            <TitledCard title={t("detail.checks.title")}>
              <Row label={t("detail.checks.riskScore")} value={p.riskScore} />
              <Row
                label={t("detail.checks.flaggedByRisk")}
                value={p.riskFlagged ? <Badge tone="warning">{t("detail.checks.yes")}</Badge> : t("detail.checks.no")}
              />
              <Row label={t("detail.checks.response")} value={p.responseCode ? `${p.responseCode} ${p.responseSummary ?? ""}` : null} />
              <Row label={t("detail.checks.threeDs.label")} value={threeDsWords(t, p.threeDs)} />
              <Row label={t("detail.checks.avsCvv")} value={p.avsCheck || p.cvvCheck ? `${p.avsCheck ?? "–"} / ${p.cvvCheck ?? "–"}` : null} />
              {p.decline && (
                <Box paddingBlockStart="200">
                  <BlockStack gap="100">
                    <InlineStack gap="100">
                      <Badge tone="critical">
                        {isDeclineClass(p.decline.declineClass) ? t(`decline.class.${p.decline.declineClass}`) : p.decline.declineClass}
                      </Badge>
                    </InlineStack>
                    <Text as="p">{responseReasonIn(t, p.responseCode, p.responseSummary)}</Text>
                    {isDeclineClass(p.decline.declineClass) && (
                      <Text as="p" tone="subdued">
                        {t(`decline.advice.${p.decline.declineClass}`)}
                      </Text>
                    )}
                  </BlockStack>
                </Box>
              )}
            </TitledCard>
            {p.disputes.length > 0 && (
              <TitledCard title={t("detail.disputes.title")}>
                {p.disputes.map((d) => (
                  <BlockStack key={d.id} gap="050">
                    <InlineStack align="space-between">
                      <Link to={`/app/disputes/${d.id}`}>{d.ckoDisputeId}</Link>
                      <Badge>{words("disputeStatus", d.status)}</Badge>
                    </InlineStack>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {[
                        d.category ? words("disputeCategory", d.category) : null,
                        d.currency ? format(d.amount, d.currency) : null,
                        d.evidenceRequiredBy ? t("detail.disputes.evidenceDue", { date: date(d.evidenceRequiredBy) }) : null,
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
