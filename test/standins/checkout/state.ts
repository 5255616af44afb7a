// The stand-in's accounts, payments, disputes, files and customers, and Checkout.com's rules for
// changing them: what may be captured, refunded or voided, and when dispute evidence may be provided or
// submitted. Every lookup is per account: another account's payment, dispute, file or customer is "not
// found".
import crypto from "node:crypto";
import { ckoId, disputeFixture, paymentFixture, type DisputeFixture, type PaymentFixture } from "../../fixtures/checkout-events";
import { StoredCustomers } from "./customers";
import { invalid, notAllowed, notFound } from "./errors";
import type { Finance, SettleOptions } from "./finance";
import {
  evidenceFileFields,
  type CaptureRequest,
  type DisputeQuery,
  type PaymentListQuery,
  type ProvideEvidenceRequest,
  type RefundRequest,
  type UploadedFile,
  type VoidRequest,
} from "./requests";

type AccountType = "NAS" | "ABC";

export interface AccountConfig {
  /** Defaults to `account_<n>` in configuration order. */
  id?: string;
  secretKey: string;
  accountType: AccountType;
  /** NAS webhook signature key; required for a NAS account with a webhook URL. */
  signatureKey?: string;
  webhookUrl?: string;
  /** The fixed `Authorization` header value configured on the webhook, if any. */
  authorizationHeader?: string;
  /** false: the key lacks the `flow:workflows` scope, and /workflows answers 401. Default true. */
  workflowsScope?: boolean;
  /** false: the key lacks the `flow:reflow` scope, and /workflows/events/.../reflow answers 401. Default true. */
  reflowScope?: boolean;
}

export interface Account extends AccountConfig {
  id: string;
}

export type MoneyActionType = "Capture" | "Refund" | "Void";
type ActionType = "Authorization" | MoneyActionType;

export interface PaymentAction {
  id: string;
  type: ActionType;
  amount: number;
  approved: boolean;
  responseCode: string;
  responseSummary: string;
  processedOn: Date;
  reference?: string;
  metadata?: Record<string, unknown>;
}

export interface Decline {
  responseCode: string;
  responseSummary: string;
}

export interface StoredPayment {
  accountId: string;
  /** Card, customer and risk data, in the shape the event builders take. */
  fixture: PaymentFixture;
  requestedOn: Date;
  approved: boolean;
  authorized: number;
  captured: number;
  refunded: number;
  voided: number;
  /** A Final capture closes the authorization: nothing more can be captured. */
  captureClosed: boolean;
  /** Oldest first. */
  actions: PaymentAction[];
  /** Outcomes forced on the next action of a type (declineNext). */
  declines: Partial<Record<MoneyActionType, Decline>>;
}

export interface NewPayment extends Partial<PaymentFixture> {
  /** Account id or secret key; the first account when absent. */
  account?: string;
  /** Capture at creation: true for the full amount, or an amount. */
  capture?: boolean | number;
  requestedOn?: Date;
}

export type DisputeStatus =
  | "evidence_required"
  | "evidence_under_review"
  | "resolved"
  | "won"
  | "lost"
  | "canceled"
  | "expired"
  | "accepted"
  | "arbitration_under_review"
  | "arbitration_won"
  | "arbitration_lost";

export interface StoredDispute {
  accountId: string;
  fixture: DisputeFixture & { receivedOn: string; lastUpdate: string; paymentActionId: string };
  relevantEvidence: string[];
  /** Provided evidence fields (PUT), merged. */
  evidence: Record<string, string>;
}

export interface NewDispute extends Partial<DisputeFixture> {
  account?: string;
  relevantEvidence?: string[];
}

export interface StoredFile {
  id: string;
  accountId: string;
  filename: string;
  purpose: string;
  size: number;
  contentType: string;
  data: Buffer;
  uploadedOn: Date;
  /** Secret part of the temporary download link. */
  downloadToken: string;
}

/** Evidence Checkout.com lists as relevant per category (its dispute-reasons guide, abridged). */
const RELEVANT_EVIDENCE: Record<string, string[]> = {
  fraudulent: ["proof_of_delivery_or_service", "customer_communication", "additional_evidence"],
  unrecognized: ["invoice_or_receipt", "proof_of_delivery_or_service", "customer_communication"],
  canceled_recurring: ["recurring_transaction_agreement", "refund_or_cancellation_policy", "customer_communication"],
  product_service_not_received: ["proof_of_delivery_or_service", "customer_communication"],
  not_as_described: ["invoice_or_receipt", "refund_or_cancellation_policy", "customer_communication"],
  credit_not_issued: ["refund_or_cancellation_policy", "invoice_or_receipt", "customer_communication"],
  duplicate: ["invoice_showing_distinct_transactions", "invoice_or_receipt"],
  incorrect_amount: ["invoice_or_receipt", "customer_communication"],
  general: ["additional_evidence", "invoice_or_receipt"],
};

