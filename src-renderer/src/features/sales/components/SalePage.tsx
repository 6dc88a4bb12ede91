import { Anchor, Badge, Button, Grid, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconArrowLeft, IconFileInvoice } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Sale, SaleRefund } from '@shared/contract/sales';
import { ppmToPercentString } from '@shared/domain/money';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { DateText } from '../../../components/DateText';
import { QueryError } from '../../../components/QueryError';
import { EmailReceiptButton } from '../../../components/EmailReceiptButton';
import { ReceiptButtons } from '../../../components/ReceiptButtons';
import { SectionCard } from '../../../components/SectionCard';
import { useCan } from '../../../lib/auth';
import { placeServerError } from '../../../lib/form-errors';
import { useMoney } from '../../../lib/money';
import { useInvoiceSale, useSale } from '../api/use-sale';
import { METHOD_LABELS, refundableQuantity, saleMethodLabel, STATUS_BADGES } from '../sale-labels';
import { RefundSaleModal } from './RefundSaleModal';
import { ProductCell } from '../../../components/ProductCell';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** One sale as recorded: lines, totals, payments and refunds; print, refund (owner) or invoice it. */
export function SalePage() {
  const { id = '' } = useParams();
  const money = useMoney();
  const canRefund = useCan('owner');
  const canInvoice = useCan('staff');
  const detail = useSale(id);
  const invoice = useInvoiceSale();
  const [refunding, setRefunding] = useState(false);

  const back = (
    <Anchor component={Link} to="/sales" size="sm" mb="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
      <IconArrowLeft size={14} /> All sales
    </Anchor>
  );
  if (detail.isPending) return <>{back}<CenteredLoader label="Loading the sale" /></>;
  if (detail.isError) {
    return (
      <>
        {back}
        <QueryError title={detail.error.code === 'not_found' ? 'There is no such sale' : 'Could not load this sale'} error={detail.error} onRetry={() => void detail.refetch()} />
      </>
    );
  }
  const { sale, refunds } = detail.data;
  const status = STATUS_BADGES[sale.status];
  const refundable = sale.lines.some((l) => refundableQuantity(l) > 0);

  const makeInvoice = () =>
    invoice.mutate(
      { id: sale.id },
      {
        onSuccess: ({ invoice: inv }) => notifications.show({ color: 'green', title: 'Invoice made', message: `Invoice ${inv.number} for ${sale.customerName ?? 'the customer'}, marked paid.` }),
        onError: (e) => notifications.show({ color: 'red', title: 'Could not invoice this sale', message: placeServerError(e, []).message }),
      },
    );

  return (
    <>
      {back}
      <Group justify="space-between" align="flex-end" mb="lg" gap="sm">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>Sale {sale.number}</Title>
            <Badge color={status.color} variant="light" size="lg">
              {status.label}
            </Badge>
          </Group>
          <Text c="dimmed" size="sm">
            <DateText date={sale.soldOn} /> · {money.format(sale.total)} · {saleMethodLabel(sale)} ·{' '}
            {sale.customerId ? (
              <Anchor component={Link} to={`/customers/${sale.customerId}`} size="sm">
                {sale.customerName}
              </Anchor>
            ) : (
              'Walk-in customer'
            )}
          </Text>
        </Stack>
        <Group gap="sm">
          <ReceiptButtons saleId={sale.id} number={sale.number} />
          <EmailReceiptButton saleId={sale.id} number={sale.number} hasCustomer={sale.customerId !== null} />
          {sale.invoiceId ? (
            <Button component={Link} to={`/invoices/${sale.invoiceId}`} variant="default" leftSection={<IconFileInvoice size={16} />}>
              Its invoice
            </Button>
          ) : (
            canInvoice &&
            sale.customerId && (
              <Button variant="default" leftSection={<IconFileInvoice size={16} />} loading={invoice.isPending} onClick={makeInvoice}>
                Invoice this sale
              </Button>
            )
          )}
          {canRefund && refundable && (
            <Button color="red" variant="light" leftSection={<IconArrowBackUp size={16} />} onClick={() => setRefunding(true)}>
              Refund
            </Button>
          )}
        </Group>
      </Group>

      <Stack gap="md">
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={720} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="sale-lines">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Item</Table.Th>
                  <Table.Th ta="right">Qty</Table.Th>
                  <Table.Th ta="right">Price</Table.Th>
                  <Table.Th ta="right">Discount</Table.Th>
                  <Table.Th ta="right">Tax</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sale.lines.map((l) => (
                  <Table.Tr key={l.id} data-testid="sale-line">
                    <Table.Td>
                      <ProductCell name={l.name} sku={l.sku}>
                        {l.refundedQuantity > 0 && (
                          <Text size="xs" c="orange.7" data-testid="line-refunded">
                            {l.refundedQuantity === l.quantity ? 'Refunded' : `${l.refundedQuantity} of ${l.quantity} refunded`}
                          </Text>
                        )}
                      </ProductCell>
                    </Table.Td>
                    <Table.Td ta="right">{l.quantity}</Table.Td>
                    <Table.Td ta="right" style={NO_WRAP}>
                      {money.format(l.unitPrice)}
                    </Table.Td>
                    <Table.Td ta="right" style={NO_WRAP}>
                      {l.discount > 0 ? `−${money.format(l.discount)}` : '—'}
                    </Table.Td>
                    <Table.Td ta="right" style={NO_WRAP}>
                      {money.format(l.tax)}
                    </Table.Td>
                    <Table.Td ta="right" style={NO_WRAP} fw={600}>
                      {money.format(l.amount)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <SaleTotals sale={sale} />
        </Paper>

        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <SectionCard title="Payments">
              <Stack gap="xs">
                {sale.payments.map((p, i) => (
                  <Group key={i} justify="space-between" wrap="nowrap" data-testid="sale-payment">
                    <Text size="sm">
                      {METHOD_LABELS[p.method]}
                      {p.tendered !== null && (
                        <Text span size="sm" c="dimmed">
                          {' '}
                          · {money.format(p.tendered)} handed over, {money.format(p.change)} change
                        </Text>
                      )}
                    </Text>
                    <Text size="sm" fw={600}>
                      {money.format(p.amount)}
                    </Text>
                  </Group>
                ))}
              </Stack>
            </SectionCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <SectionCard title="Refunds">
              {refunds.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Nothing refunded.
                </Text>
              ) : (
                <Stack gap="sm">
                  {refunds.map((r) => (
                    <RefundRow key={r.id} refund={r} sale={sale} />
                  ))}
                </Stack>
              )}
            </SectionCard>
          </Grid.Col>
        </Grid>
        {sale.note && (
          <Text size="sm" c="dimmed">
            Note: {sale.note}
          </Text>
        )}
      </Stack>
      {refunding && <RefundSaleModal sale={sale} refunds={refunds} onClose={() => setRefunding(false)} />}
    </>
  );
}

function SaleTotals({ sale }: { sale: Sale }) {
  const money = useMoney();
  const rows: [string, string, string?][] = [
    ['Subtotal', money.format(sale.subtotal)],
    ...(sale.discount > 0 ? [['Discount on the sale', `−${money.format(sale.discount)}`] as [string, string]] : []),
    [sale.taxRatePpm !== null ? `Tax (${ppmToPercentString(sale.taxRatePpm)}%)` : 'Tax', money.format(sale.tax)],
    ['Total', money.format(sale.total), 'sale-total'],
    ...(sale.refunded > 0 ? [['Refunded', `−${money.format(sale.refunded)}`, 'sale-refunded'] as [string, string, string]] : []),
  ];
  return (
    <Stack gap={4} p="md" maw={360} ml="auto">
      {rows.map(([label, value, testId]) => (
        <Group key={label} justify="space-between" wrap="nowrap">
          <Text size="sm" c={label === 'Total' ? undefined : 'dimmed'} fw={label === 'Total' ? 700 : undefined}>
            {label}
          </Text>
          <Text size="sm" fw={label === 'Total' ? 700 : undefined} data-testid={testId}>
            {value}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

function RefundRow({ refund, sale }: { refund: SaleRefund; sale: Sale }) {
  const money = useMoney();
  const names = new Map(sale.lines.map((l) => [l.id, l.name]));
  return (
    <div data-testid="sale-refund">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">
          <DateText date={refund.refundedOn} /> · {METHOD_LABELS[refund.method]}
        </Text>
        <Text size="sm" fw={600} c="red.7">
          −{money.format(refund.amount)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {refund.lines.map((l) => `${l.quantity} × ${names.get(l.saleLineId) ?? l.sku}`).join(', ')}
        {refund.reason ? ` · ${refund.reason}` : ''}
      </Text>
    </div>
  );
}
