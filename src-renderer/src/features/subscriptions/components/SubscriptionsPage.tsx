import { Anchor, Button, Chip, EmptyState, Group, Pagination, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCalendarRepeat, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../../../../src-shared/domain/billing';
import { describeCadence } from '../../../../../src-shared/domain/periods';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { DateText } from '../../../components/DateText';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { useCan } from '../../../lib/auth';
import { useMoney } from '../../../lib/money';
import { SUBSCRIPTIONS_PAGE, useSubscriptions } from '../api/use-subscriptions';
import { planWithQuantity, STATUS_LABELS } from '../subscription-format';
import { CreateSubscriptionModal } from './CreateSubscriptionModal';
import { SubscriptionStatusBadge } from './SubscriptionStatusBadge';

/** Every subscription, filtered by status and searched by customer or plan. */
export function SubscriptionsPage() {
  const canEdit = useCan('staff');
  const money = useMoney();
  const navigate = useNavigate();
  const [status, setStatus] = useState<SubscriptionStatus | 'all'>('all');
  const [searchText, setSearchText] = useState('');
  const [search] = useDebouncedValue(searchText, 250);
  const [page, setPage] = useState(0);
  const [creating, setCreating] = useState(false);
  const list = useSubscriptions({ status: status === 'all' ? null : status, search, page });
  const total = list.data?.total ?? 0;
  const narrowed = status !== 'all' || search.trim() !== '';

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
        <Group justify="space-between" gap="sm">
          <Chip.Group
            multiple={false}
            value={status}
            onChange={(value) => {
              setStatus(value as SubscriptionStatus | 'all');
              setPage(0);
            }}
          >
            <Group gap={6} role="group" aria-label="Filter by status">
              <Chip value="all" size="sm" variant="light">
                All
              </Chip>
              {SUBSCRIPTION_STATUSES.map((s) => (
                <Chip key={s} value={s} size="sm" variant="light">
                  {STATUS_LABELS[s]}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          <TextInput
            type="search"
            aria-label="Search subscriptions"
            placeholder="Customer or plan"
            leftSection={<IconSearch size={16} />}
            value={searchText}
            onChange={(e) => {
              setSearchText(e.currentTarget.value);
              setPage(0);
            }}
            w={260}
          />
        </Group>

        {list.isPending && <CenteredLoader label="Loading subscriptions" />}
        {list.isError && <QueryError title="Could not load the subscriptions" error={list.error} onRetry={() => void list.refetch()} />}
        {list.data && total === 0 && (
          <Paper withBorder radius="md" py={48} px="xl">
            <EmptyState
              icon={<IconCalendarRepeat size={26} />}
              title={narrowed ? 'No subscriptions match' : 'No subscriptions yet'}
              description={
                narrowed ? 'Try another status or search.' : 'Subscribe a customer to a plan and Recurra bills them at the start of every period.'
              }
              maw={520}
              mx="auto"
            />
          </Paper>
        )}
        {list.data && total > 0 && (
          <Paper withBorder radius="md" opacity={list.isPlaceholderData ? 0.7 : 1}>
            <Table.ScrollContainer minWidth={800} type="native">
              <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Customer</Table.Th>
                    <Table.Th>Plan</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th ta="right">Amount</Table.Th>
                    <Table.Th>Next invoice</Table.Th>
                    <Table.Th>Started</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.rows.map((s) => (
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
                      <Table.Td>
                        <Text size="sm">
                          <DateText date={s.nextInvoiceDate} />
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          <DateText date={s.startDate} />
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
        {total > SUBSCRIPTIONS_PAGE && (
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {total} subscriptions
            </Text>
            <Pagination total={Math.ceil(total / SUBSCRIPTIONS_PAGE)} value={page + 1} onChange={(p) => setPage(p - 1)} size="sm" />
          </Group>
        )}
      </Stack>
      {creating && <CreateSubscriptionModal onClose={() => setCreating(false)} />}
    </>
  );
}
