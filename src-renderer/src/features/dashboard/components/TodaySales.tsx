import { Anchor, Group, Paper, Text } from '@mantine/core';
import { IconBuildingStore } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Dashboard } from '@shared/contract/metrics';
import { useMoney } from '../../../lib/money';
import { useSellsAtCounter } from '../api/use-today-sales';

/** "Today's sales": the count and the money taken at the counter on the as-of day, with that day's refunds beside it. */
export function TodaySales({ figures, isToday }: { figures: Dashboard['todaysSales']; isToday: boolean }) {
  const money = useMoney();
  const sells = useSellsAtCounter();
  if (!sells && figures.count === 0 && figures.refunds === 0) return null;
  const r = figures;
  return (
    <Paper withBorder radius="md" p="md" mb="md" data-testid="today-sales">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="md" wrap="nowrap">
          <IconBuildingStore size={28} stroke={1.5} color="var(--mantine-color-indigo-6)" />
          <div>
            <Text size="xs" tt="uppercase" fw={700} c="dimmed" style={{ letterSpacing: '0.04em' }}>
              {isToday ? 'Today’s sales' : 'Sales that day'}
            </Text>
            <Group gap="xs" align="baseline" wrap="nowrap">
              <Text fz={26} fw={700} lh={1.2} data-testid="today-sales-amount">
                {money.format(r.sales)}
              </Text>
              <Text size="sm" c="dimmed" data-testid="today-sales-count">
                {r.count} {r.count === 1 ? 'sale' : 'sales'}
                {r.refunds > 0 ? ` · ${money.format(r.refunds)} refunded, ${money.format(r.net)} net` : ''}
              </Text>
            </Group>
          </div>
        </Group>
        <Group gap="md">
          <Anchor component={Link} to={isToday ? '/sales/day' : `/sales/day/${r.date}`} size="sm">
            End of day report
          </Anchor>
          <Anchor component={Link} to="/sales" size="sm">
            All sales
          </Anchor>
        </Group>
      </Group>
    </Paper>
  );
}
