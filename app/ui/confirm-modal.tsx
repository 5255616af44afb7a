// A confirmation before a final step (submit, accept, rebuild): says what happens, then one button.
import { Modal, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

export function ConfirmModal(props: {
  open: boolean;
  title: string;
  confirm: string;
  destructive?: boolean;
  loading: boolean;
  onConfirm: () => void;
  onClose: () => void;
  children: string[];
}) {
  const { t } = useTranslation("ui");
  return (
    <Modal
      open={props.open}
      onClose={props.onClose}
      title={props.title}
      primaryAction={{ content: props.confirm, destructive: props.destructive, onAction: props.onConfirm, loading: props.loading }}
      secondaryActions={[{ content: t("modal.cancel"), onAction: props.onClose }]}
    >
      {props.children.map((paragraph) => (
        <Modal.Section key={paragraph}>
          <Text as="p">{paragraph}</Text>
        </Modal.Section>
      ))}
    </Modal>
  );
}
