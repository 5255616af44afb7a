/** @jsxImportSource preact */
// The order page block: the order's Checkout.com payments with their risk, hold and dispute state.
// Data comes through `load`, so the block renders the same with the app's API or a test's fake. The
// app answers facts and codes; the block puts them in the staff member's language with the extension
// API's i18n (`shopify.i18n`): its words in ../locales, its money and dates formatted for that language.
import type { I18n } from "@shopify/ui-extensions/admin";
import type {} from "@shopify/ui-extensions/admin.order-details.block.render";
import { useEffect, useState } from "preact/hooks";
import { OPEN_DISPUTE_STATUSES, isKnownCategory, isKnownStatus, statusBadge, timeLeft } from "../../../app/disputes/status";
import { THREE_DS_LABELS, type RuleHit } from "../../../app/holds/rules";
import { currencyDigits, formatMoney, minorToDecimal } from "../../../app/lib/money";
import { reasonText } from "../../../app/payments/declines";
import { STATUS_TONE, paymentStatusKey } from "../../../app/payments/status";
import type { OrderBlockData, OrderBlockDispute, OrderBlockHold, OrderBlockPayment } from "../../../app/order-block/types";
import { OrderBlockLoadError, type LoadFailure } from "./load";

export type OrderBlockResult = { kind: "found"; data: OrderBlockData } | { kind: "none" };
export type LoadOrderBlock = (orderId: string) => Promise<OrderBlockResult>;

type State = { phase: "loading" } | { phase: "failed"; failure: LoadFailure } | { phase: "ready"; result: OrderBlockResult };

type BadgeTone = "auto" | "neutral" | "info" | "success" | "caution" | "warning" | "critical";
// The app's Polaris tones, as the admin's web components name them.
const badgeTone = (tone: string | undefined): BadgeTone => (tone === "attention" ? "caution" : ((tone as BadgeTone) ?? "neutral"));

/** The block's words and formats in the staff member's language. */
interface Words {
  t: (key: string, replacements?: Record<string, string | number>) => string;
  money: (minor: number, currency: string) => string;
  date: (iso: string) => string;
}

