// The ticket's dispute: status, amount, reason, the evidence deadline, and "Submit evidence" while it
// is open and the store has finished the evidence in the Shopify app.
import { Button } from "@zendeskgarden/react-buttons";
import { Well } from "@zendeskgarden/react-notifications";
import { Tag } from "@zendeskgarden/react-tags";
import { MD, SM } from "@zendeskgarden/react-typography";
import type { PaymentTimeline } from "#app/zendesk/contract";
import { formatMoney } from "#app/lib/money";
import { formatDate } from "../note";
import { Buttons, Hint } from "./layout";

const DAY_MS = 86_400_000;

export function deadlineText(iso: string, locale: string): string {
  const remaining = new Date(iso).getTime() - Date.now();
  const days = Math.floor(remaining / DAY_MS);
  const left = remaining < 0 ? "deadline passed" : days === 0 ? "less than a day left" : days === 1 ? "1 day left" : `${days} days left`;
  return `Evidence due by ${formatDate(iso, locale)} (${left})`;
}

export function DisputeWell(props: {
  dispute: NonNullable<PaymentTimeline["dispute"]>;
  permissions: PaymentTimeline["permissions"];
  locale: string;
  running: boolean;
  onSubmitEvidence: () => void;
}) {
  const { dispute, permissions, locale, running } = props;
  const disputeOpen = dispute.isOpen && dispute.evidenceSubmittedAt === null;
  return (
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
            <Button size="small" disabled={running || !dispute.evidenceReady || !permissions.submitEvidence} onClick={props.onSubmitEvidence}>
              Submit evidence
            </Button>
          </Buttons>
        </>
      ) : null}
    </Well>
  );
}
