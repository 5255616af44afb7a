/** @jsxImportSource preact */
// The order page block: the order's Checkout.com payments with their risk, hold and dispute state.
// Data comes through `load`, so the block renders the same with the app's API or a test's fake.
import type {} from "@shopify/ui-extensions/admin.order-details.block.render";
import { useEffect, useState } from "preact/hooks";
import { OPEN_DISPUTE_STATUSES, categoryLabel, countdown, statusBadge } from "../../../app/disputes/status";
import { formatMoney } from "../../../app/lib/money";
import { STATUS_TONE } from "../../../app/payments/status";
import type { OrderBlockData, OrderBlockDispute, OrderBlockHold, OrderBlockPayment } from "../../../app/order-block/types";

export type OrderBlockResult = { kind: "found"; data: OrderBlockData } | { kind: "none" };
export type LoadOrderBlock = (orderId: string) => Promise<OrderBlockResult>;

type State = { phase: "loading" } | { phase: "failed"; message: string } | { phase: "ready"; result: OrderBlockResult };

type BadgeTone = "auto" | "neutral" | "info" | "success" | "caution" | "warning" | "critical";
// The app's Polaris tones, as the admin's web components name them.
const badgeTone = (tone: string | undefined): BadgeTone => (tone === "attention" ? "caution" : ((tone as BadgeTone) ?? "neutral"));

const HOLD_STATE: Record<string, { label: string; tone: BadgeTone; action: string }> = {
  pending: { label: "Hold being placed", tone: "caution", action: "Review in the app" },
  held: { label: "Fulfillment on hold", tone: "critical", action: "Review and release" },
  monitored: { label: "Monitored, not held", tone: "warning", action: "Review in the app" },
  failed: { label: "Hold could not be placed", tone: "critical", action: "Review in the app" },
  released: { label: "Hold released", tone: "success", action: "View review" },
  canceled: { label: "Order canceled after review", tone: "neutral", action: "View review" },
};

const DECLINE_CLASS: Record<string, string> = {
  soft: "Soft decline: the customer may retry",
  hard: "Hard decline: this card cannot be used",
  risk: "Risk decline: blocked by risk checks",
};

const numericOrderId = (gid: string | undefined) => /^gid:\/\/shopify\/Order\/(\d+)$/.exec(gid ?? "")?.[1] ?? null;

const formatDate = (iso: string) => new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

export function OrderBlock({ orderGid, load, now = () => new Date() }: { orderGid: string | undefined; load: LoadOrderBlock; now?: () => Date }) {
  const orderId = numericOrderId(orderGid);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<State>({ phase: "loading" });

  useEffect(() => {
    if (!orderId) return;
    let current = true;
    setState({ phase: "loading" });
    load(orderId).then(
      (result) => current && setState({ phase: "ready", result }),
      (error: unknown) => current && setState({ phase: "failed", message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [orderId, attempt, load]);

  return <s-admin-block heading="Checkout.com">{body()}</s-admin-block>;

  function body() {
    if (!orderId) return <s-text color="subdued">Open an order to see its Checkout.com payment.</s-text>;
    if (state.phase === "loading") {
      return (
        <s-stack direction="inline" gap="small-200" alignItems="center">
          <s-spinner accessibilityLabel="Loading the Checkout.com payment" />
          <s-text color="subdued">Loading the Checkout.com payment…</s-text>
        </s-stack>
      );
    }
    if (state.phase === "failed") {
      return (
        <s-banner tone="critical" heading="Could not load the Checkout.com payment">
          <s-paragraph>{state.message}</s-paragraph>
          <s-button slot="secondary-actions" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </s-button>
        </s-banner>
      );
    }
    if (state.result.kind === "none") {
      return (
        <s-paragraph color="subdued">
          No Checkout.com payment is linked to this order. Payments appear here once a Checkout.com webhook for them is matched to the order.
        </s-paragraph>
      );
    }
    return (
      <s-stack direction="block" gap="base">
        {state.result.data.payments.map((payment, index) => (
          <PaymentSection key={payment.ckoPaymentId} payment={payment} divider={index > 0} now={now()} />
        ))}
      </s-stack>
    );
  }
}

function PaymentSection({ payment, divider, now }: { payment: OrderBlockPayment; divider: boolean; now: Date }) {
  const money = (minor: number) => formatMoney(minor, payment.currency);
  return (
    <s-stack direction="block" gap="small-200">
      {divider && <s-divider />}
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-text type="strong">{money(payment.amount)}</s-text>
        <s-badge tone={badgeTone(STATUS_TONE[payment.status])}>{payment.status}</s-badge>
      </s-stack>
      <s-text color="subdued">{payment.ckoPaymentId}</s-text>
      {(payment.capturedAmount > 0 || payment.refundedAmount > 0) && (
        <s-text>
          Captured {money(payment.capturedAmount)}
          {payment.refundedAmount > 0 && `, refunded ${money(payment.refundedAmount)}`}
        </s-text>
      )}
      {payment.decline && (
        <s-text tone="critical">
          {payment.decline.reason}
          {payment.decline.class && ` (${DECLINE_CLASS[payment.decline.class]})`}
        </s-text>
      )}
      <Risk payment={payment} />
      {payment.hold && <Hold hold={payment.hold} />}
      {payment.disputes.map((dispute) => (
        <Dispute key={dispute.id} dispute={dispute} now={now} />
      ))}
    </s-stack>
  );
}

function Risk({ payment }: { payment: OrderBlockPayment }) {
  const score = payment.riskScore;
  return (
    <s-stack direction="inline" gap="small-200" alignItems="center">
      <s-text>{score === null ? "No risk score" : `Risk score ${score}/100`}</s-text>
      {payment.riskFlags.map((flag) => (
        <s-badge key={flag} tone="warning">
          {flag}
        </s-badge>
      ))}
    </s-stack>
  );
}

function Hold({ hold }: { hold: OrderBlockHold }) {
  const state = HOLD_STATE[hold.status] ?? { label: hold.status, tone: "neutral" as const, action: "View in the app" };
  return (
    <s-stack direction="block" gap="small-300">
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-badge tone={state.tone}>{state.label}</s-badge>
        <s-link href={`app:app/holds/${encodeURIComponent(hold.id)}`}>{state.action}</s-link>
      </s-stack>
      {hold.ruleHits.length > 0 && (
        <s-unordered-list>
          {hold.ruleHits.map((hit) => (
            <s-list-item key={hit}>{hit}</s-list-item>
          ))}
        </s-unordered-list>
      )}
    </s-stack>
  );
}

function Dispute({ dispute, now }: { dispute: OrderBlockDispute; now: Date }) {
  const badge = statusBadge(dispute.status);
  const open = (OPEN_DISPUTE_STATUSES as readonly string[]).includes(dispute.status);
  const due = dispute.evidenceRequiredBy;
  return (
    <s-stack direction="block" gap="small-300">
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-text type="strong">Dispute {formatMoney(dispute.amount, dispute.currency)}</s-text>
        <s-badge tone={badgeTone(badge.tone)}>{badge.label}</s-badge>
        <s-link href={`app:app/disputes/${encodeURIComponent(dispute.id)}`}>Open dispute</s-link>
      </s-stack>
      <s-text>{categoryLabel(dispute.category)}</s-text>
      {open && due && (
        <s-text tone={countdown(due, now).urgent ? "critical" : "auto"}>
          Evidence due {formatDate(due)} ({countdown(due, now).text})
        </s-text>
      )}
    </s-stack>
  );
}
