import { Progress, Stack, Text, UnstyledButton, Group } from '@mantine/core';
import { Link } from 'react-router';
import type { Dashboard } from '@shared/contract/metrics';
import { useMoney } from '../../../lib/money';
import { reportLink } from '../drill';
import classes from './Drill.module.css';

type Aging = Dashboard['summary']['arAging'];

const BUCKETS: { key: keyof Aging; label: string; color: string }[] = [
  { key: 'current', label: 'Not yet due', color: 'teal' },
  { key: 'd1to30', label: '1–30 days late', color: 'yellow' },
  { key: 'd31to60', label: '31–60 days late', color: 'orange' },
  { key: 'd61to90', label: '61–90 days late', color: 'red' },
  { key: 'over90', label: 'Over 90 days late', color: 'grape' },
];

/** What customers owe, by how late it is; each bucket opens the AR aging report as of the same day. */
export function ArAging({ aging, asOf }: { aging: Aging; asOf: string }) {
  const money = useMoney();
  const total = BUCKETS.reduce((sum, b) => sum + aging[b.key], 0);
  const to = reportLink('ar-aging', { to: asOf });
  return (
    <Stack gap={6}>
      {BUCKETS.map((b) => (
        <UnstyledButton
          key={b.key}
          component={Link}
          to={to}
          className={classes.target}
          data-testid={`aging-${b.key}`}
          aria-label={`${b.label}: ${money.format(aging[b.key])}. Open the unpaid invoices report`}
        >
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm">{b.label}</Text>
            <Text size="sm" fw={600} c={aging[b.key] === 0 ? 'dimmed' : undefined} className={classes.amount}>
              {money.format(aging[b.key])}
            </Text>
          </Group>
          <Progress value={total === 0 ? 0 : (aging[b.key] / total) * 100} color={b.color} size="sm" mt={4} aria-hidden />
        </UnstyledButton>
      ))}
      <Group justify="space-between" mt={4} pt={6} style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="sm" fw={600}>
          Total owed
        </Text>
        <Text size="sm" fw={700} data-testid="aging-total">
          {money.format(total)}
        </Text>
      </Group>
    </Stack>
  );
}
