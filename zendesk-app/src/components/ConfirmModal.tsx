import { Button } from "@zendeskgarden/react-buttons";
import { Dots } from "@zendeskgarden/react-loaders";
import { Modal } from "@zendeskgarden/react-modals";
import type { ReactNode } from "react";

export interface ConfirmModalProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  runningLabel: string;
  isRunning: boolean;
  isDanger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asks before money moves; while the action runs, nothing in it can be clicked again. */
export function ConfirmModal(props: ConfirmModalProps) {
  const { title, children, confirmLabel, runningLabel, isRunning, isDanger, onConfirm, onCancel } = props;
  const close = () => {
    if (!isRunning) onCancel();
  };
  return (
    <Modal onClose={close} isCentered={false} aria-label={title}>
      <Modal.Header tag="h2" isDanger={isDanger}>
        {title}
      </Modal.Header>
      <Modal.Body>{children}</Modal.Body>
      <Modal.Footer>
        <Modal.FooterItem>
          <Button isBasic onClick={close} disabled={isRunning}>
            Cancel
          </Button>
        </Modal.FooterItem>
        <Modal.FooterItem>
          <Button isPrimary isDanger={isDanger} onClick={onConfirm} disabled={isRunning} aria-busy={isRunning}>
            {isRunning ? (
              <>
                <Dots delayMS={0} aria-hidden /> {runningLabel}
              </>
            ) : (
              confirmLabel
            )}
          </Button>
        </Modal.FooterItem>
      </Modal.Footer>
      {isRunning ? null : <Modal.Close aria-label="Close" />}
    </Modal>
  );
}
