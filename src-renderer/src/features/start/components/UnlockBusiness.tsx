import { Alert, Anchor, Button, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { RecoveryKeyUnlockModal } from '../../../components/RecoveryKeyUnlockModal';
import { StartCard } from './StartLayout';

/** What a locked business is, in the owner's words: the books are there, this PC lost the key to them. */
export const LOCKED_EXPLANATION =
  "Its books are on this PC, but they are encrypted and this PC's key store no longer has their key (after reinstalling the system, a new user account, or a data folder moved from another PC). The recovery key you saved when the business was created unlocks them.";

/** The recovery-key dialog of the start screens; once unlocked, the business's login opens with a word that it worked. */
export function UnlockBusinessModal({ businessId, businessName, onClose }: { businessId: string; businessName: string; onClose(): void }) {
  const navigate = useNavigate();
  return (
    <RecoveryKeyUnlockModal
      businessId={businessId}
      title={`Unlock ${businessName}`}
      intro={`Type the recovery key of ${businessName}. It puts the key of its books back on this PC, so you can log in as before. Nothing in the books changes.`}
      submitLabel="Unlock"
      onClose={onClose}
      onDone={(result) => {
        onClose();
        // A file listed by its name (copied in as my-books.sqlite) has its id inside: the result says it.
        void navigate(`/start/login/${result.businessId}`, { state: { unlocked: true } });
      }}
    />
  );
}

/** The login screen of a business whose file this PC cannot open. */
export function LockedBusinessCard({ businessId, businessName }: { businessId: string; businessName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <StartCard>
      <Stack gap="lg">
        <Stack gap="sm" align="flex-start">
          <ThemeIcon variant="light" color="yellow" size={44} radius="md">
            <IconLock size={24} />
          </ThemeIcon>
          <Title order={2} fz="h3">
            {businessName} is locked on this PC
          </Title>
          <Text size="sm" c="dimmed">
            {LOCKED_EXPLANATION}
          </Text>
        </Stack>
        <Alert color="gray" variant="light" title="Lost the recovery key?">
          Open {businessName} on a PC where it still opens, or restore it from a backup (with the backup's passphrase).
        </Alert>
        <Button size="md" leftSection={<IconLock size={16} />} onClick={() => setOpen(true)}>
          Unlock with recovery key
        </Button>
        <Anchor component={Link} to="/start/businesses" size="sm" ta="center">
          Choose another business
        </Anchor>
      </Stack>
      {open && <UnlockBusinessModal businessId={businessId} businessName={businessName} onClose={() => setOpen(false)} />}
    </StartCard>
  );
}
