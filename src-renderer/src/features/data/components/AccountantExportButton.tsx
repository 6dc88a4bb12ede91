import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileZip } from '@tabler/icons-react';
import { startDownload } from '../../../lib/download';
import { placeServerError } from '../../../lib/form-errors';
import { useExportAccounts } from '../api/use-export-accounts';

/** The accountant's zip from a page header (Reports): Excel-friendly, as accountants mostly open it in Excel. */
export function AccountantExportButton() {
  const exportAccounts = useExportAccounts();
  const run = () =>
    exportAccounts.mutate(
      { bom: true },
      {
        onSuccess: (result) => {
          const files = `${result.files.length} CSV files`;
          if (result.downloadUrl) {
            startDownload(result.downloadUrl);
            notifications.show({ color: 'green', title: 'Export for your accountant ready', message: `A zip of ${files}.` });
          } else if (result.path) {
            notifications.show({ color: 'green', title: 'Export for your accountant saved', message: `A zip of ${files} saved to ${result.path}`, autoClose: 8000 });
          }
        },
        onError: (e) => notifications.show({ color: 'red', title: 'Could not export', message: placeServerError(e, []).message }),
      },
    );
  return (
    <Button variant="default" leftSection={<IconFileZip size={16} />} onClick={run} loading={exportAccounts.isPending} title="A zip of CSV files with everything, over the whole history">
      Everything for my accountant
    </Button>
  );
}
