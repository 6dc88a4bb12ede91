import { Anchor, Group, Table, Text, ThemeIcon } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Dashboard } from '@shared/contract/metrics';
import { DateText } from '../../../components/DateText';
import { useMoney } from '../../../lib/money';
import { OPEN_INVOICES } from '../drill';
import { METRIC_HELP } from '../metric-help';
import { ListPanel } from './ListPanel';

const SHOWN = 8;

/** Invoices whose card was declined and are still open: what they put at risk, and when the card is tried again. */
export function FailedPayments({ failed }: { failed: Dashboard['failedPayments'] }) {
  const money = useMoney();
  const rows = failed.rows.slice(0, SHOWN);
  return (
    <ListPanel
      testId="failed-payments"
      title="Failed payments"
      summary={
        failed.count === 0
          ? 'Card payments that were declined show up here, with when Recurra tries again.'
          : `${failed.count} ${failed.count === 1 ? 'invoice' : 'invoices'} · ${money.format(failed.amountDue)} due`
      }
      aside={
        failed.count > 0 && (
          <Anchor component={Link} to={OPEN_INVOICES} size="sm">
            All open invoices
          </Anchor>
        )
      }
    >
      {failed.count === 0 ? (
        <Group gap="xs" py="sm">
          <ThemeIcon variant="light" color="teal" radius="xl" size="md">
            <IconCircleCheck size={16} />
          </ThemeIcon>
          <Text size="sm">No failed payments. Every card payment went through.</Text>
        </Group>
      ) : (
        <>
          <Group gap={6} mb="xs" wrap="nowrap" title={METRIC_HELP.mrrAtRisk}>
            <Text size="sm">At risk:</Text>
            <Text size="sm" fw={700} c="red" data-testid="mrr-at-risk">
              {money.format(failed.mrrAtRisk)} MRR
            </Text>
            <Text size="xs" c="dimmed" truncate>
              lost if these payments keep failing
            </Text>
          </Group>
          <Table.ScrollContainer minWidth={480} type="native">
            <Table verticalSpacing={6} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Invoice</Table.Th>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th ta="right">Amount due</Table.Th>
                  <Table.Th ta="right">Tries</Table.Th>
                  <Table.Th>Next try</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.invoiceId} data-testid="failed-payment-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/invoices/${r.invoiceId}`} size="sm" fw={600}>
                        {r.number}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/customers/${r.customerId}`} size="sm" c="inherit">
                        {r.customerName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ta="right">{money.format(r.amountDue)}</Table.Td>
                    <Table.Td ta="right">{r.attempts}</Table.Td>
                    <Table.Td>{r.nextRetryOn ? <DateText date={r.nextRetryOn} /> : <Text size="sm" c="dimmed" span>No more tries</Text>}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {failed.count > rows.length && (
            <Text size="xs" c="dimmed" mt="xs">
              and {failed.count - rows.length} more: see{' '}
              <Anchor component={Link} to={OPEN_INVOICES} size="xs">
                all open invoices
              </Anchor>
            </Text>
          )}
        </>
      )}
    </ListPanel>
  );
}
