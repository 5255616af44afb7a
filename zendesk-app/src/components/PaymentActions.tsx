// The sidebar's money actions: refund, void and cancel order (after asking the backend for the path and
// limits), evidence submission, each confirmed first, run once, and recorded as an internal note on the ticket.
import { Button } from "@zendeskgarden/react-buttons";
import { Dots } from "@zendeskgarden/react-loaders";
import { Alert } from "@zendeskgarden/react-notifications";
import { useState } from "react";
import styled from "styled-components";
import type { OrderView, PaymentTimeline } from "#app/zendesk/contract";
import type { SidebarApi } from "../api";
import type { TicketContext } from "../ticket";
import { useSpeech } from "../words";
import type { ZafClient } from "../zaf";
import { ActionConfirmations, type SidebarAction } from "./ActionConfirmations";
import { CancelOrderForm } from "./CancelOrder";
import { DisputeWell } from "./DisputeWell";
import { hasShipped } from "./OrderSection";
import { Buttons, Hint } from "./layout";
import { RefundForm } from "./RefundForm";
import { useMoneyActions } from "./useMoneyActions";

const Stack = styled.section`
  display: grid;
  gap: 8px;
`;

export function PaymentActions(props: {
  client: ZafClient;
  api: SidebarApi;
  ticket: TicketContext;
  timeline: PaymentTimeline;
  /** The order behind the payment (null while it loads): whether "Cancel order" is offered. */
  order: OrderView | null;
  onChanged: () => void;
}) {
  const { payment, dispute, permissions } = props.timeline;
  const { w } = useSpeech();
  const [showRefund, setShowRefund] = useState(false);
  const [showCancel, setShowCancel] = useState(false);
  const [confirming, setConfirming] = useState<SidebarAction | null>(null);
  const { running, outcome, dismissOutcome, plan, planning, run, withPlan } = useMoneyActions({
    ...props,
    onChanged: () => {
      setShowRefund(false);
      setShowCancel(false);
      props.onChanged();
    },
    onSettled: () => setConfirming(null),
  });

  const canRefund = payment.refundableAmount > 0;
  const order = props.order?.order;
  const cancelable = order && !order.cancelledAt ? order : null;

  return (
    <Stack aria-label={w.actions.label}>
      {outcome ? (
        <Alert type={outcome.type} role="status">
          <Alert.Title>{outcome.title}</Alert.Title>
          <Alert.Paragraph>{outcome.text}</Alert.Paragraph>
          <Alert.Close aria-label={w.actions.dismiss} onClick={dismissOutcome} />
        </Alert>
      ) : null}

      {dispute ? (
        <DisputeWell
          dispute={dispute}
          permissions={permissions}
          running={running}
          onSubmitEvidence={() => setConfirming({ kind: "evidence", disputeId: dispute.disputeId })}
        />
      ) : null}

      {canRefund || payment.canVoid || cancelable ? (
        <Buttons>
          {canRefund ? (
            <Button
              size="small"
              disabled={running || planning || !permissions.refund || permissions.maxRefundAmount === 0 || showRefund}
              onClick={() => void withPlan(() => setShowRefund(true))}
            >
              {w.actions.refund}
            </Button>
          ) : null}
          {payment.canVoid ? (
            <Button
              size="small"
              isDanger
              disabled={running || planning || !permissions.void}
              onClick={() => void withPlan(() => setConfirming({ kind: "void" }))}
            >
              {w.actions.void}
            </Button>
          ) : null}
          {cancelable ? (
            <Button
              size="small"
              isDanger
              disabled={running || planning || !props.order?.canCancel || hasShipped(cancelable) || showCancel}
              onClick={() => setShowCancel(true)}
            >
              {w.order.cancel}
            </Button>
          ) : null}
        </Buttons>
      ) : null}
      {planning ? (
        <Hint aria-live="polite">
          <Dots delayMS={0} aria-hidden /> {w.actions.checking}
        </Hint>
      ) : null}
      {canRefund && !permissions.refund ? <Hint>{w.actions.noRefunds}</Hint> : null}
      {canRefund && permissions.refund && permissions.maxRefundAmount === 0 ? <Hint>{w.actions.noRefundsIn(payment.currency)}</Hint> : null}
      {payment.canVoid && !permissions.void ? <Hint>{w.actions.noVoids}</Hint> : null}
      {cancelable && !props.order?.canCancel ? <Hint>{w.order.cancelNotAllowed}</Hint> : null}
      {cancelable && props.order?.canCancel && hasShipped(cancelable) ? <Hint>{w.order.cancelShipped}</Hint> : null}

      {showRefund && plan ? (
        <RefundForm
          timeline={props.timeline}
          plan={plan}
          disabled={running}
          onReview={(draft) => setConfirming({ kind: "refund", draft })}
          onCancel={() => setShowRefund(false)}
        />
      ) : null}

      {showCancel && cancelable ? (
        <CancelOrderForm
          orderName={cancelable.name}
          disabled={running || planning}
          onReview={(draft) => void withPlan(() => setConfirming({ kind: "cancel", draft }))}
          onCancel={() => setShowCancel(false)}
        />
      ) : null}

      <ActionConfirmations
        confirming={confirming}
        timeline={props.timeline}
        plan={plan}
        running={running}
        onConfirm={(action) => void run(action)}
        onCancel={() => setConfirming(null)}
      />
    </Stack>
  );
}
