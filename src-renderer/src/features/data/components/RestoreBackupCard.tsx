import { Button } from '@mantine/core';
import { IconRestore } from '@tabler/icons-react';
import { useState } from 'react';
import type { BusinessSummary } from '@shared/contract/business';
import { useSession } from '../../../lib/auth';
import { DataCard } from './DataCard';
import { RestoreBackupModal } from './RestoreBackupModal';

/** "Restore from a backup", from Settings: a new business beside this one; opening it means logging out of this one. */
export function RestoreBackupCard({ onOpenRestored }: { onOpenRestored: (business: BusinessSummary) => void }) {
  const { business } = useSession();
  const [opened, setOpened] = useState(false);
  return (
    <DataCard
      testId="restore-card"
      icon={<IconRestore size={22} />}
      title="Restore from a backup"
      description={`Makes a new business on this PC from a backup file, for example after moving to a new computer. ${business.name} is not changed: the restored business appears next to it in the business picker.`}
    >
      <Button variant="default" leftSection={<IconRestore size={16} />} onClick={() => setOpened(true)}>
        Restore from a backup…
      </Button>
      <RestoreBackupModal
        opened={opened}
        onClose={() => setOpened(false)}
        currentBusiness={business.name}
        onOpen={onOpenRestored}
        openLabel={`Log out of ${business.name} and open it`}
      />
    </DataCard>
  );
}
