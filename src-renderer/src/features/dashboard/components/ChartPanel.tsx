import { Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { InfoTip } from './InfoTip';

interface ChartPanelProps {
  title: string;
  description: string;
  help?: string;
  testId: string;
  children: ReactNode;
}

/** A chart with its title, a line on what it shows, and what a click on it does. */
export function ChartPanel({ title, description, help, testId, children }: ChartPanelProps) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Group gap={4} wrap="nowrap">
        <Title order={3} fz="md">
          {title}
        </Title>
        {help && <InfoTip label={title} text={help} />}
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        {description}
      </Text>
      {children}
    </Paper>
  );
}
