import { Alert, Button, FileButton, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconCircleCheck, IconFileUpload, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { BusinessSummary } from '@shared/contract/business';
import { FormAlert } from '../../../components/FormAlert';
import { picksFilesInMain } from '../../../lib/ipc';
import { placeServerError } from '../../../lib/form-errors';
import { useRestoreBackup } from '../api/use-restore-backup';
import { formatBytes } from '../format-bytes';

interface RestoreBackupModalProps {
  opened: boolean;
  onClose: () => void;
  /** The business this window is logged in to, if any: it is left as it is. */
  currentBusiness?: string;
  /** What "Open it" does: log out and go to the new business's login, or just go there. */
  onOpen: (business: BusinessSummary) => void;
  openLabel: string;
}

/**
 * Restore from a backup: the file becomes a new business beside the others
 * (nothing is overwritten). In the app main's open dialog picks the file; in
 * a browser the page uploads it.
 */
export function RestoreBackupModal({ opened, onClose, currentBusiness, onOpen, openLabel }: RestoreBackupModalProps) {
  const restore = useRestoreBackup();
  const inApp = picksFilesInMain();
  const [file, setFile] = useState<File | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string; passphrase?: string }>({});
  const restored = restore.data?.business ?? null;

  const close = () => {
    setFile(null);
    setPassword('');
    setPassphrase('');
    setError(null);
    setFieldErrors({});
    restore.reset();
    onClose();
  };
  const run = () => {
    setError(null);
    setFieldErrors({});
    restore.mutate(
      { file: inApp ? null : file, email: email.trim(), password, passphrase },
      {
        onSuccess: (result) => {
          setPassword('');
          setPassphrase('');
          if (!result.business && !inApp) setError('The file did not reach Recurra. Choose it again.');
        },
        onError: (e) => {
          const placed = placeServerError(e, ['email', 'password', 'passphrase']);
          if (placed.field) setFieldErrors({ [placed.field]: placed.message });
          else setError(placed.message);
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title="Restore from a backup" size="lg">
      {restored ? (
        <Stack gap="md" data-testid="restore-done">
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title={`Restored as “${restored.name}”`}>
            It is now in the list of businesses on this PC. Its people log in with the email and password they had when the backup was
            made.
          </Alert>
          <Text size="sm" c="dimmed">
            Its books are encrypted with a new key of this PC&apos;s. For its recovery key to unlock them too, an owner types that key once in
            Settings &gt; Users after logging in.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Close
            </Button>
            <Button onClick={() => onOpen(restored)} data-autofocus>
              {openLabel}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          <Text size="sm">
            Pick a backup file made with “Back up this business” (it ends in <b>.recurra</b>). Recurra makes a new business from it on this
            PC.
          </Text>
          <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
            Nothing is overwritten: {currentBusiness ? `${currentBusiness} stays as it is, and ` : ''}the restored business appears as a
            separate business in the business picker. If a business of the same name is already here, the copy is called “… (restored)”.
          </Alert>
          {!inApp && (
            <Group gap="sm">
              <FileButton onChange={setFile} accept=".recurra,.sqlite,.db,application/octet-stream">
                {(props) => (
                  <Button {...props} variant="default" leftSection={<IconFileUpload size={16} />}>
                    Choose the backup file…
                  </Button>
                )}
              </FileButton>
              {file && (
                <Text size="sm" c="dimmed" data-testid="restore-file">
                  {file.name} · {formatBytes(file.size)}
                </Text>
              )}
            </Group>
          )}
          {/* Only an owner of the business in the backup may restore it. */}
          <TextInput
            label="Email of an owner in the backup"
            description={currentBusiness ? `Not needed for a backup of ${currentBusiness}: you are its owner.` : undefined}
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={fieldErrors.email}
          />
          <PasswordInput
            label="Their password in the backup"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fieldErrors.password}
          />
          <PasswordInput
            label="Backup passphrase"
            description="The passphrase chosen when the backup was made (a backup from before Recurra encrypted them has none)."
            autoComplete="off"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            error={fieldErrors.passphrase}
            data-testid="restore-passphrase"
          />
          <FormAlert message={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button onClick={run} loading={restore.isPending} disabled={!inApp && !file}>
              {inApp ? 'Choose a file and restore…' : 'Restore'}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
