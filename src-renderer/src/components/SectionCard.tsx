import { Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled part of a page, on its own bordered card. */
export function SectionCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={4} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}
