import { Grid } from '@mantine/core';
import { AlertList } from './AlertList';
import { SummaryCard } from './SummaryCard';

/** The dashboard's insights row: the summary in words, and what needs a look (mounted by the router into the dashboard). */
export function SummaryInsights({ asOf }: { asOf: string }) {
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <SummaryCard asOf={asOf} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <AlertList asOf={asOf} />
      </Grid.Col>
    </Grid>
  );
}
