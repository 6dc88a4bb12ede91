import { Anchor, Button, Stack, Table, Text } from '@mantine/core';
import { IconCalendarRepeat, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '@shared/domain/billing';
import { describeCadence } from '@shared/domain/periods';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { ListStates } from '../../../components/ListStates';
import { PageHeader } from '../../../components/PageHeader';
import { Pager } from '../../../components/Pager';
import { TableCard } from '../../../components/ScrollTable';
import { StatusSearchBar } from '../../../components/StatusSearchBar';
import { DateCell } from '../../../components/TableCells';
import { useCan } from '../../../lib/auth';
import { useMoney } from '../../../lib/money';
import { useStatusSearch } from '../../../lib/status-search';
import { SUBSCRIPTIONS_PAGE, useSubscriptions } from '../api/use-subscriptions';
import { planWithQuantity, STATUS_LABELS } from '../subscription-format';
import { CreateSubscriptionModal } from './CreateSubscriptionModal';
import { SubscriptionStatusBadge } from './SubscriptionStatusBadge';

/** Every subscription, filtered by status and searched by customer or plan. */
export function SubscriptionsPage() {
  const canEdit = useCan('staff');
  const money = useMoney();
  const navigate = useNavigate();
  const view = useStatusSearch<SubscriptionStatus>();
  const [creating, setCreating] = useState(false);
  const list = useSubscriptions(view.filter);
  const total = list.data?.total ?? 0;

  return (
    <>
      <PageHeader
        title="Subscriptions"
        description="Who is subscribed to what, and when they are billed next."
        actions={
          canEdit && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              New subscription
            </Button>
          )
        }
      />
      <Stack gap="sm">
        <StatusSearchBar view={view} statuses={SUBSCRIPTION_STATUSES} labels={STATUS_LABELS} searchLabel="Search subscriptions" searchPlaceholder="Customer or plan" />

        <ListStates
          query={list}
          what="subscriptions"
          isEmpty={total === 0}
          empty={
            <EmptyPanel
              icon={<IconCalendarRepeat size={26} />}
              title={view.narrowed ? 'No subscriptions match' : 'No subscriptions yet'}
              description={view.narrowed ? 'Try another status or search.' : 'Subscribe a customer to a plan and Recurra bills them at the start of every period.'}
            />
          }
        >
          <TableCard
            minWidth={800}
            highlightOnHover
            stale={list.isPlaceholderData}
            columns={['Customer', 'Plan', 'Status', { label: 'Amount', align: 'right' }, 'Next invoice', 'Started']}
          >
            {list.data?.rows.map((s) => (
              <Table.Tr key={s.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/subscriptions/${s.id}`)} data-testid="subscription-row">
                <Table.Td>
                  <Anchor component={Link} to={`/subscriptions/${s.id}`} size="sm" fw={600} onClick={(e) => e.stopPropagation()}>
                    {s.customerName}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{planWithQuantity(s.planName, s.quantity)}</Text>
                </Table.Td>
                <Table.Td>
                  <SubscriptionStatusBadge status={s.status} />
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{money.format(s.recurringAmount)}</Text>
                  <Text size="xs" c="dimmed">
                    {describeCadence(s)}
                  </Text>
                </Table.Td>
                <DateCell date={s.nextInvoiceDate} />
                <DateCell date={s.startDate} />
              </Table.Tr>
            ))}
          </TableCard>
        </ListStates>
        <Pager total={total} pageSize={SUBSCRIPTIONS_PAGE} page={view.page} onPageChange={view.setPage} what="subscriptions" />
      </Stack>
      {creating && <CreateSubscriptionModal onClose={() => setCreating(false)} />}
    </>
  );
}
