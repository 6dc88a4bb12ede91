import { EmptyState, Paper } from '@mantine/core';
import type { ReactNode } from 'react';
import { PageHeader } from './PageHeader';

interface PlannedPageProps {
  title: string;
  description: string;
  icon: ReactNode;
  emptyTitle: string;
  /** One honest sentence on what this page will hold. */
  emptyText: string;
}

/** A page whose feature is not built yet: its header and a friendly empty state, no fake data. */
export function PlannedPage({ title, description, icon, emptyTitle, emptyText }: PlannedPageProps) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <Paper withBorder radius="md" py={64} px="xl">
        <EmptyState
          icon={icon}
          variant="light"
          title={emptyTitle}
          description={emptyText}
          maw={520}
          mx="auto"
        />
      </Paper>
    </>
  );
}
