import { Button, Checkbox, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { startDownload } from '../../../lib/download';
import { placeServerError } from '../../../lib/form-errors';
import { useExportReport } from '../api/use-export-report';
import { REPORTS } from '../report-kinds';
import { rangeInput, type ReportQuery } from '../report-range';

const rowsText = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;

/** The whole report (every page) as a CSV file; the BOM option is for Excel, which otherwise misreads accents. */
export function ExportReportButton({ query, disabled }: { query: ReportQuery; disabled: boolean }) {
  const exportReport = useExportReport();
  const [bom, setBom] = useState(false);
  const label = REPORTS[query.kind].label;

  const run = () =>
    exportReport.mutate(
      { kind: query.kind, ...rangeInput(query), bom },
      {
        onSuccess: (result) => {
          if (result.downloadUrl) {
            startDownload(result.downloadUrl);
            notifications.show({ color: 'green', title: 'Export ready', message: `${label}: ${rowsText(result.rows)} in the CSV file.` });
          } else if (result.path) {
            notifications.show({ color: 'green', title: 'Export saved', message: `${label}: ${rowsText(result.rows)} saved to ${result.path}`, autoClose: 8000 });
          }
          // Neither: the save dialog was cancelled, nothing to say.
        },
        onError: (e) => notifications.show({ color: 'red', title: 'Could not export the report', message: placeServerError(e, []).message }),
      },
    );

  return (
    <Group gap="md" wrap="nowrap">
      <Checkbox
        label="Excel-friendly (BOM)"
        title="Adds a marker at the start of the file so Microsoft Excel reads accents and currency symbols correctly."
        checked={bom}
        onChange={(e) => setBom(e.currentTarget.checked)}
      />
      <Button leftSection={<IconDownload size={16} />} onClick={run} loading={exportReport.isPending} disabled={disabled}>
        Export CSV
      </Button>
    </Group>
  );
}
