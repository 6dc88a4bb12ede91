import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPrinter } from '@tabler/icons-react';
import { forwardRef } from 'react';
import { startDownload } from '../lib/download';
import { placeServerError } from '../lib/form-errors';
import { useRpcMutation } from '../lib/query';

/**
 * A sale's receipt as a PDF to print: on an 80 mm roll (the counter's printer)
 * or on A4. The app's save dialog writes it; the browser host hands it over as a
 * one-time download. Shared by the point of sale and the sales history.
 */
export const ReceiptButtons = forwardRef<HTMLButtonElement, { saleId: string; number: string; size?: 'sm' | 'md' | 'lg' }>(function ReceiptButtons(
  { saleId, number, size = 'sm' },
  ref,
) {
  const receipt = useRpcMutation('sales.receipt');
  const print = (format: '80mm' | 'a4') =>
    receipt.mutate(
      { id: saleId, format },
      {
        onSuccess: ({ path, downloadUrl }) => {
          if (downloadUrl) startDownload(downloadUrl, `${number}${format === 'a4' ? '' : '-80mm'}.pdf`);
          else if (path) notifications.show({ color: 'green', title: 'Receipt saved', message: path });
        },
        onError: (e) => notifications.show({ color: 'red', title: 'Could not make the receipt', message: placeServerError(e, []).message }),
      },
    );
  const pending = receipt.isPending ? receipt.variables?.format : undefined;
  return (
    <Group gap="xs" wrap="nowrap">
      <Button ref={ref} size={size} variant="default" leftSection={<IconPrinter size={16} />} loading={pending === '80mm'} onClick={() => print('80mm')}>
        Print receipt
      </Button>
      <Button size={size} variant="default" loading={pending === 'a4'} onClick={() => print('a4')} aria-label="Print the receipt on A4">
        A4 page
      </Button>
    </Group>
  );
});
