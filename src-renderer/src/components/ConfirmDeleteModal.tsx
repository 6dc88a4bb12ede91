import { Button, Group, Modal, Stack } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { placeServerError } from '../lib/form-errors';
import { FormAlert } from './FormAlert';

interface ConfirmDeleteModalProps {
  /** "Delete Basic?" */
  title: string;
  /** The red button: "Delete plan". */
  confirmLabel: string;
  /** Deletes; a rejection (main refusing, say) is shown above the buttons. */
  onConfirm: () => Promise<unknown>;
  pending: boolean;
  onClose: () => void;
  centered?: boolean;
  /** What will be lost, and any gentler alternative. */
  children: ReactNode;
}

/** Asks before deleting something for good; Cancel has the focus. */
export function ConfirmDeleteModal({ title, confirmLabel, onConfirm, pending, onClose, centered, children }: ConfirmDeleteModalProps) {
  const [error, setError] = useState<string | null>(null);
  const confirm = () => void onConfirm().catch((e: unknown) => setError(placeServerError(e, []).message));
  return (
    <Modal opened onClose={onClose} title={title} centered={centered}>
      <Stack gap="sm">
        {children}
        <FormAlert message={error} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={confirm} loading={pending}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
