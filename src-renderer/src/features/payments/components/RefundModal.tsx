import { Button, Group, Modal, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Payment } from '@shared/domain/billing';
import { FormAlert } from '../../../components/FormAlert';
import { MoneyInput } from '../../../components/MoneyInput';
import { applyServerError } from '../../../lib/form-errors';
import { useToday } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useRefundPayment } from '../api/use-refund-payment';
import { readRefundForm, refundable, type RefundValues } from '../refund-form';

/** A refund of a succeeded payment, in full or in part, dated; it is recorded as its own row (owner only). */
export function RefundModal({ payment, onClose }: { payment: Payment; onClose: () => void }) {
  const money = useMoney();
  const today = useToday();
  const refund = useRefundPayment();
  const left = refundable(payment);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<RefundValues>({
    initialValues: { full: true, amount: money.toInput(left), on: today < payment.paidOn ? payment.paidOn : today, reason: '' },
    validate: (v) => readRefundForm(v, payment, money.currency, money.format).errors,
  });

  const submit = form.onSubmit((values) => {
    const { input } = readRefundForm(values, payment, money.currency, money.format);
    if (!input) return;
    setFormError(null);
    refund.mutate(input, {
      onSuccess: ({ refund: r }) => {
        notifications.show({ color: 'green', title: 'Refund recorded', message: `${money.format(r.amount)} refunded to ${payment.customerName}.` });
        onClose();
      },
      onError: (error) => setFormError(applyServerError(form, error)),
    });
  });

  return (
    <Modal opened onClose={onClose} title={`Refund ${payment.customerName}`}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {[
              `${money.format(payment.amount)} paid${payment.invoiceNumber ? ` on ${payment.invoiceNumber}` : ''}`,
              payment.amountRefunded > 0 ? `, ${money.format(payment.amountRefunded)} already refunded` : '',
              `. Up to ${money.format(left)} can be refunded. The invoice stays paid; the refund counts against revenue on its own date.`,
            ].join('')}
          </Text>
          <SegmentedControl
            aria-label="How much"
            value={form.values.full ? 'full' : 'partial'}
            onChange={(v) => form.setFieldValue('full', v === 'full')}
            data={[
              { value: 'full', label: `Full: ${money.format(left)}` },
              { value: 'partial', label: 'Part of it' },
            ]}
          />
          {!form.values.full && <MoneyInput label="Amount to refund" withAsterisk {...form.getInputProps('amount')} />}
          <TextInput type="date" label="Refunded on" withAsterisk maw={220} {...form.getInputProps('on')} />
          <Textarea label="Reason" description="Optional, kept with the refund" autosize minRows={2} {...form.getInputProps('reason')} />
          <FormAlert message={formError} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button color="red" type="submit" loading={refund.isPending}>
              Refund
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
