import { Group, Paper, SegmentedControl, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { QueryError } from '../../../components/QueryError';
import { useDates, useToday } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useSimulate } from '../api/use-simulate';
import { forecastRows, forecastTotals } from '../forecast';

// The charting library is large: it loads with the first forecast, not with the app.
const ForecastChart = lazy(() => import('./ForecastChart').then((m) => ({ default: m.ForecastChart })));

const HORIZONS = ['1', '3', '6', '12'];

/** "What will I bill next quarter?": the real engine run forward on a copy, month by month. */
export function SimulatePanel() {
  const today = useToday();
  const money = useMoney();
  const dates = useDates();
  const [months, setMonths] = useState('3');
  const sim = useSimulate(today, Number(months));
  const rows = sim.data ? forecastRows(sim.data, dates.month) : [];
  const totals = sim.data ? forecastTotals(sim.data) : null;

  return (
    <Paper withBorder radius="md" p="md" data-testid="simulate-panel">
      <Group justify="space-between" mb="xs" align="flex-start">
        <div>
          <Title order={4}>Simulate forward</Title>
          <Text size="sm" c="dimmed">
            What billing will issue and collect from today ({dates.day(today)}), if nothing changes. Nothing is written.
          </Text>
        </div>
        <SegmentedControl
          aria-label="Months ahead"
          value={months}
          onChange={setMonths}
          data={HORIZONS.map((m) => ({ value: m, label: m === '1' ? '1 month' : `${m} months` }))}
        />
      </Group>
      {sim.isPending && <CenteredLoader label="Simulating" />}
      {sim.isError && <QueryError title="Could not simulate" error={sim.error} onRetry={() => void sim.refetch()} />}
      {sim.data && totals && (
        <div style={{ opacity: sim.isPlaceholderData ? 0.6 : 1 }}>
          <Text size="sm" fw={600} my="sm" data-testid="simulate-summary">
            Next {months === '1' ? 'month' : `${months} months`}: {totals.invoices} {totals.invoices === 1 ? 'invoice' : 'invoices'}, {money.format(totals.amount)}{' '}
            billed, {money.format(totals.collected)} collected
          </Text>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <Suspense fallback={<CenteredLoader label="Drawing the chart" />}>
              <ForecastChart rows={rows} />
            </Suspense>
            <div>
            <Table verticalSpacing={6} data-testid="simulate-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Month</Table.Th>
                  <Table.Th ta="right">Invoices</Table.Th>
                  <Table.Th ta="right">Billed</Table.Th>
                  <Table.Th ta="right">Collected</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sim.data.months.map((m, i) => (
                  <Table.Tr key={m.month}>
                    <Table.Td>
                      <Text size="sm">{rows[i]?.label}</Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">{m.invoices}</Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">{money.format(m.amount)}</Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">{money.format(m.collected)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            </div>
          </SimpleGrid>
        </div>
      )}
    </Paper>
  );
}
