import { Button, Checkbox, Group, Modal, Radio, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconReceiptRefund } from '@tabler/icons-react';
import { useState } from 'react';
import type { Output } from '@shared/contract';
import { FormAlert } from '../../../components/FormAlert';
import { MoneyInput } from '../../../components/MoneyInput';
import { Section } from './Section';
import { useCan } from '../../../lib/auth';
import { useToday } from '../../../lib/dates';
import { applyServerError } from '../../../lib/form-errors';
import { useMoney } from '../../../lib/money';
import { useCreateCreditNote } from '../api/use-create-credit-note';
import { useCreditNotes } from '../api/use-credit-notes';
import { readCreditNoteForm, type CreditNoteValues } from '../credit-note-form';
import { CreditNotesTable } from './CreditNotesTable';

type InvoiceDetail = Output<'invoices.get'>;
const CHARGES = new Set(['recurring', 'setup_fee', 'proration', 'product', 'manual']);

/** The invoice's credit notes, and (owner) a button to issue one. */
export function InvoiceCreditNotes({ invoice }: { invoice: InvoiceDetail }) {
  const notes = useCreditNotes({ invoiceId: invoice.id });
  const canCredit = useCan('owner');
  const [open, setOpen] = useState(false);
  const money = useMoney();
  const credited = (notes.data ?? []).reduce((s, n) => s + n.total, 0);
  const creditable = ['open', 'paid', 'uncollectible'].includes(invoice.status) && credited < invoice.total;
  if (!notes.data?.length && !(canCredit && creditable)) return null;
  return (
    <Section
      title="Credit notes"
      action={
        canCredit && creditable ? (
          <Button size="xs" variant="default" leftSection={<IconReceiptRefund size={14} />} onClick={() => setOpen(true)}>
            Issue credit note
          </Button>
        ) : undefined
      }
    >
      {notes.data?.length ? (
        <CreditNotesTable notes={notes.data} />
      ) : (
        <Text size="sm" c="dimmed">
          None. A credit note gives back part or all of this invoice ({money.format(invoice.total)}): off what it owes, to the customer's credit balance, or as a refund.
        </Text>
      )}
      {open && <CreditNoteModal invoice={invoice} credited={credited} onClose={() => setOpen(false)} />}
    </Section>
  );
}

function CreditNoteModal({ invoice, credited, onClose }: { invoice: InvoiceDetail; credited: number; onClose: () => void }) {
  const money = useMoney();
  const today = useToday();
  const create = useCreateCreditNote();
  const [formError, setFormError] = useState<string | null>(null);
  const due = (invoice.status === 'open' || invoice.status === 'uncollectible') && invoice.amountDue > 0;
  const paid = invoice.amountPaid > 0;
  const form = useForm<CreditNoteValues>({
    initialValues: { what: 'rest', amount: '', quantities: {}, restock: {}, settlement: due ? 'invoice' : paid ? 'refund' : 'credit', issueDate: today < invoice.issueDate ? invoice.issueDate : today, reason: '' },
    validate: (v) => readCreditNoteForm(v, invoice.id, money.currency).errors,
  });
  const submit = form.onSubmit((values) => {
    const { input } = readCreditNoteForm(values, invoice.id, money.currency);
    if (!input) return;
    setFormError(null);
    create.mutate(input, {
      onSuccess: (note) => {
        notifications.show({ color: 'green', title: `Credit note ${note.number} issued`, message: `${money.format(note.total)} on ${note.invoiceNumber}.` });
        onClose();
      },
      onError: (error) => setFormError(applyServerError(form, error)),
    });
  });
  const lines = invoice.lines.map((l, position) => ({ ...l, position })).filter((l) => CHARGES.has(l.kind) && l.amount > 0);
  const productLines = lines.filter((l) => l.kind === 'product');
  return (
    <Modal opened onClose={onClose} title={`Credit note on ${invoice.number}`} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {money.format(invoice.total - credited)} of {money.format(invoice.total)} can still be credited.
          </Text>
          <SegmentedControl
            data={[
              { value: 'rest', label: 'All that is left' },
              { value: 'lines', label: 'Some lines' },
              { value: 'amount', label: 'An amount' },
            ]}
            {...form.getInputProps('what')}
          />
          {form.values.what === 'amount' && <MoneyInput label="Amount, tax included" withAsterisk w={220} data-autofocus {...form.getInputProps('amount')} />}
          {form.values.what === 'lines' && (
            <Table verticalSpacing={6}>
              <Table.Tbody>
                {lines.map((l) => (
                  <Table.Tr key={l.position}>
                    <Table.Td>
                      <Checkbox
                        label={`${l.description} (${l.quantity} × ${money.format(l.unitAmount ?? Math.round(l.amount / l.quantity))})`}
                        checked={Boolean(form.values.quantities[l.position]) && form.values.quantities[l.position] !== '0'}
                        onChange={(e) => form.setFieldValue(`quantities.${l.position}`, e.currentTarget.checked ? String(l.quantity) : '')}
                      />
                    </Table.Td>
                    <Table.Td w={90}>
                      <TextInput size="xs" aria-label={`Quantity of ${l.description}`} {...form.getInputProps(`quantities.${l.position}`)} />
                    </Table.Td>
                    <Table.Td w={130}>
                      {l.kind === 'product' && (
                        <Checkbox
                          size="xs"
                          label="Back in stock"
                          aria-label={`Put ${l.description} back in stock`}
                          checked={form.values.restock[l.position] ?? invoice.kind !== 'sale'}
                          onChange={(e) => form.setFieldValue(`restock.${l.position}`, e.currentTarget.checked)}
                        />
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {form.values.what === 'rest' && productLines.length > 0 && (
            <Checkbox
              label="Put the credited products back in stock (those whose stock is tracked)"
              checked={productLines.every((l) => form.values.restock[l.position] ?? invoice.kind !== 'sale')}
              onChange={(e) => form.setFieldValue('restock', Object.fromEntries(productLines.map((l) => [l.position, e.currentTarget.checked])))}
            />
          )}
          {typeof form.errors.lines === 'string' && (
            <Text size="xs" c="red">
              {form.errors.lines}
            </Text>
          )}
          <Radio.Group label="Settle it" {...form.getInputProps('settlement')}>
            <Stack gap={6} mt={6}>
              <Radio value="invoice" disabled={!due} label={`Off what the invoice owes${due ? ` (${money.format(invoice.amountDue)} due)` : ': nothing is due'}`} />
              <Radio value="credit" label="On the customer's credit balance (used by their next invoices)" />
              <Radio value="refund" disabled={!paid} label={`Refund the payments${paid ? '' : ': nothing was paid'}`} />
            </Stack>
          </Radio.Group>
          <SimpleGrid cols={2} spacing="sm">
            <TextInput type="date" label="Date" withAsterisk {...form.getInputProps('issueDate')} />
          </SimpleGrid>
          <Textarea label="Reason" description="Printed on the credit note" autosize minRows={2} {...form.getInputProps('reason')} />
          <FormAlert message={formError} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Issue credit note
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
