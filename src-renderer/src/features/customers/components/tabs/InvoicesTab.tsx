import { Anchor, Badge, Table } from '@mantine/core';
import { IconFileInvoice } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useCustomerInvoices } from '../../api/use-customer-invoices';
import { INVOICE_STATUS } from '../../billing-labels';
import { useMoney } from '../../../../lib/money';
import { formatCalendarDate } from '../../customer-format';
import { BillingList } from './BillingList';

export function InvoicesTab({ customerId, name }: { customerId: string; name: string }) {
  const invoices = useCustomerInvoices(customerId);
  const money = useMoney().format;
  return (
    <BillingList
      query={invoices}
      what="invoices"
      icon={<IconFileInvoice size={26} />}
      emptyTitle="No invoices yet"
      emptyText={`Invoices issued to ${name}, by their subscriptions or by hand, will be listed here.`}
      head={
        <Table.Tr>
          <Table.Th>Number</Table.Th>
          <Table.Th>Issued</Table.Th>
          <Table.Th>Due</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th ta="right">Total</Table.Th>
          <Table.Th ta="right">Still due</Table.Th>
        </Table.Tr>
      }
    >
      {invoices.data?.rows.map((invoice) => (
        <Table.Tr key={invoice.id}>
          <Table.Td>
            <Anchor component={Link} to={`/invoices/${invoice.id}`} ff="monospace" size="sm">
              {invoice.number}
            </Anchor>
          </Table.Td>
          <Table.Td>{formatCalendarDate(invoice.issueDate)}</Table.Td>
          <Table.Td>{formatCalendarDate(invoice.dueDate)}</Table.Td>
          <Table.Td>
            <Badge variant="light" color={INVOICE_STATUS[invoice.status].color}>
              {INVOICE_STATUS[invoice.status].label}
            </Badge>
          </Table.Td>
          <Table.Td ta="right">{money(invoice.total)}</Table.Td>
          <Table.Td ta="right" c={invoice.amountDue > 0 ? 'red.7' : 'dimmed'}>
            {money(invoice.amountDue)}
          </Table.Td>
        </Table.Tr>
      ))}
    </BillingList>
  );
}
