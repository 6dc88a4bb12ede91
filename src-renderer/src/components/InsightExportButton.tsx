import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import type { Input } from '@shared/contract';
import { startDownload } from '../lib/download';
import { placeServerError } from '../lib/form-errors';
import { useRpcMutation } from '../lib/query';

const TABLE_NAMES: Record<Input<'insights.export'>['table'], string> = {
  churn: 'Churn risk',
  ltv: 'Lifetime value',
  'best-sellers': 'Best sellers',
  demand: 'Demand',
  anomalies: 'Unusual days',
  forecast: 'Revenue forecast',
};

/** "Export CSV" beside an insight table: the same figures as the table, as a file (insights.export). */
export function InsightExportButton({ input, disabled = false, label = 'Export CSV' }: { input: Input<'insights.export'>; disabled?: boolean; label?: string }) {
  const exportTable = useRpcMutation('insights.export');
  const name = TABLE_NAMES[input.table];
  const rows = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;
  const run = () =>
    exportTable.mutate(input, {
      onSuccess: (result) => {
        if (result.downloadUrl) {
          startDownload(result.downloadUrl);
          notifications.show({ color: 'green', title: 'Export ready', message: `${name}: ${rows(result.rows)} in the CSV file.` });
        } else if (result.path) {
          notifications.show({ color: 'green', title: 'Export saved', message: `${name}: ${rows(result.rows)} saved to ${result.path}`, autoClose: 8000 });
        }
      },
      onError: (e) => notifications.show({ color: 'red', title: `Could not export ${name.toLowerCase()}`, message: placeServerError(e, []).message }),
    });
  return (
    <Button variant="default" size="compact-sm" leftSection={<IconDownload size={14} />} onClick={run} loading={exportTable.isPending} disabled={disabled} aria-label={`Export ${name.toLowerCase()} as CSV`}>
      {label}
    </Button>
  );
}
