import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  /** Buttons on the right (hidden from roles that may not use them by the caller). */
  actions?: ReactNode;
}

/**
 * A page's title, its one-line description and its buttons. The buttons stay
 * on one row; in a narrow window they move under the title rather than wrap
 * among themselves.
 */
export function PageHeader({ title, description, actions }: PageHeaderProps) {
  return (
    <Group justify="space-between" align="flex-end" wrap="wrap" gap="lg" mb="lg" style={{ rowGap: 'var(--mantine-spacing-sm)' }}>
      <Stack gap={4} style={{ flex: '1 1 260px', minWidth: 0 }}>
        <Title order={2}>{title}</Title>
        {description && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
      </Stack>
      {actions && (
        <Group gap="sm" wrap="nowrap" ml="auto">
          {actions}
        </Group>
      )}
    </Group>
  );
}
