import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { Output } from '@shared/contract';
import { showServerError } from '../lib/form-errors';
import { queryClient, rpcKey, useRpcMutation } from '../lib/query';
import { FormAlert } from './FormAlert';
import { PlainForm } from './PlainForm';

// 24 letters and digits in six groups of four, as shown at sign-up; typed with or without dashes,
// spaces, in any case (main reads O as 0 and I or L as 1, as auth.recover does).
const KEY_CHARS = 24;

/**
 * The business's recovery key typed to open its encrypted books (`business.unlock`): on a PC whose key
 * store lost their key it puts the key back; on a file the key could not unlock yet (encrypted on
 * upgrade, restored, joined) it sets that up. Used by the start screens and by Settings > Users.
 */
export function RecoveryKeyUnlockModal({
  businessId,
  title,
  intro,
  submitLabel,
  onClose,
  onDone,
}: {
  businessId: string;
  title: string;
  intro: ReactNode;
  submitLabel: string;
  onClose(): void;
  onDone(result: Output<'business.unlock'>): void;
}) {
  const unlock = useRpcMutation('business.unlock', {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rpcKey('business.list') });
      void queryClient.invalidateQueries({ queryKey: rpcKey('auth.recoveryKeyInfo') });
    },
  });
  const [key, setKey] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  const submit = () => {
    setFieldError(null);
    setFormError(null);
    const chars = key.replace(/[\s-]/g, '');
    if (!chars) return setFieldError('Enter the recovery key');
    if (chars.length !== KEY_CHARS) {
      return setFieldError(`A recovery key has ${KEY_CHARS} letters and digits (you typed ${chars.length}), in six groups of four like 7K2M-Q9XD-…`);
    }
    unlock.mutate({ businessId, recoveryKey: key }, { onSuccess: onDone, onError: (error) => showServerError(error, 'recoveryKey', setFieldError, setFormError) });
  };

  return (
    <Modal opened onClose={onClose} title={title} size="lg" centered>
      <PlainForm onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm">{intro}</Text>
          <TextInput
            label="Recovery key"
            description="The 24 letters and digits shown when the business was created (or the newest key made since). Dashes and spaces are optional."
            placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"
            autoComplete="off"
            spellCheck={false}
            data-autofocus
            value={key}
            onChange={(event) => setKey(event.currentTarget.value)}
            error={fieldError}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.04em' } }}
          />
          <FormAlert message={formError} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={unlock.isPending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </PlainForm>
    </Modal>
  );
}
