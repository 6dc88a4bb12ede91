import { Group, Paper, Title, type MantineSpacing } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled card with an action on the right. */
export function Section({ title, action, children, mt }: { title: string; action?: ReactNode; children: ReactNode; mt?: MantineSpacing }) {
  return (
    <Paper withBorder radius="md" p="md" mt={mt}>
      <Group justify="space-between" mb="sm">
        <Title order={4}>{title}</Title>
        {action}
      </Group>
      {children}
    </Paper>
  );
}
