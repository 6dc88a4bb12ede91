import { Table, Text } from '@mantine/core';
import type { BillingRun } from '@shared/domain/billing';
import { formatDateTime } from '../../../lib/format';
import { useDates } from '../../../lib/dates';
import { useBillingStatus } from '../api/use-billing-status';
import { describeSummary } from '../run-progress';

const TRIGGERS: Record<BillingRun['trigger'], string> = { startup: 'At start-up', timer: 'Timer', manual: 'By hand', cli: 'Command line' };

/** The last ten runs: when, up to which day, what they did, or why they failed or stopped. */
export function RecentRuns() {
  const status = useBillingStatus();
  const dates = useDates();
  const runs = status.data?.recentRuns ?? [];
  if (status.data && runs.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No runs yet.
      </Text>
    );
  }
  return (
    <Table verticalSpacing={6} data-testid="recent-runs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Ran</Table.Th>
          <Table.Th>Up to</Table.Th>
          <Table.Th>Result</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {runs.map((run) => (
          <Table.Tr key={run.id}>
            <Table.Td>
              <Text size="sm">{formatDateTime(run.startedAt)}</Text>
              <Text size="xs" c="dimmed">
                {TRIGGERS[run.trigger]}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" title={run.asOf} style={{ whiteSpace: 'nowrap' }}>
                {dates.day(run.asOf)}
              </Text>
            </Table.Td>
            <Table.Td>
              {run.status === 'failed' ? (
                <Text size="sm" c="red">
                  Failed: {run.error ?? 'unknown error'}
                </Text>
              ) : run.status === 'interrupted' ? (
                <Text size="sm" c="orange" title={run.error ?? undefined}>
                  Interrupted after {describeSummary(run)}; the next run carried on
                </Text>
              ) : run.status === 'running' ? (
                <Text size="sm" c="blue">
                  Running…
                </Text>
              ) : (
                <Text size="sm">{describeSummary(run)}</Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
