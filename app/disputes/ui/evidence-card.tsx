// One evidence type on the dispute page: its text for the card issuer, the delivery date where it
// has one, its file, and a drop zone to attach or replace the file.
import { BlockStack, Card, DropZone, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { TEXT_LIMIT, textFieldOf, type EvidenceType, type TEXT_FIELDS } from "../model";
import type { DisputeDetail } from "../queries.server";
import { EvidenceFileRow } from "./evidence-file";
import { useDisputeWords } from "./labels";

export type EvidenceTexts = Partial<Record<(typeof TEXT_FIELDS)[number], string>>;

export function EvidenceCard(props: {
  type: EvidenceType;
  /** The stored evidence of this type; none for a type the reviewer just added. */
  item: DisputeDetail["evidence"][number] | undefined;
  texts: EvidenceTexts;
  onTexts: (texts: EvidenceTexts) => void;
  editable: boolean;
  fieldErrors: Record<string, string> | undefined;
  fileUrl: (fileId: string) => string;
  onRemoveFile: () => void;
  onAttach: (file: File) => void;
}) {
  const { type, item, texts, onTexts, editable, fieldErrors } = props;
  const field = textFieldOf(type);
  const { t } = useTranslation("disputes");
  const label = useDisputeWords().evidence(type);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {label}
        </Text>
        <TextField
          label={t("card.textLabel", { type: label })}
          labelHidden
          value={texts[field] ?? ""}
          onChange={(v) => onTexts({ ...texts, [field]: v })}
          multiline={4}
          maxLength={TEXT_LIMIT}
          showCharacterCount
          autoComplete="off"
          disabled={!editable}
          error={fieldErrors?.[field]}
          helpText={item?.missing ? t("card.missing") : undefined}
        />
        {type === "proof_of_delivery_or_service" && (
          <TextField
            label={t("card.deliveryDate")}
            value={texts.proof_of_delivery_or_service_date_text ?? ""}
            onChange={(v) => onTexts({ ...texts, proof_of_delivery_or_service_date_text: v })}
            maxLength={TEXT_LIMIT}
            autoComplete="off"
            disabled={!editable}
            error={fieldErrors?.proof_of_delivery_or_service_date_text}
          />
        )}
        {item?.file && (
          <EvidenceFileRow file={item.file} url={props.fileUrl(item.file.id)} removable={editable && !item.file.generated} onRemove={props.onRemoveFile} />
        )}
        {editable && (
          <DropZone
            label={item?.file ? t("card.replace") : t("card.attach")}
            accept="application/pdf,image/png,image/jpeg"
            allowMultiple={false}
            onDropAccepted={(files) => files[0] && props.onAttach(files[0])}
            variableHeight
          >
            <DropZone.FileUpload actionTitle={t("card.attachAction")} actionHint={t("card.attachHint")} />
          </DropZone>
        )}
      </BlockStack>
    </Card>
  );
}
