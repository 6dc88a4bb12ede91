import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { isIsoDate } from '@shared/domain/dates';
import { FormAlert } from '../../../components/FormAlert';
import { placeServerError } from '../../../lib/form-errors';
import { useToday } from '../../../lib/dates';

interface DateActionModalProps {
  title: string;
  /** What happens, in plain words. */
  explanation: ReactNode;
  /** The date field's label; none: the action takes no date. */
  dateLabel?: string;
  confirmLabel: string;
  color?: string;
  pending: boolean;
  onConfirm: (on: string, done: { onSuccess: () => void; onError: (error: unknown) => void }) => void;
  onClose: () => void;
}

/** A confirmation with (usually) a date: pause, resume, reactivate, keep. */
export function DateActionModal({ title, explanation, dateLabel, confirmLabel, color, pending, onConfirm, onClose }: DateActionModalProps) {
  const [on, setOn] = useState(useToday());
  const [dateError, setDateError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const confirm = () => {
    if (pending) return; // the answer to the last click is not in yet
    if (!isIsoDate(on)) {
      setDateError('Enter a date');
      return;
    }
    setError(null);
    setDateError(null);
    onConfirm(on, {
      onSuccess: onClose,
      onError: (e) => {
        const placed = placeServerError(e, ['on']);
        if (placed.field && dateLabel) setDateError(placed.message);
        else setError(placed.message);
      },
    });
  };

  return (
    <Modal opened onClose={onClose} title={title}>
      <Stack gap="sm">
        <Text size="sm">{explanation}</Text>
        {dateLabel && (
          <TextInput type="date" label={dateLabel} value={on} onChange={(e) => {
              // A refusal was about the date typed before: it goes as soon as the date changes.
              setOn(e.currentTarget.value);
              setDateError(null);
            }} error={dateError} maw={220} data-autofocus />
        )}
        <FormAlert message={error} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={color} onClick={confirm} loading={pending}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
