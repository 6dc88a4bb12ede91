import { Badge, Table, Text } from '@mantine/core';
import type { Output } from '@shared/contract';
import { ScrollTable } from '../../../components/ScrollTable';
import { SectionCard } from '../../../components/SectionCard';
import { DateCell, MoneyCell } from '../../../components/TableCells';
import { paymentMethodLabel } from '../../../lib/payment-labels';

type InvoiceDetail = Output<'invoices.get'>;

/** Every attempt and payment on the invoice, then the refunds, each dated. */
export function InvoicePayments({ invoice }: { invoice: InvoiceDetail }) {
  if (invoice.payments.length === 0 && invoice.refunds.length === 0) return null;
  return (
    <SectionCard title="Payments">
      <ScrollTable
        minWidth={600}
        verticalSpacing={8}
        data-testid="invoice-payments"
        columns={['Date', 'Method', 'Reference', { label: 'Amount', align: 'right' }, 'Status']}
      >
        {invoice.payments.map((p) => (
          <Table.Tr key={p.id}>
            <DateCell date={p.paidOn} />
            <Table.Td>
              <Text size="sm">{paymentMethodLabel(p)}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" c="dimmed">
                {p.status === 'failed' ? (p.failureReason ?? 'Declined') : p.reference || '—'}
              </Text>
            </Table.Td>
            <MoneyCell amount={p.amount} struck={p.status === 'failed'} />
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
            <DateCell date={r.refundedOn} />
            <Table.Td>
              <Text size="sm">Refund</Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" c="dimmed">
                {r.reason || '—'}
              </Text>
            </Table.Td>
            <MoneyCell amount={-r.amount} />
            <Table.Td>
              <Badge color="gray" variant="light">
                Refund
              </Badge>
            </Table.Td>
          </Table.Tr>
        ))}
      </ScrollTable>
    </SectionCard>
  );
}
