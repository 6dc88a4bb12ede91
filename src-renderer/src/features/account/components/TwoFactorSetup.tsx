import { Alert, Button, Checkbox, Code, CopyButton, Group, Image, Loader, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconCheck, IconCopy, IconShieldLock } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { fileSlug } from '@shared/domain/file-names';
import { FormAlert } from '../../../components/FormAlert';
import { PlainForm } from '../../../components/PlainForm';
import { useSession } from '../../../lib/auth';
import { CopyOrSaveButtons } from '../../../components/CopyOrSaveButtons';
import { showServerError } from '../../../lib/form-errors';
import { useTwoFactorConfirm, useTwoFactorSetup } from '../api/use-two-factor';

/**
 * Turning two-factor on: the QR code (and the secret, for typing), one code
 * to prove the app has it, then the ten recovery codes, shown this once.
 * `onDone` runs after the person says the codes are kept.
 */
export function TwoFactorSetup({ onDone, onCancel }: { onDone(): void; onCancel?: () => void }) {
  const setup = useTwoFactorSetup();
  const confirm = useTwoFactorConfirm();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { mutate: start } = setup;

  // A new secret each time the set-up opens; nothing is on until a code confirms it.
  useEffect(() => start({}), [start]);

  if (confirm.data) return <RecoveryCodes codes={confirm.data.recoveryCodes} onDone={onDone} />;
  if (setup.isError) {
    return (
      <Stack gap="md">
        <FormAlert message={setup.error.message} />
        <Group justify="flex-end">{onCancel && <Button variant="default" onClick={onCancel}>Close</Button>}</Group>
      </Stack>
    );
  }
  if (!setup.data) return <Loader size="sm" aria-label="Preparing the set-up" />;

  const submit = () => {
    const typed = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(typed)) return setCodeError('Enter the 6 digits the app shows');
    setCodeError(null);
    setError(null);
    confirm.mutate({ code: typed }, { onError: (e) => showServerError(e, 'code', setCodeError, setError) });
  };

  return (
    <PlainForm onSubmit={submit}>
      <Stack gap="md">
        <Text size="sm">
          1. In an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password, Authy…), add an account
          by scanning this code.
        </Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" verticalSpacing="sm">
          <Image
            src={setup.data.qrDataUrl}
            alt="QR code to scan with your authenticator app"
            w={200}
            h={200}
            radius="sm"
            data-testid="two-factor-qr"
            style={{ border: '1px solid var(--mantine-color-default-border)' }}
          />
          <Stack gap={6} justify="center">
            <Text size="sm" c="dimmed">
              Cannot scan? Type this key in the app instead (time-based):
            </Text>
            <Code block fz="sm" fw={700} data-testid="two-factor-secret" style={{ letterSpacing: '0.06em', whiteSpace: 'normal' }}>
              {groupSecret(setup.data.secret)}
            </Code>
            <CopyButton value={setup.data.secret}>
              {({ copied, copy }) => (
                <Button size="xs" variant="default" w="fit-content" onClick={copy} leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}>
                  {copied ? 'Copied' : 'Copy the key'}
                </Button>
              )}
            </CopyButton>
          </Stack>
        </SimpleGrid>
        <TextInput
          label="2. Enter the 6-digit code the app shows"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          maw={340}
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={codeError}
          // Mounted once the secret has come (after the dialog took focus), so autoFocus rather than data-autofocus.
          autoFocus
          styles={{ input: { letterSpacing: '0.2em', fontSize: 'var(--mantine-font-size-lg)' } }}
        />
        <FormAlert message={error} />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={confirm.isPending}>
            Turn on two-factor login
          </Button>
        </Group>
      </Stack>
    </PlainForm>
  );
}

/** "ABCD EFGH …": easier to type from the screen. */
const groupSecret = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

function recoveryCodesFile(codes: string[], businessName: string, email: string): string {
  return [
    `Recurra two-factor recovery codes for ${email} at ${businessName}`,
    '',
    ...codes,
    '',
    'If you lose your phone: at the login screen, choose "Use a recovery code" and type one of these.',
    'Each code works once. Keep this file away from the PC that runs Recurra.',
    '',
  ].join('\r\n');
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  const { business, user } = useSession();
  const [saved, setSaved] = useState(false);
  const text = codes.join('\n');
  return (
    <Stack gap="md">
      <div>
        <Title order={3} fz="h4">
          Two-factor login is on
        </Title>
        <Text c="dimmed" size="sm" mt={4}>
          If you lose your phone, these recovery codes are the way back in. Each works once. They are shown only now.
        </Text>
      </div>
      <Alert variant="light" color="yellow" icon={<IconShieldLock size={18} />} title="Your recovery codes">
        <SimpleGrid cols={2} spacing={4} data-testid="recovery-codes">
          {codes.map((c) => (
            <Code key={c} fz="md" fw={700} ta="center" style={{ letterSpacing: '0.06em' }}>
              {c}
            </Code>
          ))}
        </SimpleGrid>
        <CopyOrSaveButtons copyText={text} fileText={() => recoveryCodesFile(codes, business.name, user.email)} fileName={`${fileSlug(business.name)}-recovery-codes.txt`} />
      </Alert>
      <Checkbox label="I have saved my recovery codes somewhere safe" checked={saved} onChange={(event) => setSaved(event.currentTarget.checked)} />
      <Button disabled={!saved} onClick={onDone}>
        Done
      </Button>
    </Stack>
  );
}
