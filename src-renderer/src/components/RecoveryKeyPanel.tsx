import { Alert, Button, Checkbox, Code, Stack, Text, Title } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { fileSlug } from '@shared/domain/file-names';
import { CopyOrSaveButtons } from './CopyOrSaveButtons';

interface RecoveryKeyPanelProps {
  recoveryKey: string;
  businessName: string;
  title: string;
  intro: ReactNode;
  continueLabel: string;
  onContinue(): void;
}

/** The file a person saves: the key and what it is for, in words they will understand in two years. */
export function recoveryKeyFile(recoveryKey: string, businessName: string): string {
  return [
    `Recurra recovery key for ${businessName}`,
    '',
    recoveryKey,
    '',
    'If an owner forgets their password: on the login screen, choose "Use your recovery key",',
    'then enter the owner email, this key and a new password.',
    'If Recurra says the business is "Locked on this PC" (after a reinstall, or on a new PC):',
    'choose "Unlock with recovery key" and enter this key. Your books open as before.',
    'Keep this file away from the PC that runs Recurra (print it, or save it to a USB stick or a password manager).',
    '',
  ].join('\r\n');
}

const fileName = (businessName: string) => `${fileSlug(businessName)}-recovery-key.txt`;

/**
 * Shows a recovery key once, with copy and save, and waits until the person
 * says they have kept it: there is no other way to see it again.
 */
export function RecoveryKeyPanel({ recoveryKey, businessName, title, intro, continueLabel, onContinue }: RecoveryKeyPanelProps) {
  const [saved, setSaved] = useState(false);
  return (
    <Stack gap="lg">
      <div>
        <Title order={2} fz="h3">
          {title}
        </Title>
        <Text c="dimmed" size="sm" mt={4}>
          {intro}
        </Text>
      </div>
      <Alert variant="light" color="yellow" icon={<IconKey size={18} />} title="Recovery key">
        <Code block fz="lg" fw={700} ta="center" data-testid="recovery-key" style={{ letterSpacing: '0.08em' }}>
          {recoveryKey}
        </Code>
        <CopyOrSaveButtons copyText={recoveryKey} fileText={() => recoveryKeyFile(recoveryKey, businessName)} fileName={fileName(businessName)} />
      </Alert>
      <Text size="sm">
        Recurra keeps {businessName} on this PC and cannot email you a reset link. This key is the way back in if the owner password is
        forgotten, or if this PC loses the key to the books (Recurra then says &ldquo;Locked on this PC&rdquo;). Print it or keep it in a
        password manager, away from this PC. It is shown only now.
      </Text>
      <Checkbox label="I have saved my recovery key somewhere safe" checked={saved} onChange={(event) => setSaved(event.currentTarget.checked)} />
      <Button size="md" disabled={!saved} onClick={onContinue}>
        {continueLabel}
      </Button>
    </Stack>
  );
}
