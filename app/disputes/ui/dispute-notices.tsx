// The banners above the dispute's evidence: an unconfirmed submission, why the answer is closed,
// evidence not built yet, and the evidence Checkout.com asks for that is still empty.
import { Banner, List } from "@shopify/polaris";
import { EVIDENCE_LABELS } from "../model";
import type { DisputeDetail } from "../queries.server";

export function DisputeNotices({ detail, editable }: { detail: DisputeDetail; editable: boolean }) {
  const { dispute, readiness } = detail;
  return (
    <>
      {dispute.responseError && dispute.responseState === "submitting" && (
        <Banner tone="warning" title="Checkout.com has not confirmed the submission">
          <p>{dispute.responseError}</p>
        </Banner>
      )}
      {readiness.refusal && <Banner tone={dispute.responseState === "submitted" ? "success" : "info"} title={readiness.refusal} />}
      {!dispute.evidenceBuilt && editable && (
        <Banner tone="warning" title={dispute.orderGid ? "The evidence has not been built yet" : "No Shopify order is linked to this payment yet"}>
          <p>
            {dispute.orderGid
              ? "Build it from the order with Rebuild from order, or write it below."
              : "Evidence is built from the order once the payment is matched to it. You can write and attach evidence yourself meanwhile."}
          </p>
        </Banner>
      )}
      {editable && readiness.missing.length > 0 && (
        <Banner tone="warning" title="Checkout.com asks for evidence that is still empty">
          <List>
            {readiness.missing.map((t) => (
              <List.Item key={t}>{EVIDENCE_LABELS[t]}</List.Item>
            ))}
          </List>
        </Banner>
      )}
    </>
  );
}
