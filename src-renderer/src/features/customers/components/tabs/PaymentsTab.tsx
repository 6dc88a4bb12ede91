import { Anchor, Badge, Table, Text } from '@mantine/core';
import { IconCreditCard } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useCustomerPayments } from '../../api/use-customer-payments';
import { PAYMENT_METHOD } from '../../billing-labels';
import { useMoney } from '../../../../lib/money';
import { formatCalendarDate } from '../../customer-format';
import { BillingList } from './BillingList';

export function PaymentsTab({ customerId, name }: { customerId: string; name: string }) {
  const payments = useCustomerPayments(customerId);
  const money = useMoney().format;
  return (
    <BillingList
      query={payments}
      what="payments"
      icon={<IconCreditCard size={26} />}
      emptyTitle="No payments yet"
      emptyText={`Nothing received from ${name} so far. Card charges, cash and bank transfers will be listed here.`}
      head={
        <Table.Tr>
          <Table.Th>Date</Table.Th>
          <Table.Th>Invoice</Table.Th>
          <Table.Th>Method</Table.Th>
          <Table.Th>Result</Table.Th>
          <Table.Th ta="right">Amount</Table.Th>
        </Table.Tr>
      }
    >
      {payments.data?.rows.map((payment) => (
        <Table.Tr key={payment.id}>
          <Table.Td>{formatCalendarDate(payment.paidOn)}</Table.Td>
          <Table.Td>
            {payment.invoiceId ? (
              <Anchor component={Link} to={`/invoices/${payment.invoiceId}`} ff="monospace" size="sm">
                {payment.invoiceNumber}
              </Anchor>
            ) : (
              '—'
            )}
          </Table.Td>
          <Table.Td>{PAYMENT_METHOD[payment.method]}</Table.Td>
          <Table.Td>
            {/* payments.list gives a refund its own row, with a negative amount. */}
            <Badge variant="light" color={payment.kind === 'refund' ? 'grape' : payment.status === 'succeeded' ? 'green' : 'red'}>
              {payment.kind === 'refund' ? 'Refund' : payment.status === 'succeeded' ? 'Paid' : 'Failed'}
            </Badge>
            {payment.failureReason && (
              <Text size="xs" c="dimmed">
                {payment.failureReason}
              </Text>
            )}
          </Table.Td>
          <Table.Td ta="right">
            {money(payment.amount)}
            {payment.amountRefunded > 0 && (
              <Text size="xs" c="dimmed">
                {money(payment.amountRefunded)} refunded
              </Text>
            )}
          </Table.Td>
        </Table.Tr>
      ))}
    </BillingList>
  );
}
