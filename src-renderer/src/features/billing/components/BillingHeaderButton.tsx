import { Anchor, Button, Loader, Popover, Text } from '@mantine/core';
import { IconReceipt } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useShallow } from 'zustand/react/shallow';
import { runView } from '../run-progress';
import { useBillingRun } from '../stores/billing-run-store';
import { useBillingProgress } from '../use-billing-progress';
import { RunBillingPanel } from './RunBillingPanel';

/** In the top bar on every page: billing's status, "Run billing now", and its progress. */
export function BillingHeaderButton() {
  useBillingProgress();
  const [opened, setOpened] = useState(false);
  const running = useBillingRun(useShallow((s) => runView(s.live, s.request).kind === 'running'));

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={380} shadow="md" withArrow hideDetached={false}>
      <Popover.Target>
        <Button
          variant="default"
          size="xs"
          leftSection={running ? <Loader size={14} /> : <IconReceipt size={16} />}
          onClick={() => setOpened((o) => !o)}
          aria-label="Billing"
          aria-busy={running}
        >
          <Text span size="xs" fw={600} visibleFrom="xs">
            Billing
          </Text>
        </Button>
      </Popover.Target>
      <Popover.Dropdown p="md" data-testid="billing-popover">
        <Text fw={650} mb="xs">
          Billing
        </Text>
        <RunBillingPanel />
        <Anchor component={Link} to="/billing" size="sm" mt="sm" display="block" onClick={() => setOpened(false)}>
          Past runs and the forecast →
        </Anchor>
      </Popover.Dropdown>
    </Popover>
  );
}
