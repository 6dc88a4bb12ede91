import { Group, Paper, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface DataCardProps {
  icon: ReactNode;
  title: string;
  description: ReactNode;
  testId: string;
  children: ReactNode;
}

/** One thing to do with the business's data: what it is, why, and its button. */
export function DataCard({ icon, title, description, testId, children }: DataCardProps) {
  return (
    <Paper withBorder radius="md" p="lg" data-testid={testId}>
      <Group align="flex-start" wrap="nowrap" gap="md">
        <ThemeIcon variant="light" size={40} radius="md">
          {icon}
        </ThemeIcon>
        <div style={{ flex: 1, minWidth: 0 }}>
          <Title order={3} fz="md">
            {title}
          </Title>
          <Text size="sm" c="dimmed" mt={2} mb="md" maw={640}>
            {description}
          </Text>
          {children}
        </div>
      </Group>
    </Paper>
  );
}
