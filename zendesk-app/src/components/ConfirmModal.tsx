import { Button } from "@zendeskgarden/react-buttons";
import { Dots } from "@zendeskgarden/react-loaders";
import { Modal } from "@zendeskgarden/react-modals";
import type { ReactNode } from "react";
import { useSpeech } from "../words";

export interface ConfirmModalProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The button that closes without acting (default "Cancel"). */
  dismissLabel?: string;
  runningLabel: string;
  isRunning: boolean;
  isDanger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asks before money moves; while the action runs, nothing in it can be clicked again. */
export function ConfirmModal(props: ConfirmModalProps) {
  const { title, children, confirmLabel, dismissLabel, runningLabel, isRunning, isDanger, onConfirm, onCancel } = props;
  const { w } = useSpeech();
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
            {dismissLabel ?? w.actions.cancel}
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
      {isRunning ? null : <Modal.Close aria-label={w.actions.close} />}
    </Modal>
  );
}
