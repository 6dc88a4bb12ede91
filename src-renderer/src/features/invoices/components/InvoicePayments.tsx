import { Badge, Paper, Table, Text, Title } from '@mantine/core';
import type { Output } from '../../../../../src-shared/contract';
import { DateText } from '../../../components/DateText';
import { useMoney } from '../../../lib/money';
import { METHOD_LABELS } from '../payment-form';

type InvoiceDetail = Output<'invoices.get'>;

/** Every attempt and payment on the invoice, then the refunds, each dated. */
export function InvoicePayments({ invoice }: { invoice: InvoiceDetail }) {
  const money = useMoney();
  if (invoice.payments.length === 0 && invoice.refunds.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={4} mb="sm">
        Payments
      </Title>
      <Table.ScrollContainer minWidth={600} type="native">
        <Table verticalSpacing={8} data-testid="invoice-payments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Method</Table.Th>
              <Table.Th>Reference</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invoice.payments.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Text size="sm">
                    <DateText date={p.paidOn} />
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{METHOD_LABELS[p.method]}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {p.status === 'failed' ? (p.failureReason ?? 'Declined') : p.reference || '—'}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" td={p.status === 'failed' ? 'line-through' : undefined}>
                    {money.format(p.amount)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {p.status === 'failed' ? (
                    <Badge color="red" variant="light">
                      Failed{p.attempt ? ` (attempt ${p.attempt})` : ''}
                    </Badge>
                  ) : (
                    <Badge color="green" variant="light">
                      {p.amountRefunded === 0 ? 'Succeeded' : p.amountRefunded === p.amount ? 'Refunded' : 'Partly refunded'}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
            {invoice.refunds.map((r) => (
              <Table.Tr key={r.id} data-testid="invoice-refund">
                <Table.Td>
                  <Text size="sm">
                    <DateText date={r.refundedOn} />
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">Refund</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {r.reason || '—'}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{money.format(-r.amount)}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge color="gray" variant="light">
                    Refund
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