export function paymentStatus(p: StoredPayment): string {
  if (!p.approved) return "Declined";
  if (p.voided > 0) return "Voided";
  if (p.refunded > 0) return p.refunded >= p.captured ? "Refunded" : "Partially Refunded";
  if (p.captured > 0) return p.captured >= p.authorized ? "Captured" : "Partially Captured";
  return "Authorized";
}

export function balances(p: StoredPayment) {
  const open = p.approved && p.voided === 0;
  return {
    total_authorized: p.approved ? p.authorized : 0,
    total_voided: p.voided,
    available_to_void: open && p.captured === 0 ? p.authorized : 0,
    total_captured: p.captured,
    available_to_capture: open && !p.captureClosed ? p.authorized - p.captured : 0,
    total_refunded: p.refunded,
    available_to_refund: p.captured - p.refunded,
  };
}

const isApprovedCode = (code: string) => code.startsWith("10");

/** A record of this account; another account's record is as unknown as a missing one. */
function owned<T extends { accountId: string }>(records: Map<string, T>, accountId: string, id: string): T {
  const record = records.get(id);
  if (!record || record.accountId !== accountId) throw notFound();
  return record;
}

export class StandInState {
  readonly accounts: Account[];
  readonly payments = new Map<string, StoredPayment>();
  readonly disputes = new Map<string, StoredDispute>();
  readonly files = new Map<string, StoredFile>();
  /** Customers made through POST /customers (payments make none here, see README.md). */
  readonly customers = new StoredCustomers();

  constructor(
    accounts: AccountConfig[],
    private readonly clock: () => Date,
    /** Financial actions, payouts and reports: every capture, refund and chargeback below is recorded there. */
    readonly finance: Finance,
  ) {
    if (accounts.length === 0) throw new Error("The Checkout.com stand-in needs at least one account");
    this.accounts = accounts.map((a, i) => ({ ...a, id: a.id ?? `account_${i + 1}` }));
    for (const a of this.accounts) {
      if (a.accountType === "NAS" && a.webhookUrl && !a.signatureKey)
        throw new Error(`Account ${a.id}: a NAS account with a webhook URL needs its signature key`);
    }
    if (new Set(this.accounts.map((a) => a.secretKey)).size !== this.accounts.length) throw new Error("Two accounts share a secret key");
  }

  /** An account by id or secret key; the first account when no reference is given. */
  account(ref?: string): Account {
    const account = ref === undefined ? this.accounts[0] : this.accounts.find((a) => a.id === ref || a.secretKey === ref);
    if (!account) throw new Error(`No stand-in account ${ref}`);
    return account;
  }

  /** The account an Authorization header belongs to: `Bearer sk_...` for NAS, the bare key for ABC. */
  authenticate(header: string | undefined): Account | undefined {
    if (!header) return undefined;
    return this.accounts.find((a) => header === (a.accountType === "NAS" ? `Bearer ${a.secretKey}` : a.secretKey));
  }

  // ---- payments ----

  /** Puts a payment in the account as if a customer had paid (approved or declined by its response code). */
  createPayment(input: NewPayment = {}): StoredPayment {
    const { account, capture, requestedOn, ...overrides } = input;
    const fixture = paymentFixture(overrides);
    if (this.payments.has(fixture.id)) throw new Error(`Payment ${fixture.id} exists`);
    fixture.responseCode ??= fixture.flagged ? "10100" : "10000";
    fixture.responseSummary ??= fixture.flagged ? "Approved - Risk flagged" : "Approved";
    const approved = isApprovedCode(fixture.responseCode);
    const at = requestedOn ?? this.clock();
    const payment: StoredPayment = {
      accountId: this.account(account).id,
      fixture,
      requestedOn: at,
      approved,
      authorized: approved ? fixture.amount : 0,
      captured: 0,
      refunded: 0,
      voided: 0,
      captureClosed: false,
      actions: [
        {
          id: ckoId("act"),
          type: "Authorization",
          amount: fixture.amount,
          approved,
          responseCode: fixture.responseCode,
          responseSummary: fixture.responseSummary,
          processedOn: at,
          reference: fixture.reference,
        },
      ],
      declines: {},
    };
    this.payments.set(fixture.id, payment);
    if (capture !== undefined && capture !== false) {
      this.capture(payment.accountId, fixture.id, typeof capture === "number" ? { amount: capture } : {});
    }
    return payment;
  }

