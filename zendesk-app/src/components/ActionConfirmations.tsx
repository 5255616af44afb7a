// The confirmation before each money action in the sidebar: what will happen, on which path
// (through Shopify or at Checkout.com), and that it cannot be undone.
import type { MoneyPlanView, PaymentTimeline } from "#app/zendesk/contract";
import { formatMoney } from "#app/lib/money";
import { ConfirmModal } from "./ConfirmModal";
import { deadlineText } from "./DisputeWell";
import { PathNote, type RefundDraft } from "./RefundForm";

export type SidebarAction = { kind: "refund"; draft: RefundDraft } | { kind: "void" } | { kind: "evidence"; disputeId: string };

export function ActionConfirmations(props: {
  confirming: SidebarAction | null;
  timeline: PaymentTimeline;
  plan: MoneyPlanView | null;
  locale: string;
  running: boolean;
  onConfirm: (action: SidebarAction) => void;
  onCancel: () => void;
}) {
  const { confirming, plan, locale, running, onConfirm, onCancel } = props;
  const { payment, dispute } = props.timeline;
  const money = (minor: number) => formatMoney(minor, payment.currency);
  return (
    <>
      {confirming?.kind === "refund" ? (
        <ConfirmModal
          title={`Refund ${money(confirming.draft.amount)}?`}
          confirmLabel={`Refund ${money(confirming.draft.amount)}`}
          runningLabel="Refunding"
          isDanger
          isRunning={running}
          onConfirm={() => onConfirm(confirming)}
          onCancel={onCancel}
        >
          <p>
            {money(confirming.draft.amount)} goes back to the customer&apos;s {payment.cardLast4 ? `card •••• ${payment.cardLast4}` : "payment method"}
            {payment.orderName ? ` for order ${payment.orderName}` : ""}. This cannot be undone.
          </p>
          {plan ? <PathNote plan={plan} /> : null}
          {plan?.via === "shopify" ? (
            <p>
              {confirming.draft.restock ? "Items that have not shipped are restocked." : "Nothing is restocked."}{" "}
              {confirming.draft.notifyCustomer ? "Shopify emails the customer." : "The customer is not emailed."}
            </p>
          ) : null}
          <p>Reason: {confirming.draft.reason}</p>
        </ConfirmModal>
      ) : null}
      {confirming?.kind === "void" ? (
        <ConfirmModal
          title="Void this authorisation?"
          confirmLabel="Void payment"
          runningLabel="Voiding"
          isDanger
          isRunning={running}
          onConfirm={() => onConfirm(confirming)}
          onCancel={onCancel}
        >
          <p>The {money(payment.amount)} reserved on the customer&apos;s card is released and the payment can no longer be captured. This cannot be undone.</p>
          {plan ? <PathNote plan={plan} /> : null}
        </ConfirmModal>
      ) : null}
      {confirming?.kind === "evidence" && dispute ? (
        <ConfirmModal
          title="Submit dispute evidence?"
          confirmLabel="Submit evidence"
          runningLabel="Submitting"
          isRunning={running}
          onConfirm={() => onConfirm(confirming)}
          onCancel={onCancel}
        >
          <p>The evidence prepared in the Shopify app is sent to Checkout.com. Nothing can be changed after submitting.</p>
          {dispute.evidenceDueBy ? <p>{deadlineText(dispute.evidenceDueBy, locale)}</p> : null}
        </ConfirmModal>
      ) : null}
    </>
  );
}
