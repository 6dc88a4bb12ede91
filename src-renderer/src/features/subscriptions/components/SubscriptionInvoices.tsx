import { Anchor, Paper, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { DateText, PeriodText } from '../../../components/DateText';
import { InvoiceStatusBadge } from '../../../components/InvoiceStatusBadge';
import { QueryError } from '../../../components/QueryError';
import { useMoney } from '../../../lib/money';
import { useSubscriptionInvoices } from '../api/use-subscription-invoices';

export function SubscriptionInvoices({ subscriptionId }: { subscriptionId: string }) {
  const money = useMoney();
  const invoices = useSubscriptionInvoices(subscriptionId);
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={4} mb="sm">
        Invoices
      </Title>
      {invoices.isError && <QueryError title="Could not load the invoices" error={invoices.error} />}
      {invoices.data && invoices.data.total === 0 && (
        <Text size="sm" c="dimmed">
          No invoice yet. Invoices are issued by billing runs on the first day of each period.
        </Text>
      )}
      {invoices.data && invoices.data.total > 0 && (
        <Table.ScrollContainer minWidth={640} type="native">
          <Table verticalSpacing={8} data-testid="subscription-invoices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Number</Table.Th>
                <Table.Th>Issued</Table.Th>
                <Table.Th>Period</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invoices.data.rows.map((inv) => (
                <Table.Tr key={inv.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/invoices/${inv.id}`} size="sm" fw={600}>
                      {inv.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      <DateText date={inv.issueDate} />
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      <PeriodText start={inv.periodStart} end={inv.periodEnd} />
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{money.format(inv.total)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <InvoiceStatusBadge status={inv.status} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {invoices.data && invoices.data.total > invoices.data.rows.length && (
        <Text size="xs" c="dimmed" mt="xs">
          The {invoices.data.rows.length} most recent of {invoices.data.total}.
        </Text>
      )}
    </Paper>
  );
}
