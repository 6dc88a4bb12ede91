import { Text } from '@mantine/core';
import { formatDateTime } from '../../../lib/format';
import { useDates } from '../../../lib/dates';
import { useBillingStatus } from '../api/use-billing-status';

/** "Billing last ran Mar 11, 2026, 9:00 AM (up to Mar 11, 2026) — 1 invoice issued". */
export function BillingStatusLine() {
  const status = useBillingStatus();
  const dates = useDates();
  if (status.isError) {
    return (
      <Text size="sm" c="red">
        Could not read the billing status: {status.error.message}
      </Text>
    );
  }
  const last = status.data?.lastRun;
  if (!status.data) return <Text size="sm">&nbsp;</Text>;
  if (!last) {
    return (
      <Text size="sm" c="dimmed" data-testid="billing-status">
        Billing has not run yet in this business.
      </Text>
    );
  }
  if (last.status === 'failed') {
    return (
      <Text size="sm" c="red" data-testid="billing-status">
        The last billing run ({formatDateTime(last.startedAt)}) failed: {last.error ?? 'unknown error'}
      </Text>
    );
  }
  if (last.status === 'interrupted') {
    return (
      <Text size="sm" c="orange" data-testid="billing-status">
        The last billing run ({formatDateTime(last.startedAt)}) was interrupted; the next run carries on where it stopped.
      </Text>
    );
  }
  return (
    <Text size="sm" c="dimmed" data-testid="billing-status">
      Billing last ran {formatDateTime(last.finishedAt ?? last.startedAt)} (up to <span title={last.asOf}>{dates.day(last.asOf)}</span>) —{' '}
      {last.invoicesIssued} {last.invoicesIssued === 1 ? 'invoice' : 'invoices'} issued
    </Text>
  );
}
