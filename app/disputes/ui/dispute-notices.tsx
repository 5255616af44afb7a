// The banners above the dispute's evidence: an unconfirmed submission, why the answer is closed,
// evidence not built yet, and the evidence Checkout.com asks for that is still empty.
import { Banner, List } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { DisputeDetail } from "../queries.server";
import { refusalReason } from "../status";
import { useDisputeWords } from "./labels";

/** `now`: the server's time when the page was loaded (the readiness was judged then). */
export function DisputeNotices({ detail, editable, now }: { detail: DisputeDetail; editable: boolean; now: string }) {
  const { t } = useTranslation("disputes");
  const words = useDisputeWords();
  const { dispute, readiness } = detail;
  // The server's refusal is English; the same facts in the staff member's words (the server's text
  // only if they disagree, such as a deadline passing between the two instants).
  const reason = readiness.refusal ? refusalReason(dispute, new Date(now)) : null;
  const refusal = reason ? words.refusal(reason) : readiness.refusal;
  return (
    <>
      {dispute.responseError && dispute.responseState === "submitting" && (
        <Banner tone="warning" title={t("notices.unconfirmed")}>
          <p>{dispute.responseError}</p>
        </Banner>
      )}
      {refusal && <Banner tone={dispute.responseState === "submitted" ? "success" : "info"} title={refusal} />}
      {!dispute.evidenceBuilt && editable && (
        <Banner tone="warning" title={dispute.orderGid ? t("notices.notBuilt.title") : t("notices.noOrder.title")}>
          <p>{dispute.orderGid ? t("notices.notBuilt.body") : t("notices.noOrder.body")}</p>
        </Banner>
      )}
      {editable && readiness.missing.length > 0 && (
        <Banner tone="warning" title={t("notices.missing")}>
          <List>
            {readiness.missing.map((type) => (
              <List.Item key={type}>{words.evidence(type)}</List.Item>
            ))}
          </List>
        </Banner>
      )}
    </>
  );
}
