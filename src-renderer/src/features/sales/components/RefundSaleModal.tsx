import { Button, Group, Modal, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { SALE_METHODS, type Sale, type SaleMethod, type SaleRefund } from '@shared/contract/sales';
import { refundLine, SaleMathError } from '@shared/domain/sale-math';
import { FormAlert } from '../../../components/FormAlert';
import { useToday } from '../../../lib/dates';
import { placeServerError } from '../../../lib/form-errors';
import { useMoney } from '../../../lib/money';
import { useRefundSale } from '../api/use-sale';
import { METHOD_LABELS, refundableQuantity } from '../sale-labels';
import { ProductCell } from '../../../components/ProductCell';

/**
 * What each line would give back, by sale-math's refundLine (the core's own
 * rule): what its earlier refunds gave back is read from them, so the preview
 * is the amount the refund will record.
 */
function preview(sale: Sale, refunds: SaleRefund[], quantities: Record<string, number>): { total: number; error: string | null } {
  let total = 0;
  for (const [i, line] of sale.lines.entries()) {
    const quantity = quantities[line.id] ?? 0;
    if (quantity <= 0) continue;
    const earlier = refunds.flatMap((r) => r.lines.filter((l) => l.saleLineId === line.id));
    try {
      const back = refundLine(
        {
          quantity: line.quantity,
          amount: line.amount,
          tax: line.tax,
          refundedQuantity: line.refundedQuantity,
          refundedAmount: earlier.reduce((s, l) => s + (l.amount - l.tax), 0),
          refundedTax: earlier.reduce((s, l) => s + l.tax, 0),
        },
        quantity,
        `items.${i}.quantity`,
      );
      total += back.amount + back.tax;
    } catch (error) {
      if (error instanceof SaleMathError) return { total: 0, error: `${line.name}: ${error.message}` };
      throw error;
    }
  }
  return { total, error: null };
}

/** Gives back the whole sale or some of its lines (a quantity each); stock comes back. The owner's. */
export function RefundSaleModal({ sale, refunds, onClose }: { sale: Sale; refunds: SaleRefund[]; onClose(): void }) {
  const money = useMoney();
  const today = useToday();
  const refund = useRefundSale();
  const open = sale.lines.filter((l) => refundableQuantity(l) > 0);
  const everything = () => Object.fromEntries(open.map((l) => [l.id, refundableQuantity(l)]));
  const [quantities, setQuantities] = useState<Record<string, number>>(everything);
  const [method, setMethod] = useState<SaleMethod>(sale.method === 'split' ? (sale.payments[0]?.method ?? 'cash') : sale.method);
  const [on, setOn] = useState(today < sale.soldOn ? sale.soldOn : today);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { total, error: previewError } = preview(sale, refunds, quantities);
  const chosen = open.filter((l) => (quantities[l.id] ?? 0) > 0);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (chosen.length === 0 || previewError) return;
    setError(null);
    refund.mutate(
      { id: sale.id, items: chosen.map((l) => ({ lineId: l.id, quantity: quantities[l.id]! })), method, on, reason },
      {
        onSuccess: ({ refund: r }) => {
          notifications.show({ color: 'green', title: 'Refund recorded', message: `${money.format(r.amount)} back by ${METHOD_LABELS[r.method].toLowerCase()}; the stock is back on the shelf.` });
          onClose();
        },
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={`Refund sale ${sale.number}`} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Choose how many of each item come back (all of them are filled in). The stock of tracked products goes back up, and the refund counts against revenue on its date.
          </Text>
          <Table verticalSpacing={6} data-testid="refund-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th ta="right">Sold</Table.Th>
                <Table.Th w={130}>Give back</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {open.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    <ProductCell name={l.name} sku={l.sku} note={l.refundedQuantity > 0 && `${l.refundedQuantity} refunded already`} />
                  </Table.Td>
                  <Table.Td ta="right">{l.quantity}</Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={`How many ${l.name} to give back`}
                      min={0}
                      max={refundableQuantity(l)}
                      allowDecimal={false}
                      allowNegative={false}
                      clampBehavior="strict"
                      value={quantities[l.id] ?? 0}
                      onChange={(v) => setQuantities((q) => ({ ...q, [l.id]: typeof v === 'number' ? v : 0 }))}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group gap="xs">
            <Button variant="subtle" size="xs" onClick={() => setQuantities(everything())}>
              All
            </Button>
            <Button variant="subtle" size="xs" color="gray" onClick={() => setQuantities({})}>
              None
            </Button>
          </Group>
          <Group grow align="flex-start">
            <NativeSelect
              label="Money goes back by"
              value={method}
              onChange={(e) => setMethod(e.currentTarget.value as SaleMethod)}
              data={SALE_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
            />
            <TextInput type="date" label="Refunded on" value={on} onChange={(e) => setOn(e.currentTarget.value)} />
          </Group>
          <Textarea label="Reason" description="Optional, kept with the refund" autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <FormAlert message={error ?? previewError} />
          <Group justify="space-between" mt="xs">
            <Text fw={600} data-testid="refund-total">
              {chosen.length === 0 ? 'Nothing chosen' : `Refund ${money.format(total)}`}
            </Text>
            <Group gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button color="red" type="submit" loading={refund.isPending} disabled={chosen.length === 0 || previewError !== null}>
                Refund {chosen.length === 0 ? '' : money.format(total)}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
