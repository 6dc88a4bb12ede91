import { Button, Group, Menu } from '@mantine/core';
import { IconArrowsExchange, IconChevronDown, IconPlayerPause, IconPlayerPlay, IconRefresh, IconX } from '@tabler/icons-react';
import type { Subscription } from '@shared/domain/billing';

export type SubscriptionDialog = 'change' | 'pause' | 'resume' | 'cancel' | 'reactivate' | 'keep';

/** What staff can do with a subscription in its current state. */
export function SubscriptionActions({ subscription: s, onOpen }: { subscription: Subscription; onOpen: (d: SubscriptionDialog) => void }) {
  if (s.status === 'canceled') {
    return (
      <Button leftSection={<IconRefresh size={16} />} onClick={() => onOpen('reactivate')}>
        Reactivate
      </Button>
    );
  }
  const canPause = s.status === 'active' || s.status === 'past_due';
  return (
    <Group gap="sm">
      {s.cancelAtPeriodEnd && (
        <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => onOpen('keep')}>
          Don’t cancel
        </Button>
      )}
      {s.status !== 'paused' && (
        <Button leftSection={<IconArrowsExchange size={16} />} onClick={() => onOpen('change')}>
          Change plan or quantity
        </Button>
      )}
      {s.status === 'paused' && (
        <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => onOpen('resume')}>
          Resume
        </Button>
      )}
      <Menu position="bottom-end" shadow="md" width={200}>
        <Menu.Target>
          <Button variant="default" rightSection={<IconChevronDown size={14} />}>
            More
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {canPause && (
            <Menu.Item leftSection={<IconPlayerPause size={16} />} onClick={() => onOpen('pause')}>
              Pause
            </Menu.Item>
          )}
          <Menu.Item color="red" leftSection={<IconX size={16} />} onClick={() => onOpen('cancel')}>
            Cancel subscription
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}
