import { EmptyState, Paper } from '@mantine/core';
import type { ReactNode } from 'react';

interface EmptyPanelProps {
  icon: ReactNode;
  title: string;
  description: ReactNode;
  /** A way out, such as "Create your first plan". */
  children?: ReactNode;
}

/** What a list shows when it has nothing to list. */
export function EmptyPanel({ icon, title, description, children }: EmptyPanelProps) {
  return (
    <Paper withBorder radius="md" py={48} px="xl">
      <EmptyState icon={icon} title={title} description={description} maw={520} mx="auto">
        {children}
      </EmptyState>
    </Paper>
  );
}
