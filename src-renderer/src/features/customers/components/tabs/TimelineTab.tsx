import { Button, Center, Stack, Text, Timeline } from '@mantine/core';
import { CenteredLoader } from '../../../../components/CenteredLoader';
import { QueryError } from '../../../../components/QueryError';
import { useCan } from '../../../../lib/auth';
import { useCustomerTimeline } from '../../api/use-customer-timeline';
import { LogActivityForm } from './LogActivityForm';
import { TimelineEntryItem, timelineBullet } from './TimelineEntryItem';

/** Everything that happened with the customer, newest first: activity logged by hand and what Recurra did. */
export function TimelineTab({ customerId }: { customerId: string }) {
  const canLog = useCan('staff');
  const timeline = useCustomerTimeline(customerId);

  return (
    <Stack gap="lg" maw={760}>
      {canLog && <LogActivityForm customerId={customerId} />}
      {timeline.isPending && <CenteredLoader label="Loading the timeline" />}
      {timeline.isError && <QueryError title="Could not load the timeline" error={timeline.error} onRetry={() => void timeline.refetch()} />}
      {timeline.data && timeline.data.length === 0 && (
        <Text c="dimmed" size="sm">
          Nothing has happened yet.
        </Text>
      )}
      {timeline.data && timeline.data.length > 0 && (
        <Timeline bulletSize={28} lineWidth={2} aria-label="Timeline" data-testid="timeline">
          {timeline.data.map((entry) => (
            <Timeline.Item key={entry.id} bullet={timelineBullet(entry)} lineVariant={entry.kind === 'system' ? 'dashed' : 'solid'}>
              <TimelineEntryItem entry={entry} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {timeline.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => void timeline.fetchNextPage()} loading={timeline.isFetchingNextPage}>
            Show older entries
          </Button>
        </Center>
      )}
    </Stack>
  );
}
