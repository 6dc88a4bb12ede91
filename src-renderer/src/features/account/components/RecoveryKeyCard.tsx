import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { PlainForm } from '../../../components/PlainForm';
import { RecoveryKeyPanel } from '../../../components/RecoveryKeyPanel';
import { SectionCard } from '../../../components/SectionCard';
import { useSession } from '../../../lib/auth';
import { showServerError } from '../../../lib/form-errors';
import { formatDateTime } from '../../../lib/format';
import { useNewRecoveryKey, useRecoveryKeyInfo } from '../api/use-recovery-key';

/** Settings → Users, for owners: the recovery key that resets a forgotten owner password, and a way to replace it. */
export function RecoveryKeyCard() {
  const { business } = useSession();
  const info = useRecoveryKeyInfo();
  const [open, setOpen] = useState(false);

  return (
    <SectionCard title="Recovery key">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Stack gap={4} maw={620}>
          <Text size="sm">
            If an owner forgets their password, the recovery key lets them set a new one from the login screen. Recurra never stores the key
            itself, only a way to check it.
          </Text>
          <Text size="sm" c="dimmed" data-testid="recovery-key-info">
            {info.data
              ? `The current key was made on ${formatDateTime(info.data.createdAt)} by ${info.data.createdBy}.`
              : info.data === null
                ? `${business.name} has no recovery key yet: make one now.`
                : ' '}
          </Text>
        </Stack>
        <Button variant={info.data === null ? 'filled' : 'default'} leftSection={<IconKey size={16} />} onClick={() => setOpen(true)}>
          Make a new recovery key
        </Button>
      </Group>
      {open && <NewRecoveryKeyModal onClose={() => setOpen(false)} />}
    </SectionCard>
  );
}

function NewRecoveryKeyModal({ onClose }: { onClose(): void }) {
  const { business } = useSession();
  const make = useNewRecoveryKey();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = make.data?.recoveryKey;

  const submit = () => {
    if (!password) return setFieldError('Enter your password');
    setFieldError(null);
    setError(null);
    make.mutate(
      { currentPassword: password },
      {
        onError: (e) => showServerError(e, 'currentPassword', setFieldError, setError),
      },
    );
  };

  return (
    <Modal opened onClose={key ? () => undefined : onClose} withCloseButton={!key} title={key ? undefined : 'Make a new recovery key'} size="lg" centered>
      {key ? (
        <RecoveryKeyPanel
          recoveryKey={key}
          businessName={business.name}
          title="Your new recovery key"
          intro="The old key no longer works."
          continueLabel="Done"
          onContinue={onClose}
        />
      ) : (
        <PlainForm onSubmit={submit}>
          <Stack gap="md">
            <Text size="sm">The old key stops working at once. Make a new one if the old key is lost, or someone else may have seen it.</Text>
            <PasswordInput
              label="Your password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={fieldError}
              data-autofocus
            />
            <FormAlert message={error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={make.isPending}>
                Make a new key
              </Button>
            </Group>
          </Stack>
        </PlainForm>
      )}
    </Modal>
  );
}
