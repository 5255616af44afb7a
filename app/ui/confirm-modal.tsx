// A confirmation before a final step (submit, accept, rebuild): says what happens, then one button.
import { Modal, Text } from "@shopify/polaris";

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
  return (
    <Modal
      open={props.open}
      onClose={props.onClose}
      title={props.title}
      primaryAction={{ content: props.confirm, destructive: props.destructive, onAction: props.onConfirm, loading: props.loading }}
      secondaryActions={[{ content: "Cancel", onAction: props.onClose }]}
    >
      {props.children.map((paragraph) => (
        <Modal.Section key={paragraph}>
          <Text as="p">{paragraph}</Text>
        </Modal.Section>
      ))}
    </Modal>
  );
}
