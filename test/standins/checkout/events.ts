// Which webhook event a stand-in change produces. The events themselves are built by the shared
// builders in test/fixtures/checkout-events.ts, in the account's envelope (NAS or ABC).
import { checkoutEvent, disputeEventData, disputeFixture, paymentEventData, paymentFixture } from "../../fixtures/checkout-events";
import type { Account, MoneyActionType, PaymentAction, StoredDispute, StoredPayment } from "./state";

type Event = Record<string, unknown>;

const OUTCOME_TYPES: Record<MoneyActionType, { approved: string; declined: string }> = {
  Capture: { approved: "payment_captured", declined: "payment_capture_declined" },
  Refund: { approved: "payment_refunded", declined: "payment_refund_declined" },
  Void: { approved: "payment_voided", declined: "payment_void_declined" },
};

export function createEventFactory(base: string, clock: () => Date) {
  const wrap = (account: Account, type: string, data: Record<string, unknown>): Event =>
    checkoutEvent(type, data, { envelope: account.accountType, apiBase: base, at: clock() });

  return {
    /** payment_approved or payment_declined, for the payment's authorization. */
    authorization(account: Account, p: StoredPayment): Event {
      const auth = p.actions[0];
      const type = p.approved ? "payment_approved" : "payment_declined";
      return wrap(account, type, paymentEventData(type, p.fixture, { action_id: auth.id, processed_on: auth.processedOn.toISOString() }));
    },
    /** The outcome of a capture, refund or void. */
    action(account: Account, p: StoredPayment, a: PaymentAction): Event {
      const types = OUTCOME_TYPES[a.type as MoneyActionType];
      const type = a.approved ? types.approved : types.declined;
      return wrap(
        account,
        type,
        paymentEventData(type, p.fixture, {
          action_id: a.id,
          amount: a.amount,
          processed_on: a.processedOn.toISOString(),
          response_code: a.responseCode,
          response_summary: a.responseSummary,
        }),
      );
    },
    dispute(account: Account, type: string, d: StoredDispute): Event {
      return wrap(account, type, disputeEventData(d.fixture));
    },
    /** A sample event of any type, with made-up payment or dispute data, as a workflow test sends. */
    sample(account: Account, type: string): Event {
      if (type.startsWith("dispute_")) return wrap(account, type, disputeEventData(disputeFixture()));
      return wrap(account, type, paymentEventData(type, paymentFixture({ reference: "workflow-test" })));
    },
  };
}

export type EventFactory = ReturnType<typeof createEventFactory>;
