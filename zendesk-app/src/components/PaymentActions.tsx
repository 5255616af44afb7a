// The sidebar's money actions: refund and void (after asking the backend for the path and limits),
// evidence submission, each confirmed first, run once, and recorded as an internal note on the ticket.
import { Button } from "@zendeskgarden/react-buttons";
import { Dots } from "@zendeskgarden/react-loaders";
import { Alert } from "@zendeskgarden/react-notifications";
import { useState } from "react";
import styled from "styled-components";
import type { PaymentTimeline } from "#app/zendesk/contract";
import type { SidebarApi } from "../api";
import type { TicketContext } from "../ticket";
import type { ZafClient } from "../zaf";
import { ActionConfirmations, type SidebarAction } from "./ActionConfirmations";
import { DisputeWell } from "./DisputeWell";
import { Buttons, Hint } from "./layout";
import { RefundForm } from "./RefundForm";
import { useMoneyActions } from "./useMoneyActions";

const Stack = styled.section`
  display: grid;
  gap: 8px;
`;

export function PaymentActions(props: { client: ZafClient; api: SidebarApi; ticket: TicketContext; timeline: PaymentTimeline; onChanged: () => void }) {
  const { payment, dispute, permissions } = props.timeline;
  const locale = props.ticket.agent.locale;
  const [showRefund, setShowRefund] = useState(false);
  const [confirming, setConfirming] = useState<SidebarAction | null>(null);
  const { running, outcome, dismissOutcome, plan, planning, run, withPlan } = useMoneyActions({
    ...props,
    onChanged: () => {
      setShowRefund(false);
      props.onChanged();
    },
    onSettled: () => setConfirming(null),
  });

  const canRefund = payment.refundableAmount > 0;

  return (
    <Stack aria-label="Actions">
      {outcome ? (
        <Alert type={outcome.type} role="status">
          <Alert.Title>{outcome.title}</Alert.Title>
          <Alert.Paragraph>{outcome.text}</Alert.Paragraph>
          <Alert.Close aria-label="Dismiss" onClick={dismissOutcome} />
        </Alert>
      ) : null}

      {dispute ? (
        <DisputeWell
          dispute={dispute}
          permissions={permissions}
          locale={locale}
          running={running}
          onSubmitEvidence={() => setConfirming({ kind: "evidence", disputeId: dispute.disputeId })}
        />
      ) : null}

      {canRefund || payment.canVoid ? (
        <Buttons>
          {canRefund ? (
            <Button
              size="small"
              disabled={running || planning || !permissions.refund || permissions.maxRefundAmount === 0 || showRefund}
              onClick={() => void withPlan(() => setShowRefund(true))}
            >
              Refund
            </Button>
          ) : null}
          {payment.canVoid ? (
            <Button
              size="small"
              isDanger
              disabled={running || planning || !permissions.void}
              onClick={() => void withPlan(() => setConfirming({ kind: "void" }))}
            >
              Void authorisation
            </Button>
          ) : null}
        </Buttons>
      ) : null}
      {planning ? (
        <Hint aria-live="polite">
          <Dots delayMS={0} aria-hidden /> Checking the order in Shopify…
        </Hint>
      ) : null}
      {canRefund && !permissions.refund ? <Hint>This store does not allow refunds from Zendesk.</Hint> : null}
      {canRefund && permissions.refund && permissions.maxRefundAmount === 0 ? (
        <Hint>{`This store allows no ${payment.currency} refunds from Zendesk (or its limit on this payment is used up). A store admin can refund in Shopify.`}</Hint>
      ) : null}
      {payment.canVoid && !permissions.void ? <Hint>This store does not allow voids from Zendesk.</Hint> : null}

      {showRefund && plan ? (
        <RefundForm
          timeline={props.timeline}
          plan={plan}
          disabled={running}
          onReview={(draft) => setConfirming({ kind: "refund", draft })}
          onCancel={() => setShowRefund(false)}
        />
      ) : null}

      <ActionConfirmations
        confirming={confirming}
        timeline={props.timeline}
        plan={plan}
        locale={locale}
        running={running}
        onConfirm={(action) => void run(action)}
        onCancel={() => setConfirming(null)}
      />
    </Stack>
  );
}
