import { Stack } from '@mantine/core';
import type { BusinessSummary } from '@shared/contract/business';
import { useCan } from '../../../lib/auth';
import { AccountantExportCard } from './AccountantExportCard';
import { BackupCard } from './BackupCard';
import { RestoreBackupCard } from './RestoreBackupCard';
import { UpdatesCard } from './UpdatesCard';

/** Settings → Data: back up, export for the accountant, restore, updates. Only the export is for everyone who can log in. */
export function DataPanel({ onOpenRestored }: { onOpenRestored: (business: BusinessSummary) => void }) {
  const isOwner = useCan('owner');
  return (
    <Stack gap="md" maw={860}>
      {isOwner && <BackupCard />}
      <AccountantExportCard />
      {isOwner && <RestoreBackupCard onOpenRestored={onOpenRestored} />}
      {isOwner && <UpdatesCard />}
    </Stack>
  );
}
