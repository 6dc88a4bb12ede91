import { SimpleGrid, Stack } from '@mantine/core';
import { PageHeader } from '../../../components/PageHeader';
import { SectionCard } from '../../../components/SectionCard';
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
          <SectionCard title="Run billing">
            <RunBillingPanel />
          </SectionCard>
          <SectionCard title="Recent runs">
            <RecentRuns />
          </SectionCard>
        </SimpleGrid>
        <SimulatePanel />
      </Stack>
    </>
  );
}
