import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Output } from '@shared/contract';
import { FormAlert } from '../../../components/FormAlert';
import { placeServerError } from '../../../lib/form-errors';
import { useToday } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useVoidInvoice } from '../api/use-void-invoice';

type InvoiceDetail = Output<'invoices.get'>;

export function VoidInvoiceModal({ invoice, onClose }: { invoice: InvoiceDetail; onClose: () => void }) {
  const money = useMoney();
  const today = useToday();
  const voidInvoice = useVoidInvoice();
  const [error, setError] = useState<string | null>(null);
  const confirm = () =>
    voidInvoice.mutate(
      { id: invoice.id, on: today < invoice.issueDate ? invoice.issueDate : today },
      {
        onSuccess: () => {
          notifications.show({ title: 'Invoice voided', message: `${invoice.number} is void; nothing is due on it.` });
          onClose();
        },
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );
  return (
    <Modal opened onClose={onClose} title={`Void ${invoice.number}?`}>
      <Stack gap="sm">
        <Text size="sm">
          The {money.format(invoice.amountDue)} due from {invoice.customerName} is canceled. The invoice keeps its number and stays on record, marked void.
          {invoice.creditApplied > 0 ? ` The ${money.format(invoice.creditApplied)} of credit it used goes back to their credit balance.` : ''} This cannot
          be undone.
        </Text>
        <FormAlert message={error} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose} data-autofocus>
            Keep it
          </Button>
          <Button color="red" onClick={confirm} loading={voidInvoice.isPending}>
            Void invoice
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
