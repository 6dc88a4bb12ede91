import { Group, Paper, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDownRight, IconArrowUpRight, IconMinus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { MetricChange } from '../metric-change';
import { InfoTip } from './InfoTip';
import classes from './Drill.module.css';

export interface MetricCardProps {
  testId: string;
  label: string;
  /** The plain-words explanation behind the info icon. */
  help: string;
  value: string;
  /** A line under the value ("+ 2 in a free trial"). */
  sub?: ReactNode;
  change: MetricChange;
  changeText: string;
  /** Last month's value, on hover of the change. */
  previousText: string;
  /** What the change is against: "vs $60.00 in March". */
  versus: string;
  /** What a click shows: a page (link) or a drawer (callback). */
  to?: string;
  onOpen?: () => void;
  /** Says where the click goes, for screen readers and the tooltip ("See the customers who churned"). */
  openLabel: string;
}

const TONE_COLOR = { good: 'teal', bad: 'red', neutral: 'dimmed' } as const;

/** One number on the dashboard, how it moved since last month, and a way down to what is behind it. */
export function MetricCard(props: MetricCardProps) {
  const { change } = props;
  const Arrow = change.direction === 'up' ? IconArrowUpRight : change.direction === 'down' ? IconArrowDownRight : IconMinus;
  const color = TONE_COLOR[change.tone];
  const body = (
    <>
      <Text className={classes.amount} fz={26} fw={700} lh={1.2} data-testid="metric-value">
        {props.value}
      </Text>
      {props.sub && (
        <Text size="xs" c="dimmed" mt={2}>
          {props.sub}
        </Text>
      )}
    </>
  );
  return (
    <Paper withBorder radius="md" p="md" data-testid={props.testId} style={{ display: 'flex', flexDirection: 'column', gap: 6, minWidth: 0 }}>
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="xs" tt="uppercase" fw={700} c="dimmed" style={{ letterSpacing: '0.04em' }} truncate>
          {props.label}
        </Text>
        <InfoTip label={props.label} text={props.help} />
      </Group>
      {props.to ? (
        <UnstyledButton component={Link} to={props.to} className={classes.target} aria-label={`${props.label}: ${props.value}. ${props.openLabel}`} title={props.openLabel}>
          {body}
        </UnstyledButton>
      ) : (
        <UnstyledButton onClick={props.onOpen} className={classes.target} aria-label={`${props.label}: ${props.value}. ${props.openLabel}`} title={props.openLabel}>
          {body}
        </UnstyledButton>
      )}
      <div title={props.previousText} data-testid="metric-change" data-tone={change.tone} style={{ marginTop: 'auto' }}>
        <Group gap={2} wrap="nowrap">
          {change.direction !== 'none' && (
            <Arrow size={16} color={color === 'dimmed' ? 'var(--mantine-color-dimmed)' : `var(--mantine-color-${color}-text)`} aria-hidden />
          )}
          <Text size="sm" fw={600} c={color} span style={{ whiteSpace: 'nowrap' }}>
            {props.changeText}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" truncate>
          {props.versus}
        </Text>
      </div>
    </Paper>
  );
}
