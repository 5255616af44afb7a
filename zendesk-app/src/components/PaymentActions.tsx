import { Button } from "@zendeskgarden/react-buttons";
import { Alert, Well } from "@zendeskgarden/react-notifications";
import { Tag } from "@zendeskgarden/react-tags";
import { MD, SM } from "@zendeskgarden/react-typography";
import { useRef, useState } from "react";
import styled from "styled-components";
import type { ActionResult, MoneyPlanView, PaymentTimeline } from "#app/zendesk/contract";
import { formatMoney } from "#app/lib/money";
import { SidebarError, type SidebarApi } from "../api";
import { addInternalNote, formatDate, noteForAction } from "../note";
import type { TicketContext } from "../ticket";
import type { ZafClient } from "../zaf";
import { ConfirmModal } from "./ConfirmModal";
import { Dots } from "@zendeskgarden/react-loaders";
import { PathNote, RefundForm, type RefundDraft } from "./RefundForm";

type Action = { kind: "refund"; draft: RefundDraft } | { kind: "void" } | { kind: "evidence"; disputeId: string };
type Outcome = { type: "success" | "warning" | "error"; title: string; text: string };

const Stack = styled.section`
  display: grid;
  gap: 8px;
`;

const Buttons = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 8px;
`;

const Hint = styled(SM)`
  color: #68737d;
