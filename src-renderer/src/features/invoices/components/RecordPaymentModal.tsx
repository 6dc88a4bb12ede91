import { Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Output } from '@shared/contract';
import { MANUAL_PAYMENT_METHODS } from '@shared/domain/billing';
import { FormAlert } from '../../../components/FormAlert';
import { MoneyInput } from '../../../components/MoneyInput';
import { applyServerError } from '../../../lib/form-errors';
import { useToday } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { usePayInvoice } from '../api/use-pay-invoice';
import { METHOD_LABELS, readPaymentForm, type PaymentValues } from '../payment-form';

type InvoiceDetail = Output<'invoices.get'>;

/** A payment received by hand: cash, a bank transfer… Partial payments leave the rest due. */
export function RecordPaymentModal({ invoice, onClose }: { invoice: InvoiceDetail; onClose: () => void }) {
  const money = useMoney();
  const today = useToday();
  const pay = usePayInvoice();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<PaymentValues>({
    initialValues: { amount: money.toInput(invoice.amountDue), method: 'bank_transfer', on: today < invoice.issueDate ? invoice.issueDate : today, reference: '' },
    validate: (v) => readPaymentForm(v, invoice, money.currency, money.format).errors,
  });

  const submit = form.onSubmit((values) => {
    const { input } = readPaymentForm(values, invoice, money.currency, money.format);
    if (!input) return;
    setFormError(null);
    pay.mutate(input, {
      onSuccess: ({ invoice: after, payment }) => {
        notifications.show({
          color: 'green',
          title: 'Payment recorded',
          message:
            after.amountDue === 0
              ? `${money.format(payment.amount)} received; ${after.number} is paid.`
              : `${money.format(payment.amount)} received; ${money.format(after.amountDue)} is still due on ${after.number}.`,
        });
        onClose();
      },
      onError: (error) => setFormError(applyServerError(form, error)),
    });
  });

  return (
    <Modal opened onClose={onClose} title={`Record a payment on ${invoice.number}`}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {money.format(invoice.amountDue)} is due from {invoice.customerName}. A smaller amount is a partial payment; the rest stays due.
          </Text>
          <SimpleGrid cols={2} spacing="sm">
            <MoneyInput label="Amount" withAsterisk data-autofocus {...form.getInputProps('amount')} />
            <TextInput type="date" label="Paid on" withAsterisk {...form.getInputProps('on')} />
          </SimpleGrid>
          <Select
            label="Method"
            allowDeselect={false}
            data={MANUAL_PAYMENT_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
            {...form.getInputProps('method')}
          />
          <TextInput label="Reference" description="Optional: a receipt or transfer number" {...form.getInputProps('reference')} />
          <FormAlert message={formError} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pay.isPending}>
              Record payment
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
