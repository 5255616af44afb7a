// The confirmation before each money action in the sidebar: what will happen, on which path
// (through Shopify or at Checkout.com), and that it cannot be undone.
import type { MoneyPlanView, PaymentTimeline } from "#app/zendesk/contract";
import { useSpeech } from "../words";
import { ConfirmModal } from "./ConfirmModal";
import { deadlineText } from "./DisputeWell";
import { PathNote, type RefundDraft } from "./RefundForm";
import type { CancelDraft } from "./CancelOrder";

export type SidebarAction =
  { kind: "refund"; draft: RefundDraft } | { kind: "void" } | { kind: "evidence"; disputeId: string } | { kind: "cancel"; draft: CancelDraft };

export function ActionConfirmations(props: {
  confirming: SidebarAction | null;
  timeline: PaymentTimeline;
  plan: MoneyPlanView | null;
  running: boolean;
  onConfirm: (action: SidebarAction) => void;
  onCancel: () => void;
}) {
  const { confirming, plan, running, onConfirm, onCancel } = props;
  const { payment, dispute } = props.timeline;
  const speech = useSpeech();
  const { w } = speech;
  const money = (minor: number) => speech.money(minor, payment.currency);
  const to = payment.cardLast4 ? w.refund.cardEnding(payment.cardLast4) : w.refund.paymentMethod;
  return (
    <>
      {confirming?.kind === "refund" ? (
        <ConfirmModal
          title={w.refund.confirmTitle(money(confirming.draft.amount))}
          confirmLabel={w.refund.confirm(money(confirming.draft.amount))}
          runningLabel={w.refund.running}
          isDanger
          isRunning={running}
          onConfirm={() => onConfirm(confirming)}
          onCancel={onCancel}
        >
          <p>
            {payment.orderName
              ? w.refund.goesBackForOrder(money(confirming.draft.amount), to, payment.orderName)
              : w.refund.goesBack(money(confirming.draft.amount), to)}{" "}
            {w.actions.cannotUndo}
          </p>
          {plan ? <PathNote plan={plan} /> : null}
          {plan?.via === "shopify" ? (
            <p>
              {confirming.draft.restock ? w.refund.restocked : w.refund.notRestocked} {confirming.draft.notifyCustomer ? w.refund.emailed : w.refund.notEmailed}
            </p>
          ) : null}
          <p>{w.refund.reasonIs(confirming.draft.reason)}</p>
        </ConfirmModal>
      ) : null}
      {confirming?.kind === "void" ? (
        <ConfirmModal
          title={w.voiding.confirmTitle}
          confirmLabel={w.voiding.confirm}
          runningLabel={w.voiding.running}
          isDanger
          isRunning={running}
          onConfirm={() => onConfirm(confirming)}
          onCancel={onCancel}
        >
          <p>{w.voiding.body(money(payment.amount))}</p>
          {plan ? <PathNote plan={plan} /> : null}
        </ConfirmModal>
      ) : null}
      {confirming?.kind === "evidence" && dispute ? (
        <ConfirmModal
          title={w.dispute.confirmTitle}
          confirmLabel={w.dispute.submit}
          runningLabel={w.dispute.submitting}
          isRunning={running}
          onConfirm={() => onConfirm(confirming)}
          onCancel={onCancel}
        >
          <p>{w.dispute.confirmBody}</p>
          {dispute.evidenceDueBy ? <p>{deadlineText(dispute.evidenceDueBy, speech)}</p> : null}
        </ConfirmModal>
      ) : null}
      {confirming?.kind === "cancel" && plan ? (
        <ConfirmModal
          title={w.order.cancelTitle(confirming.draft.orderName)}
          confirmLabel={w.order.cancel}
          dismissLabel={w.actions.close}
          runningLabel={w.order.canceling}
          isDanger
          isRunning={running}
          onConfirm={() => onConfirm(confirming)}
          onCancel={onCancel}
        >
          <p data-testid="cancel-money">
            {plan.canVoid
              ? w.order.cancelVoid(money(payment.amount))
              : plan.refundable.limit > 0
                ? w.order.cancelRefund(money(plan.refundable.limit))
                : w.order.cancelNothing}{" "}
            {w.actions.cannotUndo}
          </p>
          <PathNote plan={plan} />
          <p>
            {confirming.draft.restock ? w.refund.restocked : w.refund.notRestocked} {confirming.draft.notifyCustomer ? w.refund.emailed : w.refund.notEmailed}
          </p>
          <p>{w.refund.reasonIs(confirming.draft.reason)}</p>
        </ConfirmModal>
      ) : null}
    </>
  );
}