  /** A payment of this account, or 404. */
  payment(accountId: string, id: string): StoredPayment {
    return owned(this.payments, accountId, id);
  }

  /** The account's payments with this reference, most recent first, as GET /payments lists them. */
  listPayments(accountId: string, q: PaymentListQuery) {
    const matches = [...this.payments.values()]
      .filter((p) => p.accountId === accountId && p.fixture.reference === q.reference)
      .sort((a, b) => b.requestedOn.getTime() - a.requestedOn.getTime());
    return { total: matches.length, data: matches.slice(q.skip, q.skip + q.limit) };
  }

  /** Makes the next capture/refund/void of this payment come back declined (202, then a *_declined webhook). */
  declineNext(paymentId: string, type: MoneyActionType, decline: Decline = { responseCode: "20005", responseSummary: "Declined - Do Not Honour" }) {
    const payment = this.payments.get(paymentId);
    if (!payment) throw new Error(`No payment ${paymentId}`);
    payment.declines[type] = decline;
  }

  private record(payment: StoredPayment, type: MoneyActionType, amount: number, body: { reference?: string; metadata?: Record<string, unknown> }) {
    const decline = payment.declines[type];
    delete payment.declines[type];
    const action: PaymentAction = {
      id: ckoId("act"),
      type,
      amount,
      approved: !decline,
      responseCode: decline?.responseCode ?? "10000",
      responseSummary: decline?.responseSummary ?? "Approved",
      processedOn: this.clock(),
      reference: body.reference,
      metadata: body.metadata,
    };
    payment.actions.push(action);
    return action;
  }

  capture(accountId: string, paymentId: string, body: CaptureRequest) {
    const payment = this.payment(accountId, paymentId);
    const available = balances(payment).available_to_capture;
    if (available === 0) throw notAllowed();
    const amount = body.amount ?? available;
    if (amount === 0) throw invalid("amount_invalid");
    if (amount > available) throw invalid(payment.captured === 0 ? "capture_value_greater_than_authorized" : "capture_value_greater_than_remaining_authorized");
    const action = this.record(payment, "Capture", amount, body);
    if (action.approved) {
      payment.captured += amount;
      // Final (the default) closes the authorization; the rest can no longer be captured.
      if ((body.capture_type ?? "Final") === "Final") payment.captureClosed = true;
      this.finance.paymentAction(payment, { ...action, type: "Capture" });
    }
    return { payment, action };
  }

  refund(accountId: string, paymentId: string, body: RefundRequest) {
    const payment = this.payment(accountId, paymentId);
    if (payment.captured === 0) throw notAllowed();
    const available = balances(payment).available_to_refund;
    const amount = body.amount ?? available;
    if (body.amount === 0) throw invalid("amount_invalid");
    if (amount === 0 || amount > available) throw invalid("refund_amount_exceeds_balance");
    const action = this.record(payment, "Refund", amount, body);
    if (action.approved) {
      payment.refunded += amount;
      this.finance.paymentAction(payment, { ...action, type: "Refund" });
    }
    return { payment, action };
  }

  void(accountId: string, paymentId: string, body: VoidRequest) {
    const payment = this.payment(accountId, paymentId);
    const available = balances(payment).available_to_void;
    if (available === 0) throw notAllowed();
    const action = this.record(payment, "Void", available, body);
    if (action.approved) payment.voided += available;
    return { payment, action };
  }

  // ---- disputes ----

  /** Opens a dispute, on a stored payment of the same account when `paymentId` names one. */
  createDispute(input: NewDispute = {}): StoredDispute {
    const { account, relevantEvidence, ...overrides } = input;
    const accountId = this.account(account).id;
    const payment = overrides.paymentId ? this.payments.get(overrides.paymentId) : undefined;
    if (payment && payment.accountId !== accountId) throw new Error(`Payment ${payment.fixture.id} belongs to another account`);
    const now = this.clock();
    const fromPayment = payment
      ? { amount: payment.captured || payment.fixture.amount, currency: payment.fixture.currency, paymentReference: payment.fixture.reference }
      : {};
    const fixture = disputeFixture({
      ...fromPayment,
      evidenceRequiredBy: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
      ...overrides,
    });
    if (this.disputes.has(fixture.id)) throw new Error(`Dispute ${fixture.id} exists`);
    const dispute: StoredDispute = {
      accountId,
      fixture: {
        ...fixture,
        receivedOn: fixture.receivedOn ?? now.toISOString(),
        lastUpdate: fixture.lastUpdate ?? now.toISOString(),
        paymentActionId: fixture.paymentActionId ?? payment?.actions.find((a) => a.type === "Capture" && a.approved)?.id ?? ckoId("act", fixture.paymentId),
      },
      relevantEvidence: relevantEvidence ?? RELEVANT_EVIDENCE[fixture.category] ?? RELEVANT_EVIDENCE.general,
      evidence: {},
    };
    this.disputes.set(fixture.id, dispute);
    return dispute;
  }

