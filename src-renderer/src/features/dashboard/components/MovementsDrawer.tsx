import { Anchor, Badge, Button, Drawer, EmptyState, Group, Stack, Table, Text } from '@mantine/core';
import { IconFileAnalytics, IconUsers } from '@tabler/icons-react';
import { Link } from 'react-router';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { QueryError } from '../../../components/QueryError';
import { useDates } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useMovements } from '../api/use-movements';
import { monthRange, reportLink } from '../drill';
import { MOVEMENT_HELP, MOVEMENT_LABELS, MOVEMENT_SIGN, MOVEMENT_VERBS, type MovementKind } from '../metric-help';

export const MOVEMENT_COLORS: Record<MovementKind, string> = { new: 'teal', reactivation: 'cyan', expansion: 'indigo', contraction: 'orange', churn: 'red' };

interface MovementsDrawerProps {
  /** The month and kind to show; null: closed. */
  target: { month: string; kind: MovementKind | null } | null;
  asOf: string;
  onClose: () => void;
}

/** The customers behind a month's MRR movements: who started, came back, upgraded, downgraded or left, and by how much. */
export function MovementsDrawer({ target, asOf, onClose }: MovementsDrawerProps) {
  const money = useMoney();
  const dates = useDates();
  const month = target?.month ?? null;
  const kind = target?.kind ?? null;
  const movements = useMovements(month, asOf, kind);
  const monthLabel = month ? dates.month(month) : '';
  const title = kind ? `${MOVEMENT_LABELS[kind]} in ${monthLabel}` : `What moved MRR in ${monthLabel}`;
  const rows = movements.data?.rows ?? [];
  const net = rows.reduce((sum, r) => sum + MOVEMENT_SIGN[r.kind] * r.amount, 0);

  return (
    <Drawer opened={target !== null} onClose={onClose} position="right" size="lg" title={title} data-testid="movements-drawer">
      {month && (
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {kind
              ? MOVEMENT_HELP[kind]
              : 'Each customer whose monthly recurring revenue changed this month: new and returning customers, upgrades, downgrades and cancellations.'}{' '}
            MRR at the start of {monthLabel} compared with {dates.day(monthRange(month, asOf).to)}.
          </Text>
          {movements.isPending && <CenteredLoader label="Loading the customers" />}
          {movements.isError && <QueryError title="Could not load the customers" error={movements.error} onRetry={() => void movements.refetch()} />}
          {movements.data && rows.length === 0 && (
            <EmptyState
              icon={<IconUsers size={24} />}
              title={kind ? `No customers ${MOVEMENT_VERBS[kind]} ${monthLabel}` : `MRR did not move in ${monthLabel}`}
              description={kind === 'churn' ? 'Everyone who was paying kept paying.' : 'Nobody’s monthly amount changed.'}
            />
          )}
          {rows.length > 0 && (
            <Table verticalSpacing="xs" data-testid="movements-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Customer</Table.Th>
                  {!kind && <Table.Th>Movement</Table.Th>}
                  <Table.Th ta="right">MRR before</Table.Th>
                  <Table.Th ta="right">MRR after</Table.Th>
                  <Table.Th ta="right">Change</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => {
                  const signed = MOVEMENT_SIGN[r.kind] * r.amount;
                  return (
                    <Table.Tr key={`${r.customerId}-${r.kind}`} data-testid="movement-row">
                      <Table.Td>
                        <Anchor component={Link} to={`/customers/${r.customerId}`} size="sm" fw={600} onClick={onClose}>
                          {r.customerName}
                        </Anchor>
                      </Table.Td>
                      {!kind && (
                        <Table.Td>
                          <Badge variant="light" color={MOVEMENT_COLORS[r.kind]} size="sm">
                            {MOVEMENT_LABELS[r.kind]}
                          </Badge>
                        </Table.Td>
                      )}
                      <Table.Td ta="right">
                        <Text size="sm">{money.format(r.start)}</Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm">{money.format(r.end)}</Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm" fw={600} c={signed < 0 ? 'red' : 'teal'}>
                          {signed < 0 ? '−' : '+'}
                          {money.format(Math.abs(signed))}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th colSpan={kind ? 3 : 4}>
                    {rows.length} {rows.length === 1 ? 'customer' : 'customers'}
                  </Table.Th>
                  <Table.Th ta="right" data-testid="movements-net">
                    {net < 0 ? '−' : net > 0 ? '+' : ''}
                    {money.format(Math.abs(net))}
                  </Table.Th>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          )}
          <Group>
            <Button
              component={Link}
              to={reportLink('mrr-movements-by-customer', monthRange(month, asOf))}
              variant="default"
              size="xs"
              leftSection={<IconFileAnalytics size={14} />}
              onClick={onClose}
            >
              Open as a report (CSV export)
            </Button>
          </Group>
        </Stack>
      )}
    </Drawer>
  );
}
