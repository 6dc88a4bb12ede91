import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PeriodText } from '../../../components/DateText';
import { InvoiceStatusBadge } from '../../../components/InvoiceStatusBadge';
import { QueryError } from '../../../components/QueryError';
import { ScrollTable } from '../../../components/ScrollTable';
import { SectionCard } from '../../../components/SectionCard';
import { DateCell, MoneyCell } from '../../../components/TableCells';
import { useSubscriptionInvoices } from '../api/use-subscription-invoices';

export function SubscriptionInvoices({ subscriptionId }: { subscriptionId: string }) {
  const invoices = useSubscriptionInvoices(subscriptionId);
  return (
    <SectionCard title="Invoices">
      {invoices.isError && <QueryError title="Could not load the invoices" error={invoices.error} />}
      {invoices.data && invoices.data.total === 0 && (
        <Text size="sm" c="dimmed">
          No invoice yet. Invoices are issued by billing runs on the first day of each period.
        </Text>
      )}
      {invoices.data && invoices.data.total > 0 && (
        <ScrollTable
          minWidth={640}
          verticalSpacing={8}
          data-testid="subscription-invoices"
          columns={['Number', 'Issued', 'Period', { label: 'Total', align: 'right' }, 'Status']}
        >
          {invoices.data.rows.map((inv) => (
            <Table.Tr key={inv.id}>
              <Table.Td>
                <Anchor component={Link} to={`/invoices/${inv.id}`} size="sm" fw={600}>
                  {inv.number}
                </Anchor>
              </Table.Td>
              <DateCell date={inv.issueDate} />
              <Table.Td>
                <Text size="sm" c="dimmed">
                  <PeriodText start={inv.periodStart} end={inv.periodEnd} />
                </Text>
              </Table.Td>
              <MoneyCell amount={inv.total} />
              <Table.Td>
                <InvoiceStatusBadge status={inv.status} />
              </Table.Td>
            </Table.Tr>
          ))}
        </ScrollTable>
      )}
      {invoices.data && invoices.data.total > invoices.data.rows.length && (
        <Text size="xs" c="dimmed" mt="xs">
          The {invoices.data.rows.length} most recent of {invoices.data.total}.
        </Text>
      )}
    </SectionCard>
  );
}
