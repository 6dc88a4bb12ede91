import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { startDownload } from '../../../lib/download';
import { placeServerError } from '../../../lib/form-errors';
import { useInvoicePdf } from '../api/use-invoice-pdf';

/** In the browser host the PDF comes as a one-time download; in the app a save dialog wrote it already. */
export function DownloadPdfButton({ invoiceId, number }: { invoiceId: string; number: string }) {
  const pdf = useInvoicePdf();
  const download = () =>
    pdf.mutate(
      { id: invoiceId },
      {
        onSuccess: ({ path, downloadUrl }) => {
          if (downloadUrl) startDownload(downloadUrl, `${number}.pdf`);
          else if (path) notifications.show({ color: 'green', title: 'PDF saved', message: path });
          // Neither: the save dialog was cancelled, nothing to say.
        },
        onError: (e) => notifications.show({ color: 'red', title: 'Could not make the PDF', message: placeServerError(e, []).message }),
      },
    );
  return (
    <Button variant="default" leftSection={<IconDownload size={16} />} onClick={download} loading={pdf.isPending}>
      PDF
    </Button>
  );
}
