import { Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { InfoTip } from './InfoTip';

interface ListPanelProps {
  title: string;
  summary?: ReactNode;
  help?: string;
  /** Top right: a badge or a link to everything. */
  aside?: ReactNode;
  testId: string;
  children: ReactNode;
}

/** A dashboard panel holding a short list or table. */
export function ListPanel({ title, summary, help, aside, testId, children }: ListPanelProps) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" mb="sm" gap="sm">
        <div style={{ minWidth: 0 }}>
          <Group gap={4} wrap="nowrap">
            <Title order={3} fz="md">
              {title}
            </Title>
            {help && <InfoTip label={title} text={help} />}
          </Group>
          {summary && (
            <Text size="xs" c="dimmed">
              {summary}
            </Text>
          )}
        </div>
        {aside}
      </Group>
      {children}
    </Paper>
  );
}
