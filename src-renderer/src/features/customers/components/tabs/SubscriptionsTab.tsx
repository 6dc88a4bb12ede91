import { Anchor, Badge, Table, Text } from '@mantine/core';
import { IconCalendarRepeat } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useCustomerSubscriptions } from '../../api/use-customer-subscriptions';
import { perInterval, SUBSCRIPTION_STATUS } from '../../billing-labels';
import { useMoney } from '../../../../lib/money';
import { formatCalendarDate } from '../../customer-format';
import { BillingList } from './BillingList';

export function SubscriptionsTab({ customerId, name }: { customerId: string; name: string }) {
  const subscriptions = useCustomerSubscriptions(customerId);
  const money = useMoney().format;
  return (
    <BillingList
      query={subscriptions}
      what="subscriptions"
      icon={<IconCalendarRepeat size={26} />}
      emptyTitle="No subscriptions"
      emptyText={`${name} is not subscribed to any plan. Start a subscription from the Subscriptions page.`}
      head={
        <Table.Tr>
          <Table.Th>Plan</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th ta="right">Price</Table.Th>
          <Table.Th>Started</Table.Th>
          <Table.Th>Next invoice</Table.Th>
        </Table.Tr>
      }
    >
      {subscriptions.data?.rows.map((s) => (
        <Table.Tr key={s.id}>
          <Table.Td>
            <Anchor component={Link} to={`/subscriptions/${s.id}`} size="sm" fw={600}>
              {s.planName}
              {s.quantity > 1 && ` × ${s.quantity}`}
            </Anchor>
            {s.cancelAtPeriodEnd && s.currentPeriodEnd && (
              <Text size="xs" c="dimmed">
                Ends {formatCalendarDate(s.currentPeriodEnd)}
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            <Badge variant="light" color={SUBSCRIPTION_STATUS[s.status].color}>
              {SUBSCRIPTION_STATUS[s.status].label}
            </Badge>
          </Table.Td>
          <Table.Td ta="right">
            <Text size="sm">{money(s.recurringAmount)}</Text>
            <Text size="xs" c="dimmed">
              {perInterval(s.interval, s.intervalCount)}
            </Text>
          </Table.Td>
          <Table.Td>{formatCalendarDate(s.startDate)}</Table.Td>
          <Table.Td>{s.nextInvoiceDate ? formatCalendarDate(s.nextInvoiceDate) : '—'}</Table.Td>
        </Table.Tr>
      ))}
    </BillingList>
  );
}
