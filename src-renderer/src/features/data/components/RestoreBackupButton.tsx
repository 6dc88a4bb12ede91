import { Button } from '@mantine/core';
import { IconRestore } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { RestoreBackupModal } from './RestoreBackupModal';

/** "Restore from a backup" on the start screens (no session needed); `?restore=1` opens it at once. */
export function RestoreBackupButton() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [opened, setOpened] = useState(params.get('restore') === '1');
  return (
    <>
      <Button variant="subtle" leftSection={<IconRestore size={16} />} onClick={() => setOpened(true)}>
        Restore from a backup
      </Button>
      <RestoreBackupModal
        opened={opened}
        onClose={() => setOpened(false)}
        onOpen={(business) => void navigate(`/start/login/${business.id}`)}
        openLabel="Open it"
      />
    </>
  );
}
