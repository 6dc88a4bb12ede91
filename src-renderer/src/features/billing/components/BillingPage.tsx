import { Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import { PageHeader } from '../../../components/PageHeader';
import { RecentRuns } from './RecentRuns';
import { RunBillingPanel } from './RunBillingPanel';
import { SimulatePanel } from './SimulatePanel';

/** Billing runs (now, and the last ones) and what the coming months will bill. */
export function BillingPage() {
  return (
    <>
      <PageHeader title="Billing" description="Recurra bills on its own at start-up and on a timer; run it now, see past runs, and look ahead." />
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Paper withBorder radius="md" p="md">
            <Title order={4} mb="sm">
              Run billing
            </Title>
            <RunBillingPanel />
          </Paper>
          <Paper withBorder radius="md" p="md">
            <Title order={4} mb="sm">
              Recent runs
            </Title>
            <RecentRuns />
          </Paper>
        </SimpleGrid>
        <SimulatePanel />
      </Stack>
    </>
  );
}
