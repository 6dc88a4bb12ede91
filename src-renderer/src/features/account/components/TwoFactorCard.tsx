import { Badge, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useState } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { PlainForm } from '../../../components/PlainForm';
import { SectionCard } from '../../../components/SectionCard';
import { showServerError } from '../../../lib/form-errors';
import { formatDateTime } from '../../../lib/format';
import { refreshTwoFactor, useTwoFactorDisable, useTwoFactorStatus } from '../api/use-two-factor';
import { TwoFactorSetup } from './TwoFactorSetup';

/** Settings → Account: the caller's own two-factor login, set up or turned off here. */
export function TwoFactorCard() {
  const status = useTwoFactorStatus();
  const [modal, setModal] = useState<'setup' | 'disable' | null>(null);
  const on = status.data?.enabled === true;

  return (
    <SectionCard title="Two-factor login">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Stack gap={6} maw={620}>
          <Group gap="xs">
            <Badge color={on ? 'green' : 'gray'} variant="light" data-testid="two-factor-state">
              {on ? 'On' : 'Off'}
            </Badge>
            {status.data?.requiredForEveryone && (
              <Text size="xs" c="dimmed">
                The owner requires it for everyone.
              </Text>
            )}
          </Group>
          <Text size="sm">
            With two-factor on, logging in takes your password and a 6-digit code from an authenticator app on your phone, so a password
            someone has seen is not enough.
          </Text>
          {on && status.data && (
            <Text size="sm" c="dimmed">
              On since {status.data.enabledAt ? formatDateTime(status.data.enabledAt) : '—'}. {status.data.recoveryCodesLeft} of 10 recovery
              codes left.
            </Text>
          )}
        </Stack>
        {status.data &&
          (on ? (
            <Button variant="default" color="red" leftSection={<IconShieldOff size={16} />} onClick={() => setModal('disable')}>
              Turn off
            </Button>
          ) : (
            <Button leftSection={<IconShieldCheck size={16} />} onClick={() => setModal('setup')}>
              Set up two-factor login
            </Button>
          ))}
      </Group>
      {modal === 'setup' && (
        <Modal opened onClose={() => undefined} withCloseButton={false} title="Set up two-factor login" size="lg" centered>
          <TwoFactorSetup
            onCancel={() => setModal(null)}
            onDone={() => {
              setModal(null);
              refreshTwoFactor();
            }}
          />
        </Modal>
      )}
      {modal === 'disable' && <DisableModal onClose={() => setModal(null)} />}
    </SectionCard>
  );
}

function DisableModal({ onClose }: { onClose(): void }) {
  const disable = useTwoFactorDisable();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    if (!code.trim()) return setCodeError('Enter a code from your app, or a recovery code');
    setCodeError(null);
    setError(null);
    disable.mutate({ code: code.trim() }, { onSuccess: onClose, onError: (e) => showServerError(e, 'code', setCodeError, setError) });
  };

  return (
    <Modal opened onClose={onClose} title="Turn off two-factor login" centered>
      <PlainForm onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm">Logging in will take only your password again. Your recovery codes stop working.</Text>
          <TextInput
            label="A current code from your app (or a recovery code)"
            autoComplete="one-time-code"
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            error={codeError}
            data-autofocus
          />
          <FormAlert message={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={disable.isPending}>
              Turn off
            </Button>
          </Group>
        </Stack>
      </PlainForm>
    </Modal>
  );
}