  dispute(accountId: string, id: string): StoredDispute {
    return owned(this.disputes, accountId, id);
  }

  /** Latest update first, as the API lists them. */
  listDisputes(accountId: string, q: DisputeQuery) {
    const matches = [...this.disputes.values()]
      .filter((d) => d.accountId === accountId)
      .filter((d) => !q.id || d.fixture.id === q.id)
      .filter((d) => !q.statuses || q.statuses.includes(d.fixture.status))
      .filter((d) => !q.payment_id || d.fixture.paymentId === q.payment_id)
      .filter((d) => !q.payment_reference || d.fixture.paymentReference === q.payment_reference)
      .filter((d) => !q.from || Date.parse(d.fixture.lastUpdate) >= Date.parse(q.from))
      .filter((d) => !q.to || Date.parse(d.fixture.lastUpdate) <= Date.parse(q.to))
      .sort((a, b) => Date.parse(b.fixture.lastUpdate) - Date.parse(a.fixture.lastUpdate));
    return { total: matches.length, data: matches.slice(q.skip, q.skip + q.limit) };
  }

  /** Evidence can change only while Checkout.com waits for it, and not after the deadline. */
  private openForEvidence(d: StoredDispute) {
    if (d.fixture.status !== "evidence_required") throw invalid("dispute_status_invalid");
    if (this.clock().getTime() > Date.parse(d.fixture.evidenceRequiredBy)) throw invalid("dispute_expired");
  }

  private touch(d: StoredDispute, status?: DisputeStatus) {
    d.fixture.lastUpdate = this.clock().toISOString();
    if (!status) return;
    d.fixture.status = status;
    this.finance.disputeMoved(d, this.payments.get(d.fixture.paymentId));
  }

  provideEvidence(accountId: string, id: string, body: ProvideEvidenceRequest) {
    const dispute = this.dispute(accountId, id);
    this.openForEvidence(dispute);
    const fields = Object.entries(body).filter((e): e is [string, string] => e[0] !== "_links" && typeof e[1] === "string");
    if (fields.length === 0) throw invalid("evidence_required");
    const badFiles = fields
      .filter(([name, value]) => evidenceFileFields.includes(name) && this.files.get(value)?.accountId !== accountId)
      .map(([name]) => `${name}_invalid`);
    if (badFiles.length) throw invalid(...badFiles);
    Object.assign(dispute.evidence, Object.fromEntries(fields));
    this.touch(dispute);
    return dispute;
  }

  /** Final: after this the dispute is under review and nothing can change. */
  submitEvidence(accountId: string, id: string) {
    const dispute = this.dispute(accountId, id);
    this.openForEvidence(dispute);
    if (Object.keys(dispute.evidence).length === 0) throw invalid("evidence_required");
    this.touch(dispute, "evidence_under_review");
    return dispute;
  }

  acceptDispute(accountId: string, id: string) {
    const dispute = this.dispute(accountId, id);
    this.openForEvidence(dispute);
    this.touch(dispute, "accepted");
    return dispute;
  }

  /** Moves a dispute on as the scheme would (won, lost, expired...), for tests and the demo. */
  setDisputeStatus(id: string, status: DisputeStatus) {
    const dispute = this.disputes.get(id);
    if (!dispute) throw new Error(`No dispute ${id}`);
    this.touch(dispute, status);
    return dispute;
  }

  /** Pays out the account's unpaid financial actions, one payout per holding currency (Finance.settle). */
  settle(account?: string, options?: SettleOptions) {
    return this.finance.settle(this.account(account).id, options);
  }

  // ---- files ----

  addFile(accountId: string, upload: UploadedFile): StoredFile {
    const file: StoredFile = {
      id: ckoId("file"),
      accountId,
      filename: upload.filename,
      purpose: upload.purpose,
      size: upload.data.length,
      contentType: upload.contentType,
      data: upload.data,
      uploadedOn: this.clock(),
      downloadToken: crypto.randomBytes(16).toString("hex"),
    };
    this.files.set(file.id, file);
    return file;
  }

  file(accountId: string, id: string): StoredFile {
    return owned(this.files, accountId, id);
  }
}
