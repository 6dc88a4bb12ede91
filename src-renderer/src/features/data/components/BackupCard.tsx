import { Alert, Button, PasswordInput, Stack } from '@mantine/core';
import { IconCircleCheck, IconDatabaseExport } from '@tabler/icons-react';
import { useState } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { useSession } from '../../../lib/auth';
import { startDownload } from '../../../lib/download';
import { placeServerError } from '../../../lib/form-errors';
import { useCreateBackup } from '../api/use-create-backup';
import { formatBytes } from '../format-bytes';
import { DataCard } from './DataCard';

/** "Back up this business": one file with everything, safe to make while the app runs. Owner only. */
export function BackupCard() {
  const { business } = useSession();
  const backup = useCreateBackup();
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [passphraseError, setPassphraseError] = useState<string | null>(null);

  const run = () => {
    setDone(null);
    setError(null);
    setPassphraseError(null);
    backup.mutate(
      { passphrase },
      {
        onSuccess: ({ path, downloadUrl, bytes }) => {
          setPassphrase('');
          if (downloadUrl) {
            startDownload(downloadUrl);
            setDone(`Backup made (${formatBytes(bytes)}). Your browser is saving it to your downloads.`);
          } else if (path) {
            setDone(`Backup saved to ${path} (${formatBytes(bytes)}).`);
          }
          // Neither: the save dialog was cancelled, nothing to say.
        },
        onError: (e) => {
          const placed = placeServerError(e, ['passphrase']);
          if (placed.field) setPassphraseError(placed.message);
          else setError(placed.message);
        },
      },
    );
  };

  return (
    <DataCard
      testId="backup-card"
      icon={<IconDatabaseExport size={22} />}
      title="Back up this business"
      description={`One file holding everything in ${business.name}: customers, plans, subscriptions, invoices, payments, users and settings. Keep it somewhere safe, such as a USB stick or a cloud folder: you can restore it on this PC or another one.`}
    >
      <Stack gap="sm" align="flex-start">
        <PasswordInput
          label="Backup passphrase"
          description="The backup is encrypted with it: you need it to restore. Recurra does not keep it, so write it down."
          autoComplete="new-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          error={passphraseError}
          w="100%"
          maw={420}
          data-testid="backup-passphrase"
        />
        <Button leftSection={<IconDatabaseExport size={16} />} onClick={run} loading={backup.isPending}>
          Back up now
        </Button>
        {done && (
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} data-testid="backup-done" py="xs">
            {done}
          </Alert>
        )}
        <FormAlert message={error} />
      </Stack>
    </DataCard>
  );
}
