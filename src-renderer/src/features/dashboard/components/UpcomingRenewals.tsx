import { Anchor, Button, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Dashboard } from '@shared/contract/metrics';
import { DateText } from '../../../components/DateText';
import { useMoney } from '../../../lib/money';

const SHOWN = 6;

/** Subscriptions that renew (or leave their trial) in the next 30 days, and what they should bring in. */
export function UpcomingRenewals({ renewals }: { renewals: Dashboard['upcomingRenewals'] }) {
  const money = useMoney();
  const [all, setAll] = useState(false);
  const rows = all ? renewals.rows : renewals.rows.slice(0, SHOWN);
  const hidden = renewals.rows.length - rows.length;
  return (
    <>
      {renewals.count === 0 ? (
        <Text size="sm" c="dimmed" py="sm">
          No subscription renews in the next 30 days.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420} type="native">
          <Table verticalSpacing={6} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Customer</Table.Th>
                <Table.Th>Plan</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.subscriptionId} data-testid="renewal-row">
                  <Table.Td>
                    <DateText date={r.date} />
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/${r.customerId}`} size="sm" c="inherit">
                      {r.customerName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/subscriptions/${r.subscriptionId}`} size="sm">
                      {r.planName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ta="right">{money.format(r.amount)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th colSpan={3}>
                  Total, {renewals.count} {renewals.count === 1 ? 'renewal' : 'renewals'}
                </Table.Th>
                <Table.Th ta="right" data-testid="renewals-total">
                  {money.format(renewals.amount)}
                </Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
      {hidden > 0 && (
        <Button variant="subtle" size="compact-sm" mt="xs" onClick={() => setAll(true)}>
          Show {hidden} more
        </Button>
      )}
      {renewals.count > renewals.rows.length && all && (
        <Text size="xs" c="dimmed" mt="xs">
          The {renewals.rows.length} soonest are listed; the total counts all {renewals.count}.
        </Text>
      )}
    </>
  );
}
