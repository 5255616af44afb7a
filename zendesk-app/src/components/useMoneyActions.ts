// Running the sidebar's money actions: at most one at a time (a double click cannot send two), the
// plan read first for refunds and voids, and the outcome, recorded as an internal note on the ticket.
import { useRef, useState } from "react";
import type { ActionResult, MoneyPlanView, PaymentTimeline } from "#app/zendesk/contract";
import { SidebarError, type SidebarApi } from "../api";
import { addInternalNote, noteForAction } from "../note";
import type { TicketContext } from "../ticket";
import type { ZafClient } from "../zaf";
import { useSpeech } from "../words";
import type { SidebarAction } from "./ActionConfirmations";

export type Outcome = { type: "success" | "warning" | "error"; title: string; text: string };

export function useMoneyActions(props: {
  client: ZafClient;
  api: SidebarApi;
  ticket: TicketContext;
  timeline: PaymentTimeline;
  /** After an action succeeded: reload the timeline. */
  onChanged: () => void;
  /** After an action ran, whatever its outcome. */
  onSettled: () => void;
}) {
  const { client, api, ticket, timeline, onChanged } = props;
  const { payment } = timeline;
  const { w } = useSpeech();
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Asked of the backend before a refund or void: through Shopify or straight to Checkout.com, and the limits.
  const [plan, setPlan] = useState<MoneyPlanView | null>(null);
  const [planning, setPlanning] = useState(false);
  // A ref, not state: a second click can arrive before React re-renders the disabled button.
  const inFlight = useRef(false);

  const perform = (action: SidebarAction): Promise<ActionResult> => {
    if (action.kind === "refund") {
      const { amount, reason, restock, notifyCustomer } = action.draft;
      return api.refund(payment.paymentId, { amount, currency: payment.currency, reason, restock, notifyCustomer });
    }
    if (action.kind === "void") return api.voidPayment(payment.paymentId);
    if (action.kind === "cancel") {
      const { reason, restock, notifyCustomer } = action.draft;
      return api.cancelOrder(payment.paymentId, { reason, restock, notifyCustomer });
    }
    return api.submitEvidence(payment.paymentId, action.disputeId);
  };

  const run = async (action: SidebarAction) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setRunning(true);
    setOutcome(null);
    try {
      const result = await perform(action);
      const note = noteForAction(result, timeline, ticket, action.kind === "refund" || action.kind === "cancel" ? { ...action.draft, plan } : { plan });
      const summary = note.split("\n")[0];
      try {
        await addInternalNote(client, ticket.ticketId, note);
        setOutcome({ type: "success", title: w.actions.done[action.kind], text: w.actions.noted(summary) });
      } catch {
        setOutcome({
          type: "warning",
          title: w.actions.done[action.kind],
          text: w.actions.notNoted(summary),
        });
      }
      onChanged();
    } catch (e) {
      const known = e instanceof SidebarError ? e : null;
      // No answer or a server error: the action may or may not have happened at Checkout.com.
      const unsure = !known || known.status === 0 || known.status >= 500;
      const text = known?.message ?? w.actions.unknownFailure;
      setOutcome({ type: "error", title: unsure ? w.actions.unsure : w.actions.nothingDone, text });
    } finally {
      inFlight.current = false;
      setRunning(false);
      props.onSettled();
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
      const text = e instanceof SidebarError ? e.message : w.actions.planFailed;
      setOutcome({ type: "error", title: w.actions.nothingDone, text });
    } finally {
      setPlanning(false);
    }
  };

  return { running, outcome, dismissOutcome: () => setOutcome(null), plan, planning, run, withPlan };
}
