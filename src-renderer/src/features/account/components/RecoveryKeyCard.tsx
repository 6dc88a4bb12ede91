import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { IconKey, IconLock, IconLockOpen } from '@tabler/icons-react';
import { useState } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { PlainForm } from '../../../components/PlainForm';
import { RecoveryKeyPanel } from '../../../components/RecoveryKeyPanel';
import { RecoveryKeyUnlockModal } from '../../../components/RecoveryKeyUnlockModal';
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
  const [settingUp, setSettingUp] = useState(false);
  const [done, setDone] = useState(false);

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
      {info.data && !info.data.unlocksBooks && (
        <Alert color="yellow" variant="light" icon={<IconLock size={18} />} title="The recovery key cannot unlock the books on this PC yet" mt="md">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {business.name}&apos;s books on this PC are encrypted with a key of their own (they were encrypted when Recurra was updated,
              restored from a backup, or brought from another PC), and the recovery key has not been given that key yet. If this PC&apos;s key
              store were lost, the books could not be opened. Type the current recovery key once to set it up, or make a new key.
            </Text>
            <Button size="xs" variant="light" color="yellow" leftSection={<IconLock size={14} />} onClick={() => setSettingUp(true)}>
              Set up with the recovery key
            </Button>
          </Stack>
        </Alert>
      )}
      {done && (
        <Alert color="green" variant="light" icon={<IconLockOpen size={18} />} mt="md" withCloseButton onClose={() => setDone(false)}>
          Done: the recovery key can now unlock {business.name}&apos;s books on this PC.
        </Alert>
      )}
      {open && <NewRecoveryKeyModal onClose={() => setOpen(false)} />}
      {settingUp && (
        <RecoveryKeyUnlockModal
          businessId={business.id}
          title="Set up the recovery key for this PC"
          intro={`Type ${business.name}'s current recovery key. It will also unlock the encrypted books on this PC, should its key store lose their key. Nothing else changes.`}
          submitLabel="Set up"
          onClose={() => setSettingUp(false)}
          onDone={() => {
            setSettingUp(false);
            setDone(true);
          }}
        />
      )}
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
