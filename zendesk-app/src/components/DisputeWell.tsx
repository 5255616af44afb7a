// The ticket's dispute: status, amount, reason, the evidence deadline, and "Submit evidence" while it
// is open and the store has finished the evidence in the Shopify app.
import { Button } from "@zendeskgarden/react-buttons";
import { Well } from "@zendeskgarden/react-notifications";
import { Tag } from "@zendeskgarden/react-tags";
import { MD, SM } from "@zendeskgarden/react-typography";
import type { PaymentTimeline } from "#app/zendesk/contract";
import { useSpeech, type Speech } from "../words";
import { Buttons, Hint } from "./layout";

const DAY_MS = 86_400_000;

export function deadlineText(iso: string, { w, date }: Speech): string {
  const remaining = new Date(iso).getTime() - Date.now();
  const days = Math.floor(remaining / DAY_MS);
  const left = remaining < 0 ? w.dispute.passed : days === 0 ? w.dispute.lessThanADay : w.dispute.daysLeft(days);
  return w.dispute.due(date(iso), left);
}

export function DisputeWell(props: {
  dispute: NonNullable<PaymentTimeline["dispute"]>;
  permissions: PaymentTimeline["permissions"];
  running: boolean;
  onSubmitEvidence: () => void;
}) {
  const { dispute, permissions, running } = props;
  const speech = useSpeech();
  const { w, date, money } = speech;
  const disputeOpen = dispute.isOpen && dispute.evidenceSubmittedAt === null;
  return (
    <Well aria-label={w.dispute.label}>
      <MD isBold>
        {dispute.isOpen ? w.dispute.open : w.dispute.status(dispute.status.replace(/_/g, " "))}{" "}
        <Tag hue={dispute.isOpen ? "red" : "grey"} size="small">
          {money(dispute.amount, dispute.currency)}
        </Tag>
      </MD>
      {dispute.category ? <SM>{w.dispute.reason(dispute.category.replace(/_/g, " "))}</SM> : null}
      {dispute.evidenceSubmittedAt ? <SM>{w.dispute.submitted(date(dispute.evidenceSubmittedAt))}</SM> : null}
      {disputeOpen && dispute.evidenceDueBy ? <SM data-testid="evidence-deadline">{deadlineText(dispute.evidenceDueBy, speech)}</SM> : null}
      {disputeOpen ? (
        <>
          {!dispute.evidenceReady ? <Hint>{w.dispute.notReady}</Hint> : null}
          {!permissions.submitEvidence ? <Hint>{w.dispute.notAllowed}</Hint> : null}
          <Buttons style={{ marginTop: 8 }}>
            <Button size="small" disabled={running || !dispute.evidenceReady || !permissions.submitEvidence} onClick={props.onSubmitEvidence}>
              {w.dispute.submit}
            </Button>
          </Buttons>
        </>
      ) : null}
    </Well>
  );
}
