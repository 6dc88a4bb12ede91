import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailForward } from '@tabler/icons-react';
import { placeServerError } from '../../../lib/form-errors';
import { useSendInvoice } from '../api/use-email';

/** On the invoice page: emails the invoice with its PDF to the customer, through the owner's SMTP server. */
export function SendInvoiceButton({ invoiceId, number }: { invoiceId: string; number: string }) {
  const send = useSendInvoice();
  const click = () =>
    send.mutate(
      { id: invoiceId },
      {
        onSuccess: ({ to }) => notifications.show({ color: 'green', title: `Invoice ${number} sent`, message: `Emailed to ${to} with its PDF.` }),
        onError: (e) => notifications.show({ color: 'red', title: `Invoice ${number} was not sent`, message: placeServerError(e, []).message, autoClose: 12_000 }),
      },
    );
  return (
    <Button variant="default" leftSection={<IconMailForward size={16} />} onClick={click} loading={send.isPending}>
      Email
    </Button>
  );
}
