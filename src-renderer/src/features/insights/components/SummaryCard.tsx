import { Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { QueryError } from '../../../components/QueryError';
import { useDates } from '../../../lib/dates';
import { useSummary } from '../api/use-summary';

/** The dashboard's summary card: a few plain sentences, each figure one the app can show its working for. */
export function SummaryCard({ asOf }: { asOf: string }) {
  const summary = useSummary(asOf);
  const dates = useDates();
  return (
    <Paper withBorder radius="md" p="md" h="100%" data-testid="insights-summary" aria-busy={summary.isFetching}>
      <Group gap="xs" mb={4} wrap="nowrap">
        <IconSparkles size={18} aria-hidden />
        <Title order={3} fz="md">
          In plain words
        </Title>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        What your own books say as of {dates.day(asOf)}, worked out on this PC; nothing leaves it.
      </Text>
      {summary.isPending && (
        <Group gap="xs" py="sm">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            Reading the books…
          </Text>
        </Group>
      )}
      {summary.isError && <QueryError title="Could not write the summary" error={summary.error} onRetry={() => void summary.refetch()} />}
      {summary.data && (
        <Stack gap={6} style={{ opacity: summary.isPlaceholderData ? 0.6 : 1 }}>
          {summary.data.sentences.map((s) => (
            <Text key={s} size="sm" data-testid="summary-sentence">
              {s}
            </Text>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
