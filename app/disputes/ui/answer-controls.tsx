// The dispute's answer: save the draft, save to Checkout.com, submit or accept, and the
// confirmations before the final steps (submit, accept, rebuild from the order).
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { EVIDENCE_LABELS, type EvidenceType } from "../model";
import { ConfirmModal } from "../../ui/confirm-modal";

export type AnswerIntent = "save_draft" | "save_checkout" | "submit" | "accept";
export type ConfirmedIntent = "submit" | "accept" | "rebuild";

export function AnswerBar(props: {
  dirty: boolean;
  canSend: boolean;
  /** Finance may submit and accept; a Reviewer drafts. */
  canAnswer: boolean;
  busyIntent: string | null;
  onSend: (intent: AnswerIntent) => void;
  onConfirm: (intent: ConfirmedIntent) => void;
}) {
  const { dirty, busyIntent } = props;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="300" wrap>
          <Button onClick={() => props.onSend("save_draft")} loading={busyIntent === "save_draft"} disabled={!dirty || busyIntent !== null}>
            Save draft
          </Button>
          <Button onClick={() => props.onSend("save_checkout")} loading={busyIntent === "save_checkout"} disabled={!props.canSend && !dirty}>
            Save to Checkout.com
          </Button>
          {props.canAnswer && (
            <Button variant="primary" onClick={() => props.onConfirm("submit")} disabled={busyIntent !== null}>
              Submit evidence
            </Button>
          )}
          {props.canAnswer && (
            <Button tone="critical" onClick={() => props.onConfirm("accept")} disabled={busyIntent !== null}>
              Accept dispute
            </Button>
          )}
        </InlineStack>
        <Text as="p" tone="subdued">
          Save to Checkout.com attaches the evidence without sending it to the card issuer. Submit evidence sends it, once, for review.
        </Text>
      </BlockStack>
    </Card>
  );
}

export function AnswerConfirmations(props: {
  confirm: ConfirmedIntent | null;
  busyIntent: string | null;
  missing: EvidenceType[];
  /** The disputed amount, formatted. */
  amount: string;
  onConfirmed: (intent: ConfirmedIntent) => void;
  onClose: () => void;
}) {
  const { confirm, busyIntent, missing, onConfirmed, onClose } = props;
  return (
    <>
      <ConfirmModal
        open={confirm === "submit"}
        title="Submit evidence to Checkout.com?"
        confirm="Yes, submit evidence"
        loading={busyIntent === "submit"}
        onConfirm={() => onConfirmed("submit")}
        onClose={onClose}
      >
        {[
          "Checkout.com sends this evidence to the card issuer for review. This cannot be undone: afterwards nothing can be changed or added.",
          ...(missing.length > 0 ? [`Still empty: ${missing.map((t) => EVIDENCE_LABELS[t]).join(", ")}.`] : []),
        ]}
      </ConfirmModal>
      <ConfirmModal
        open={confirm === "accept"}
        title="Accept this dispute?"
        confirm="Yes, accept dispute"
        destructive
        loading={busyIntent === "accept"}
        onConfirm={() => onConfirmed("accept")}
        onClose={onClose}
      >
        {[`You give up ${props.amount} to the cardholder and send no evidence. This cannot be undone.`]}
      </ConfirmModal>
      <ConfirmModal
        open={confirm === "rebuild"}
        title="Rebuild the evidence from the order?"
        confirm="Rebuild evidence"
        loading={busyIntent === "rebuild"}
        onConfirm={() => onConfirmed("rebuild")}
        onClose={onClose}
      >
        {["The texts are written again from the current order in Shopify, replacing your edits. Files you attached stay."]}
      </ConfirmModal>
    </>
  );
}
