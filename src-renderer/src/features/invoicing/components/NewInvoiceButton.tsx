import { Button, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconFilePlus, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { FormAlert } from '../../../components/FormAlert';
import { MoneyInput } from '../../../components/MoneyInput';
import { useCan } from '../../../lib/auth';
import { useToday } from '../../../lib/dates';
import { applyServerError } from '../../../lib/form-errors';
import { useMoney } from '../../../lib/money';
import { useCreateInvoice } from '../api/use-create-invoice';
import { emptyLine, readInvoiceForm, type InvoiceValues } from '../charge-form';
import { ChargeLineFields } from './ChargeLineFields';
import { ActiveCustomerSelect } from '../../../components/ActiveCustomerSelect';

/** "New invoice": a one-off invoice for any customer (or the one given), staff and owners. */
export function NewInvoiceButton({ customerId, customerName }: { customerId?: string; customerName?: string }) {
  const can = useCan('staff');
  const [open, setOpen] = useState(false);
  if (!can) return null;
  return (
    <>
      <Button leftSection={<IconFilePlus size={16} />} onClick={() => setOpen(true)} variant={customerId ? 'default' : 'filled'}>
        New invoice
      </Button>
      {open && <NewInvoiceModal customerId={customerId} customerName={customerName} onClose={() => setOpen(false)} />}
    </>
  );
}

function NewInvoiceModal({ customerId, customerName, onClose }: { customerId?: string | undefined; customerName?: string | undefined; onClose: () => void }) {
  const money = useMoney();
  const today = useToday();
  const navigate = useNavigate();
  const create = useCreateInvoice();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<InvoiceValues>({
    initialValues: { customerId: customerId ?? null, issueDate: today, discount: '', lines: [emptyLine()] },
    validate: (v) => readInvoiceForm(v, money.currency).errors,
  });
  const submit = form.onSubmit((values) => {
    const { input } = readInvoiceForm(values, money.currency);
    if (!input) return;
    setFormError(null);
    create.mutate(input, {
      onSuccess: (invoice) => {
        notifications.show({ color: 'green', title: `Invoice ${invoice.number} issued`, message: `${money.format(invoice.total)} for ${invoice.customerName}, due ${invoice.dueDate}.` });
        onClose();
        void navigate(`/invoices/${invoice.id}`);
      },
      onError: (error) => setFormError(applyServerError(form, error)),
    });
  });
  return (
    <Modal opened onClose={onClose} title={customerName ? `New invoice for ${customerName}` : 'New invoice'} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            A one-off invoice: numbered now, taxed at the business rate, due by your payment terms and paid by hand.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: customerId ? 1 : 2 }} spacing="sm">
            {!customerId && <ActiveCustomerSelect value={form.values.customerId} onChange={(id) => form.setFieldValue('customerId', id)} error={form.errors.customerId} />}
            <TextInput type="date" label="Issue date" withAsterisk {...form.getInputProps('issueDate')} />
          </SimpleGrid>
          <Stack gap={6}>
            <Group gap="xs" justify="space-between">
              <Text size="sm" fw={500}>
                Lines
              </Text>
              <Text size="xs" c="dimmed">
                Quantity · unit price
              </Text>
            </Group>
            {form.values.lines.map((line, i) => (
              <ChargeLineFields key={i} index={i} form={form} path={`lines.${i}`} line={line} onRemove={form.values.lines.length > 1 ? () => form.removeListItem('lines', i) : undefined} />
            ))}
            {typeof form.errors.lines === 'string' && (
              <Text size="xs" c="red">
                {form.errors.lines}
              </Text>
            )}
            <Group>
              <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem('lines', emptyLine())}>
                Add a line
              </Button>
            </Group>
          </Stack>
          <MoneyInput label="Discount" description="An amount off before tax (optional)" w={200} {...form.getInputProps('discount')} />
          <FormAlert message={formError} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Issue invoice
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
