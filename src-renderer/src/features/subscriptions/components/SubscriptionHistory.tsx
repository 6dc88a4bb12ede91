import { Text, Timeline, Title } from '@mantine/core';
import type { Output } from '@shared/contract';
import { DateText } from '../../../components/DateText';
import { useMoney } from '../../../lib/money';
import { describeEvent, planWithQuantity, STATUS_LABELS } from '../subscription-format';

type History = Output<'subscriptions.get'>['history'];

/** The effective-dated history, oldest first, as the metrics read it. */
export function SubscriptionHistory({ history }: { history: History }) {
  const money = useMoney();
  return (
    <>
      <Title order={4} mb="sm">
        History
      </Title>
      {history.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing has happened yet.
        </Text>
      ) : (
        <Timeline active={history.length - 1} bulletSize={14} lineWidth={2} data-testid="subscription-history">
          {history.map((h, i) => (
            <Timeline.Item key={i} title={<Text size="sm" fw={600}>{describeEvent(h.event)}</Text>}>
              <Text size="xs" c="dimmed">
                <DateText date={h.effectiveDate} /> · {planWithQuantity(h.planName, h.quantity)} · {money.format(h.recurringAmount)} ·{' '}
                {STATUS_LABELS[h.status as keyof typeof STATUS_LABELS] ?? h.status}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </>
  );
}
