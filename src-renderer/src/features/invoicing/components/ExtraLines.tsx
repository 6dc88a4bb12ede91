import { ActionIcon, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { DateText } from '../../../components/DateText';
import { FormAlert } from '../../../components/FormAlert';
import { ScrollTable } from '../../../components/ScrollTable';
import { useCan } from '../../../lib/auth';
import { useToday } from '../../../lib/dates';
import { placeServerError } from '../../../lib/form-errors';
import { useMoney } from '../../../lib/money';
import { useAddExtra } from '../api/use-add-extra';
import { useRemoveExtra } from '../api/use-remove-extra';
import { emptyLine, readLine, type LineValues } from '../charge-form';
import { ChargeLineFields } from './ChargeLineFields';
import { Section } from './Section';

interface ExtraItem {
  id: string;
  kind: 'proration' | 'extra';
  description: string;
  quantity: number;
  amount: number;
  createdOn: string;
}

/**
 * Extra lines for the subscription's next period invoice (a product or free
 * text): listed with remove while not yet invoiced, and a form to add one.
 */
export function ExtraLines({ subscriptionId, items, nextInvoiceDate, canAdd }: { subscriptionId: string; items: ExtraItem[]; nextInvoiceDate: string | null; canAdd: boolean }) {
  const money = useMoney();
  const today = useToday();
  const staff = useCan('staff');
  const add = useAddExtra();
  const remove = useRemoveExtra();
  const [adding, setAdding] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ line: LineValues }>({
    initialValues: { line: emptyLine() },
    validate: (v) => readLine(v.line, money.currency, 'line').errors,
  });
  const extras = items.filter((i) => i.kind === 'extra');
  if (!extras.length && !(staff && canAdd)) return null;
  const submit = form.onSubmit((values) => {
    const { line } = readLine(values.line, money.currency, 'line');
    if (!line) return;
    setFormError(null);
    add.mutate(
      { subscriptionId, line },
      {
        onSuccess: (item) => {
          notifications.show({ color: 'green', title: 'Line added', message: `${item.description}, ${money.format(item.amount)}, goes on the next invoice.` });
          form.reset();
          setAdding(false);
        },
        onError: (error) => {
          const placed = placeServerError(error, ['line.description', 'line.sku', 'line.quantity', 'line.unitAmount']);
          if (placed.field) form.setFieldError(placed.field, placed.message);
          else setFormError(placed.message);
        },
      },
    );
  });
  return (
    <Section
      title="Extra lines on the next invoice"
      action={
        staff && canAdd && !adding ? (
          <Button size="xs" variant="default" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)}>
            Add a line
          </Button>
        ) : undefined
      }
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {nextInvoiceDate && extras.every((e) => e.createdOn <= nextInvoiceDate) && today <= nextInvoiceDate ? (
            <>
              Billed once, on the invoice of <DateText date={nextInvoiceDate} />, with the subscription.
            </>
          ) : (
            'Billed once, on the first invoice of this subscription dated on or after the day the line was added.'
          )}
        </Text>
        {extras.length > 0 && (
          <ScrollTable minWidth={480} verticalSpacing={6} data-testid="extra-lines" columns={['Line', 'Qty', 'Added', { label: 'Amount', align: 'right' }, '']}>
            {extras.map((item) => (
              <Table.Tr key={item.id}>
                <Table.Td>
                  <Text size="sm">{item.description}</Text>
                </Table.Td>
                <Table.Td>{item.quantity}</Table.Td>
                <Table.Td>
                  <Text size="sm">
                    <DateText date={item.createdOn} />
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{money.format(item.amount)}</Table.Td>
                <Table.Td ta="right">
                  {staff && (
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove ${item.description}`}
                      loading={remove.isPending && remove.variables?.id === item.id}
                      onClick={() =>
                        remove.mutate({ id: item.id }, { onError: (e) => notifications.show({ color: 'red', title: 'Could not remove the line', message: placeServerError(e, []).message }) })
                      }
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </ScrollTable>
        )}
        {adding && (
          <form onSubmit={submit} noValidate>
            <Stack gap="xs">
              <ChargeLineFields index={0} form={form} path="line" line={form.values.line} />
              <FormAlert message={formError} />
              <Group justify="flex-end" gap="xs">
                <Button size="xs" variant="default" onClick={() => setAdding(false)}>
                  Cancel
                </Button>
                <Button size="xs" type="submit" loading={add.isPending}>
                  Add to next invoice
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Section>
  );
}
