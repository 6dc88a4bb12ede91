import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconPlayerPlay } from '@tabler/icons-react';
import { useShallow } from 'zustand/react/shallow';
import { useCan } from '../../../lib/auth';
import { useDates, useToday } from '../../../lib/dates';
import { useRunBilling } from '../api/use-run-billing';
import { describeSummary, runView } from '../run-progress';
import { useBillingRun } from '../stores/billing-run-store';
import { BillingStatusLine } from './BillingStatusLine';

/** "Run billing now" with its live progress and result; the last run's status for everyone. */
export function RunBillingPanel() {
  const canRun = useCan('staff');
  const today = useToday();
  const dates = useDates();
  const run = useRunBilling();
  const view = useBillingRun(useShallow((s) => runView(s.live, s.request)));
  const running = view.kind === 'running';

  return (
    <Stack gap="sm">
      <Text size="sm">
        Issues an invoice for every subscription period that has started up to today ({dates.day(today)}), and collects card payments and retries
        that are due. Running it again is safe: nothing is billed twice.
      </Text>
      <BillingStatusLine />
      {canRun && (
        <Group>
          <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => run.mutate({ asOf: today })} disabled={running} data-testid="run-billing-now">
            Run billing now
          </Button>
        </Group>
      )}
      <div aria-live="polite" data-testid="billing-run-result">
        {view.kind === 'running' && (
          <Group gap="xs" wrap="nowrap">
            <Loader size="xs" />
            <Text size="sm">
              {view.ours ? 'Billing' : 'Billing (started automatically)'} up to {dates.day(view.asOf)}…
              {view.processed > 0 ? ` ${view.processed} ${view.processed === 1 ? 'step' : 'steps'} done` : ''}
            </Text>
          </Group>
        )}
        {view.kind === 'done' && (
          <Alert variant="light" color="green" icon={<IconCircleCheck size={18} />} title={`Billed up to ${dates.day(view.result.asOf)}`}>
            {describeSummary(view.result)}.
          </Alert>
        )}
        {view.kind === 'failed' && (
          <Alert variant="light" color="red" icon={<IconAlertCircle size={18} />} title="Billing could not finish" role="alert">
            {view.message}. What was billed before the problem is kept; run billing again once it is fixed.
          </Alert>
        )}
      </div>
    </Stack>
  );
}
