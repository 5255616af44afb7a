// The dispute's answer: save the draft, save to Checkout.com, submit or accept, and the
// confirmations before the final steps (submit, accept, rebuild from the order).
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { ConfirmModal } from "../../ui/confirm-modal";
import type { EvidenceType } from "../model";
import { useDisputeWords } from "./labels";

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
  const { t } = useTranslation("disputes");
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="300" wrap>
          <Button onClick={() => props.onSend("save_draft")} loading={busyIntent === "save_draft"} disabled={!dirty || busyIntent !== null}>
            {t("answer.saveDraft")}
          </Button>
          <Button onClick={() => props.onSend("save_checkout")} loading={busyIntent === "save_checkout"} disabled={!props.canSend && !dirty}>
            {t("answer.saveCheckout")}
          </Button>
          {props.canAnswer && (
            <Button variant="primary" onClick={() => props.onConfirm("submit")} disabled={busyIntent !== null}>
              {t("answer.submit")}
            </Button>
          )}
          {props.canAnswer && (
            <Button tone="critical" onClick={() => props.onConfirm("accept")} disabled={busyIntent !== null}>
              {t("answer.accept")}
            </Button>
          )}
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("answer.help")}
        </Text>
      </BlockStack>
    </Card>
  );
}

export function AnswerConfirmations(props: {
  confirm: ConfirmedIntent | null;
  busyIntent: string | null;
  missing: EvidenceType[];
  /** The disputed amount, formatted in the staff member's language. */
  amount: string;
  onConfirmed: (intent: ConfirmedIntent) => void;
  onClose: () => void;
}) {
  const { confirm, busyIntent, missing, onConfirmed, onClose } = props;
  const { t } = useTranslation("disputes");
  const words = useDisputeWords();
  return (
    <>
      <ConfirmModal
        open={confirm === "submit"}
        title={t("answer.confirmSubmit.title")}
        confirm={t("answer.confirmSubmit.confirm")}
        loading={busyIntent === "submit"}
        onConfirm={() => onConfirmed("submit")}
        onClose={onClose}
      >
        {[
          t("answer.confirmSubmit.body"),
          ...(missing.length > 0 ? [t("answer.confirmSubmit.stillEmpty", { types: missing.map(words.evidence).join(", ") })] : []),
        ]}
      </ConfirmModal>
      <ConfirmModal
        open={confirm === "accept"}
        title={t("answer.confirmAccept.title")}
        confirm={t("answer.confirmAccept.confirm")}
        destructive
        loading={busyIntent === "accept"}
        onConfirm={() => onConfirmed("accept")}
        onClose={onClose}
      >
        {[t("answer.confirmAccept.body", { amount: props.amount })]}
      </ConfirmModal>
      <ConfirmModal
        open={confirm === "rebuild"}
        title={t("answer.confirmRebuild.title")}
        confirm={t("answer.confirmRebuild.confirm")}
        loading={busyIntent === "rebuild"}
        onConfirm={() => onConfirmed("rebuild")}
        onClose={onClose}
      >
        {[t("answer.confirmRebuild.body")]}
      </ConfirmModal>
    </>
  );
}