function wordsOf(i18n: I18n): Words {
  return {
    t: (key, replacements) => i18n.translate(key, replacements),
    // The currency's own minor units, from the exact decimal; a code Intl does not know stays "XYZ 12.34".
    money: (minor, currency) => {
      const digits = currencyDigits(currency);
      try {
        return i18n.formatCurrency(Number(minorToDecimal(minor, currency)), { currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
      } catch {
        return formatMoney(minor, currency);
      }
    },
    // Checkout.com's deadlines are instants: shown in UTC, and saying so.
    date: (iso) =>
      i18n.formatDate(new Date(iso), {
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "numeric",
        minute: "2-digit",
        timeZone: "UTC",
        timeZoneName: "short",
      }),
  };
}

const HOLD_STATE: Record<string, { tone: BadgeTone; action: "release" | "review" | "viewReview" }> = {
  pending: { tone: "caution", action: "review" },
  held: { tone: "critical", action: "release" },
  monitored: { tone: "warning", action: "review" },
  failed: { tone: "critical", action: "review" },
  released: { tone: "success", action: "viewReview" },
  canceled: { tone: "neutral", action: "viewReview" },
};

const numericOrderId = (gid: string | undefined) => /^gid:\/\/shopify\/Order\/(\d+)$/.exec(gid ?? "")?.[1] ?? null;

export function OrderBlock({
  orderGid,
  load,
  i18n,
  now = () => new Date(),
}: {
  orderGid: string | undefined;
  load: LoadOrderBlock;
  i18n: I18n;
  now?: () => Date;
}) {
  const orderId = numericOrderId(orderGid);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<State>({ phase: "loading" });
  const words = wordsOf(i18n);
  const { t } = words;

  useEffect(() => {
    if (!orderId) return;
    let current = true;
    setState({ phase: "loading" });
    load(orderId).then(
      (result) => current && setState({ phase: "ready", result }),
      (error: unknown) => current && setState({ phase: "failed", failure: error instanceof OrderBlockLoadError ? error.failure : { kind: "unreachable" } }),
    );
    return () => {
      current = false;
    };
  }, [orderId, attempt, load]);

  return <s-admin-block heading="Checkout.com">{body()}</s-admin-block>;

  function body() {
    if (!orderId) return <s-text color="subdued">{t("noOrder")}</s-text>;
    if (state.phase === "loading") {
      return (
        <s-stack direction="inline" gap="small-200" alignItems="center">
          <s-spinner accessibilityLabel={t("loadingLabel")} />
          <s-text color="subdued">{t("loading")}</s-text>
        </s-stack>
      );
    }
    if (state.phase === "failed") {
      const { failure } = state;
      return (
        <s-banner tone="critical" heading={t("error.heading")}>
          <s-paragraph>{failure.kind === "http" ? t("error.http", { status: failure.status }) : t(`error.${failure.kind}`)}</s-paragraph>
          <s-button slot="secondary-actions" onClick={() => setAttempt((n) => n + 1)}>
            {t("error.retry")}
          </s-button>
        </s-banner>
      );
    }
    if (state.result.kind === "none") return <s-paragraph color="subdued">{t("none")}</s-paragraph>;
    return (
      <s-stack direction="block" gap="base">
        {state.result.data.payments.map((payment, index) => (
          <PaymentSection key={payment.ckoPaymentId} payment={payment} divider={index > 0} now={now()} words={words} />
        ))}
      </s-stack>
    );
  }
}

function PaymentSection({ payment, divider, now, words }: { payment: OrderBlockPayment; divider: boolean; now: Date; words: Words }) {
  const { t } = words;
  const money = (minor: number) => words.money(minor, payment.currency);
  const statusKey = paymentStatusKey(payment.status);
  const decline = payment.decline;
  return (
    <s-stack direction="block" gap="small-200">
      {divider && <s-divider />}
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-text type="strong">{money(payment.amount)}</s-text>
        <s-badge tone={badgeTone(STATUS_TONE[payment.status])}>{statusKey ? t(`paymentStatus.${statusKey}`) : payment.status}</s-badge>
      </s-stack>
      <s-text color="subdued">{payment.ckoPaymentId}</s-text>
      {(payment.capturedAmount > 0 || payment.refundedAmount > 0) && (
        <s-text>
          {payment.refundedAmount > 0
            ? t("totals.capturedAndRefunded", { captured: money(payment.capturedAmount), refunded: money(payment.refundedAmount) })
            : t("totals.captured", { captured: money(payment.capturedAmount) })}
        </s-text>
      )}
      {decline && (
        <s-text tone="critical">
          {decline.class
            ? t("decline.withClass", { reason: reasonText(words.t, decline.reason), advice: t(`decline.advice.${decline.class}`) })
            : reasonText(words.t, decline.reason)}
        </s-text>
      )}
      <Risk payment={payment} words={words} />
      {payment.hold && <Hold hold={payment.hold} currency={payment.currency} words={words} />}
      {payment.disputes.map((dispute) => (
        <Dispute key={dispute.id} dispute={dispute} now={now} words={words} />
      ))}
    </s-stack>
  );
}

function Risk({ payment, words: { t } }: { payment: OrderBlockPayment; words: Words }) {
  const score = payment.riskScore;
  return (
    <s-stack direction="inline" gap="small-200" alignItems="center">
      <s-text>{score === null ? t("risk.noScore") : t("risk.score", { score })}</s-text>
      {payment.riskFlags.map((flag) => (
        <s-badge key={flag} tone="warning">
          {t(`risk.flag.${flag}`)}
        </s-badge>
      ))}
    </s-stack>
  );
}

/** "email ada@example.com": whose payments a velocity rule counted, as recorded (English) with the hit. */
function subjectOf(subject: string | undefined, { t }: Words): string {
  const match = /^(email|card|IP address) (.+)$/.exec(subject ?? "");
  if (!match) return subject ?? "";
  return t(`hit.subject.${match[1] === "IP address" ? "ip" : match[1]}`, { value: match[2] });
}

/** One line per rule the payment matched, from the figures recorded with it. */
function describeHit(hit: RuleHit, currency: string, words: Words): string {
  const { t } = words;
  const value = String(hit.value);
  const threshold = String(hit.threshold ?? "");
  switch (hit.rule) {
    case "amount":
      return t("hit.amount", { value: words.money(Number(hit.value), currency), threshold: words.money(Number(hit.threshold), currency) });
    case "velocity_payments":
    case "velocity_cards":
      return t(`hit.${hit.rule}`, { count: Number(hit.value), subject: subjectOf(hit.subject, words), hours: hit.hours ?? "", threshold });
    case "prior_chargeback":
    case "prior_refund":
      return t(`hit.${hit.rule}`, { count: Number(hit.value) });
    case "three_ds":
      return t("hit.three_ds", { outcome: Object.hasOwn(THREE_DS_LABELS, value) ? t(`hit.threeDs.${value}`) : value });
    case "early_warning": {
      const text = t(`hit.early_warning.${value === "fraud_reported" ? "fraud_reported" : "payment_retrieval"}`);
      return hit.threshold ? t("hit.withReason", { hit: text, reason: threshold }) : text;
    }
    default:
      return t(`hit.${hit.rule}`, { value, threshold });
  }
}

function Hold({ hold, currency, words }: { hold: OrderBlockHold; currency: string; words: Words }) {
  const { t } = words;
  const state = HOLD_STATE[hold.status];
  const hits = hold.ruleHits.map((hit) => describeHit(hit, currency, words));
  return (
    <s-stack direction="block" gap="small-300">
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-badge tone={state?.tone ?? "neutral"}>{state ? t(`hold.state.${hold.status}`) : hold.status}</s-badge>
        <s-link href={`app:app/holds/${encodeURIComponent(hold.id)}`}>{t(`hold.action.${state?.action ?? "view"}`)}</s-link>
      </s-stack>
      {hits.length > 0 && (
        <s-unordered-list>
          {/* A velocity rule can fire once per email, card and IP address: the rule alone is no key. */}
          {hits.map((hit, index) => (
            <s-list-item key={index}>{hit}</s-list-item>
          ))}
        </s-unordered-list>
      )}
    </s-stack>
  );
}

function Dispute({ dispute, now, words }: { dispute: OrderBlockDispute; now: Date; words: Words }) {
  const { t } = words;
  const open = (OPEN_DISPUTE_STATUSES as readonly string[]).includes(dispute.status);
  const due = dispute.evidenceRequiredBy;
  const left = timeLeft(due, now);
  const category = dispute.category;
  return (
    <s-stack direction="block" gap="small-300">
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-text type="strong">{t("dispute.title", { amount: words.money(dispute.amount, dispute.currency) })}</s-text>
        <s-badge tone={badgeTone(statusBadge(dispute.status).tone)}>
          {isKnownStatus(dispute.status) ? t(`dispute.status.${dispute.status}`) : statusBadge(dispute.status).label}
        </s-badge>
        <s-link href={`app:app/disputes/${encodeURIComponent(dispute.id)}`}>{t("dispute.open")}</s-link>
      </s-stack>
      <s-text>
        {category === null ? t("dispute.unknownCategory") : isKnownCategory(category) ? t(`dispute.category.${category}`) : category.replaceAll("_", " ")}
      </s-text>
      {open && due && left.kind !== "none" && (
        <s-text tone={left.kind === "overdue" || left.urgent ? "critical" : "auto"}>
          {t("dispute.due", {
            date: words.date(due),
            left: left.kind === "overdue" ? t("dispute.overdue") : t(`dispute.left.${left.unit}`, { count: left.count }),
          })}
        </s-text>
      )}
    </s-stack>
  );
}
