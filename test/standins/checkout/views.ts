// The stand-in's records as the API shows them (NAS response shapes: PaymentDetails,
// PaymentActionsResponse, *AcceptedResponse, Dispute, DisputeSummary, Evidence, FileUploadResponse,
// FileResult). `base` is the stand-in's URL, used in `_links`.
import { ckoId } from "../../fixtures/checkout-events";
import { balances, paymentStatus, type PaymentAction, type StoredDispute, type StoredFile, type StoredPayment } from "./state";

const link = (href: string) => ({ href });
const iso = (d: Date) => d.toISOString();
const address = (country?: string) => (country ? { address_line1: "1 Main St", city: "Springfield", zip: "12345", country } : undefined);

export function paymentView(p: StoredPayment, base: string) {
  const f = p.fixture;
  const b = balances(p);
  const self = `${base}/payments/${f.id}`;
  return {
    id: f.id,
    requested_on: iso(p.requestedOn),
    source: {
      type: "card",
      id: ckoId("src", f.id),
      billing_address: address(f.billingCountry),
      expiry_month: 6,
      expiry_year: 2030,
      name: f.name,
      scheme: f.scheme,
      last4: f.last4,
      fingerprint: f.fingerprint,
      bin: f.bin,
      card_type: "Credit",
      issuer_country: f.issuerCountry,
      avs_check: f.avs,
      cvv_check: f.cvv,
    },
    amount: f.amount,
    currency: f.currency,
    payment_type: "Regular",
    reference: f.reference,
    approved: p.approved,
    status: paymentStatus(p),
    balances: b,
    risk: { flagged: f.flagged ?? false, score: f.riskScore },
    customer: { id: ckoId("cus", f.email ?? f.id), email: f.email, name: f.name },
    shipping: f.shippingCountry ? { address: address(f.shippingCountry) } : undefined,
    payment_ip: f.ip,
    "3ds": f.threeDs,
    metadata: {},
    _links: {
      self: link(self),
      actions: link(`${self}/actions`),
      ...(b.available_to_capture > 0 ? { capture: link(`${self}/captures`) } : {}),
      ...(b.available_to_void > 0 ? { void: link(`${self}/voids`) } : {}),
      ...(b.available_to_refund > 0 ? { refund: link(`${self}/refunds`) } : {}),
    },
  };
}

function actionView(a: PaymentAction) {
  return {
    id: a.id,
    type: a.type,
    processed_on: iso(a.processedOn),
    amount: a.amount,
    approved: a.approved,
    auth_code: a.type === "Authorization" && a.approved ? "643381" : undefined,
    response_code: a.responseCode,
    response_summary: a.responseSummary,
    reference: a.reference,
    metadata: a.metadata,
  };
}

/** Latest first. */
export const actionsView = (p: StoredPayment) => [...p.actions].reverse().map(actionView);

/** The 202 answer to a capture, refund or void. */
export const actionAcceptedView = (p: StoredPayment, a: PaymentAction, base: string) => ({
  action_id: a.id,
  reference: a.reference,
  _links: { payment: link(`${base}/payments/${p.fixture.id}`) },
});

function disputedPayment(d: StoredDispute, payment: StoredPayment | undefined) {
  const f = d.fixture;
  return {
    id: f.paymentId,
    action_id: f.paymentActionId,
    amount: payment?.fixture.amount ?? f.amount,
    currency: f.currency,
    method: payment?.fixture.scheme ?? "Visa",
    arn: "74548998294293193445538",
    processed_on: iso(payment?.requestedOn ?? new Date(Date.parse(f.receivedOn) - 10 * 86_400_000)),
    has_refund: (payment?.refunded ?? 0) > 0,
  };
}

export function disputeView(d: StoredDispute, payment: StoredPayment | undefined, base: string) {
  const f = d.fixture;
  const self = `${base}/disputes/${f.id}`;
  return {
    id: f.id,
    category: f.category,
    amount: f.amount,
    currency: f.currency,
    reason_code: f.reasonCode,
    status: f.status,
    relevant_evidence: d.relevantEvidence,
    evidence_required_by: f.evidenceRequiredBy,
    received_on: f.receivedOn,
    last_update: f.lastUpdate,
    payment: disputedPayment(d, payment),
    _links: { self: link(self), evidence: link(`${self}/evidence`) },
  };
}

export function disputeSummaryView(d: StoredDispute, base: string) {
  const f = d.fixture;
  return {
    id: f.id,
    category: f.category,
    status: f.status,
    amount: f.amount,
    currency: f.currency,
    reason_code: f.reasonCode,
    payment_id: f.paymentId,
    payment_action_id: f.paymentActionId,
    payment_reference: f.paymentReference,
    payment_method: "Visa",
    evidence_required_by: f.evidenceRequiredBy,
    received_on: f.receivedOn,
    last_update: f.lastUpdate,
    _links: { self: link(`${base}/disputes/${f.id}`) },
  };
}

export const evidenceView = (d: StoredDispute) => ({ ...d.evidence });

export const fileUploadedView = (f: StoredFile, base: string) => ({ id: f.id, _links: { self: link(`${base}/files/${f.id}`) } });

/** Where a stored file (an upload or a report file) downloads without a key: control.ts serves it. */
export const downloadUrl = (base: string, f: { id: string; downloadToken: string }) => `${base}/_standin/downloads/${f.id}/${f.downloadToken}`;

export const fileView = (f: StoredFile, base: string) => ({
  id: f.id,
  filename: f.filename,
  purpose: f.purpose,
  size: f.size,
  uploaded_on: iso(f.uploadedOn),
  _links: { self: link(`${base}/files/${f.id}`), download: link(downloadUrl(base, f)) },
});