`;

const DAY_MS = 86_400_000;

function deadlineText(iso: string, locale: string): string {
  const remaining = new Date(iso).getTime() - Date.now();
  const days = Math.floor(remaining / DAY_MS);
  const left = remaining < 0 ? "deadline passed" : days === 0 ? "less than a day left" : days === 1 ? "1 day left" : `${days} days left`;
  return `Evidence due by ${formatDate(iso, locale)} (${left})`;
}

const DONE_TITLE: Record<Action["kind"], string> = {
  refund: "Refund requested",
  void: "Payment voided",
  evidence: "Evidence submitted",
};

export function PaymentActions(props: { client: ZafClient; api: SidebarApi; ticket: TicketContext; timeline: PaymentTimeline; onChanged: () => void }) {
  const { client, api, ticket, timeline, onChanged } = props;
  const { payment, dispute, permissions } = timeline;
  const locale = ticket.agent.locale;
  const money = (minor: number) => formatMoney(minor, payment.currency);
  const [showRefund, setShowRefund] = useState(false);
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Asked of the backend before a refund or void: through Shopify or straight to Checkout.com, and the limits.
  const [plan, setPlan] = useState<MoneyPlanView | null>(null);
  const [planning, setPlanning] = useState(false);
  // A ref, not state: a second click can arrive before React re-renders the disabled button.
  const inFlight = useRef(false);

  const perform = (action: Action): Promise<ActionResult> => {
    if (action.kind === "refund") {
      const { amount, reason, restock, notifyCustomer } = action.draft;
      return api.refund(payment.paymentId, { amount, currency: payment.currency, reason, restock, notifyCustomer });
    }
    if (action.kind === "void") return api.voidPayment(payment.paymentId);
    return api.submitEvidence(payment.paymentId, action.disputeId);
  };

  const run = async (action: Action) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setRunning(true);
    setOutcome(null);
    try {
      const result = await perform(action);
      const note = noteForAction(result, timeline, ticket, action.kind === "refund" ? { ...action.draft, plan } : { plan });
      const summary = note.split("\n")[0];
      try {
        await addInternalNote(client, ticket.ticketId, note);
        setOutcome({ type: "success", title: DONE_TITLE[action.kind], text: `${summary} An internal note was added to the ticket.` });
      } catch {
        setOutcome({
          type: "warning",
          title: DONE_TITLE[action.kind],
          text: `${summary} The internal note could not be added; please add one by hand.`,
        });
      }
      setShowRefund(false);
      onChanged();
    } catch (e) {
      const known = e instanceof SidebarError ? e : null;
      // No answer or a server error: the action may or may not have happened at Checkout.com.
      const unsure = !known || known.status === 0 || known.status >= 500;
      const text = known?.message ?? "Something went wrong. Refresh the app and check the payment before trying again.";
      setOutcome({ type: "error", title: unsure ? "Could not confirm the result" : "Nothing was done", text });
    } finally {
      inFlight.current = false;
      setRunning(false);
      setConfirming(null);
    }
  };

  /** Reads the plan, then opens what comes next (the refund form or the void confirmation). */
  const withPlan = async (next: () => void) => {
    if (planning) return;
    setPlanning(true);
    setOutcome(null);
    try {
      setPlan(await api.moneyPlan(payment.paymentId));
      next();
    } catch (e) {
      const text = e instanceof SidebarError ? e.message : "Could not check the order in Shopify. Try again in a moment.";
      setOutcome({ type: "error", title: "Nothing was done", text });
    } finally {
      setPlanning(false);
    }
  };

  const canRefund = payment.refundableAmount > 0;
  const disputeOpen = dispute !== null && dispute.isOpen && dispute.evidenceSubmittedAt === null;

  return (
    <Stack aria-label="Actions">
      {outcome ? (
        <Alert type={outcome.type} role="status">
          <Alert.Title>{outcome.title}</Alert.Title>
          <Alert.Paragraph>{outcome.text}</Alert.Paragraph>
          <Alert.Close aria-label="Dismiss" onClick={() => setOutcome(null)} />
        </Alert>
      ) : null}

      {dispute ? (
        <Well aria-label="Dispute">
          <MD isBold>
            Dispute {dispute.isOpen ? "open" : dispute.status.replace(/_/g, " ")}{" "}
            <Tag hue={dispute.isOpen ? "red" : "grey"} size="small">
              {formatMoney(dispute.amount, dispute.currency)}
            </Tag>
          </MD>
          {dispute.category ? <SM>Reason: {dispute.category.replace(/_/g, " ")}</SM> : null}
          {dispute.evidenceSubmittedAt ? <SM>Evidence submitted {formatDate(dispute.evidenceSubmittedAt, locale)}</SM> : null}
          {disputeOpen && dispute.evidenceDueBy ? <SM data-testid="evidence-deadline">{deadlineText(dispute.evidenceDueBy, locale)}</SM> : null}
          {disputeOpen ? (
            <>
              {!dispute.evidenceReady ? <Hint>The store has not finished the evidence yet (in the Shopify app).</Hint> : null}
              {!permissions.submitEvidence ? <Hint>This store does not allow submitting evidence from Zendesk.</Hint> : null}
              <Buttons style={{ marginTop: 8 }}>
                <Button
                  size="small"
                  disabled={running || !dispute.evidenceReady || !permissions.submitEvidence}
                  onClick={() => setConfirming({ kind: "evidence", disputeId: dispute.disputeId })}
                >
                  Submit evidence
                </Button>
              </Buttons>
            </>
          ) : null}
        </Well>
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
          timeline={timeline}
          plan={plan}
          disabled={running}
          onReview={(draft) => setConfirming({ kind: "refund", draft })}
          onCancel={() => setShowRefund(false)}
        />
      ) : null}

      {confirming?.kind === "refund" ? (
        <ConfirmModal
          title={`Refund ${money(confirming.draft.amount)}?`}
          confirmLabel={`Refund ${money(confirming.draft.amount)}`}
          runningLabel="Refunding"
          isDanger
          isRunning={running}
          onConfirm={() => void run(confirming)}
          onCancel={() => setConfirming(null)}
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
          onConfirm={() => void run(confirming)}
          onCancel={() => setConfirming(null)}
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
          onConfirm={() => void run(confirming)}
          onCancel={() => setConfirming(null)}
        >
          <p>The evidence prepared in the Shopify app is sent to Checkout.com. Nothing can be changed after submitting.</p>
          {dispute.evidenceDueBy ? <p>{deadlineText(dispute.evidenceDueBy, locale)}</p> : null}
        </ConfirmModal>
      ) : null}
    </Stack>
  );
}
