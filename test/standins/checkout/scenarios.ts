// Stories the stand-in can play: it changes its state as Checkout.com would and delivers the matching
// signed webhooks, in order, so the app can later read the same payment or dispute back through the API.
import type { DisputeFixture, PaymentFixture } from "../../fixtures/checkout-events";
import type { EventFactory } from "./events";
import type { Account, NewPayment, StandInState, StoredDispute, StoredPayment } from "./state";
import type { Delivery } from "./webhooks";

/** Scenario names and what each one delivers. */
export const SCENARIOS = {
  approved: "payment_approved (risk score low)",
  approved_flagged: "payment_approved, flagged by risk (score 85, response 10100)",
  soft_decline: "payment_declined 20051 Insufficient Funds (a retry may succeed)",
  hard_decline: "payment_declined 30004 Pick Up Card (No Fraud)",
  risk_decline: "payment_declined 40101 Risk Blocked Transaction (score 95)",
  captured: "payment_approved, then payment_captured",
  refunded: "payment_approved, payment_captured, then payment_refunded (full amount)",
  dispute: "dispute_received, then dispute_evidence_required (on a new captured payment, or on paymentId)",
} as const;
export type ScenarioName = keyof typeof SCENARIOS;

const PAYMENT_PRESETS: Record<ScenarioName, Partial<PaymentFixture>> = {
  approved: {},
  approved_flagged: { riskScore: 85, flagged: true },
  soft_decline: { responseCode: "20051", responseSummary: "Insufficient Funds" },
  hard_decline: { responseCode: "30004", responseSummary: "Pick Up Card (No Fraud)" },
  risk_decline: { responseCode: "40101", responseSummary: "Risk Blocked Transaction", riskScore: 95, flagged: true },
  captured: {},
  refunded: {},
  dispute: {},
};

export interface ScenarioOptions {
  /** Account id or secret key; the first account when absent. */
  account?: string;
  /** Overrides for the new payment (amount, currency, reference, email, countries...), and when it was made. */
  payment?: Partial<PaymentFixture> & Pick<NewPayment, "requestedOn">;
  /** dispute: open it on this stored payment instead of a new one (only dispute events are sent). */
  paymentId?: string;
  dispute?: Partial<DisputeFixture> & { relevantEvidence?: string[] };
}

export interface ScenarioResult {
  payment: StoredPayment;
  dispute?: StoredDispute;
  deliveries: Delivery[];
}

export function createScenarios(state: StandInState, events: EventFactory, deliver: (account: Account, events: Array<Record<string, unknown>>) => Delivery[]) {
  function play(name: ScenarioName, options: ScenarioOptions = {}): ScenarioResult {
    if (!(name in SCENARIOS)) throw new Error(`Unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(", ")}`);
    const account = state.account(options.account);
    const out: Array<Record<string, unknown>> = [];
    let payment: StoredPayment;
    if (name === "dispute" && options.paymentId) {
      payment = state.payment(account.id, options.paymentId);
    } else {
      payment = state.createPayment({ ...PAYMENT_PRESETS[name], ...options.payment, account: account.id });
      out.push(events.authorization(account, payment));
    }
    if (name === "captured" || name === "refunded" || (name === "dispute" && !options.paymentId)) {
      out.push(events.action(account, payment, state.capture(account.id, payment.fixture.id, {}).action));
    }
    if (name === "refunded") out.push(events.action(account, payment, state.refund(account.id, payment.fixture.id, {}).action));
    let dispute: StoredDispute | undefined;
    if (name === "dispute") {
      dispute = state.createDispute({ ...options.dispute, paymentId: payment.fixture.id, account: account.id });
      out.push(events.dispute(account, "dispute_received", dispute), events.dispute(account, "dispute_evidence_required", dispute));
    }
    return { payment, dispute, deliveries: deliver(account, out) };
  }

  return { names: Object.keys(SCENARIOS) as ScenarioName[], play };
}
