import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { startDownload } from '../../../lib/download';
import { placeServerError } from '../../../lib/form-errors';
import { useCreditNotePdf } from '../api/use-credit-note-pdf';

export function CreditNotePdfButton({ id, number }: { id: string; number: string }) {
  const pdf = useCreditNotePdf();
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      leftSection={<IconDownload size={14} />}
      loading={pdf.isPending}
      aria-label={`PDF of ${number}`}
      onClick={() =>
        pdf.mutate(
          { id },
          {
            onSuccess: ({ path, downloadUrl }) => {
              if (downloadUrl) startDownload(downloadUrl, `${number}.pdf`);
              else if (path) notifications.show({ color: 'green', title: 'PDF saved', message: path });
            },
            onError: (e) => notifications.show({ color: 'red', title: 'Could not make the PDF', message: placeServerError(e, []).message }),
          },
        )
      }
    >
      PDF
    </Button>
  );
}
