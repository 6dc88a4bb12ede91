import { Group, Stack, Text, UnstyledButton } from '@mantine/core';
import type { Dashboard } from '@shared/contract/metrics';
import { useDates } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { MOVEMENT_HELP, MOVEMENT_KINDS, MOVEMENT_LABELS, MOVEMENT_SIGN, type MovementKind } from '../metric-help';
import classes from './Drill.module.css';

interface MrrBridgeProps {
  summary: Dashboard['summary'];
  onMovements: (month: string, kind: MovementKind | null) => void;
}

/** From MRR at the start of the month to MRR now, movement by movement; each line lists its customers. */
export function MrrBridge({ summary, onMovements }: MrrBridgeProps) {
  const money = useMoney();
  const dates = useDates();
  const signed = (kind: MovementKind) => MOVEMENT_SIGN[kind] * summary.movements[kind];
  return (
    <Stack gap={4}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed">
          MRR at the start of {dates.month(summary.month)}
        </Text>
        <Text size="sm" fw={600} data-testid="bridge-start">
          {money.format(summary.mrrAtStart)}
        </Text>
      </Group>
      {MOVEMENT_KINDS.map((kind) => {
        const amount = signed(kind);
        return (
          <UnstyledButton
            key={kind}
            className={classes.target}
            onClick={() => onMovements(summary.month, kind)}
            title={MOVEMENT_HELP[kind]}
            data-testid={`bridge-${kind}`}
            aria-label={`${MOVEMENT_LABELS[kind]}: ${money.format(Math.abs(amount))}. See the customers`}
          >
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm">
                {MOVEMENT_SIGN[kind] > 0 ? '+' : '−'} {MOVEMENT_LABELS[kind]}
              </Text>
              <Text size="sm" fw={600} className={classes.amount} c={amount === 0 ? 'dimmed' : amount > 0 ? 'teal' : 'red'}>
                {amount < 0 ? '−' : amount > 0 ? '+' : ''}
                {money.format(Math.abs(amount))}
              </Text>
            </Group>
          </UnstyledButton>
        );
      })}
      <Group justify="space-between" wrap="nowrap" pt={6} style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="sm" fw={600}>
          MRR on {dates.day(summary.asOf)}
        </Text>
        <Text size="sm" fw={700} data-testid="bridge-end">
          {money.format(summary.mrr)}
        </Text>
      </Group>
    </Stack>
  );
}
