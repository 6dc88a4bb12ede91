import { Alert, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { InsightExportButton } from '../../../components/InsightExportButton';
import { QueryError } from '../../../components/QueryError';
import { TableCard } from '../../../components/ScrollTable';
import { useDates } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useRpcQuery } from '../../../lib/query';
import { forecastPoints, nextMonthSentence } from '../forecast-format';

const ForecastChart = lazy(() => import('./ForecastChart').then((m) => ({ default: m.ForecastChart })));

const MONTHS = 6;

/** Where revenue is heading: the next 6 months with the 80 % band, and how well this did on the business's own past. */
export function ForecastPanel() {
  const money = useMoney();
  const dates = useDates();
  const forecast = useRpcQuery('insights.forecast', { months: MONTHS });
  if (forecast.isPending) return <CenteredLoader label="Forecasting revenue" />;
  if (!forecast.data) return <QueryError title="Could not forecast the revenue" error={forecast.error} onRetry={() => void forecast.refetch()} />;
  const f = forecast.data;
  const next = nextMonthSentence(f, money.format, dates.month);
  return (
    <Paper withBorder radius="md" p="md" data-testid="forecast">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <div>
          <Title order={3} fz="md">
            Revenue forecast
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {f.basis}
          </Text>
        </div>
        <div style={{ flexShrink: 0 }}>
          <InsightExportButton input={{ table: 'forecast', months: MONTHS }} disabled={!f.ready} />
        </div>
      </Group>
      {!f.ready ? (
        <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Not ready yet" data-testid="not-ready">
          {f.reason ?? 'There is not enough history to forecast yet.'}
        </Alert>
      ) : (
        <Stack gap="sm">
          <Suspense fallback={<CenteredLoader label="Drawing the chart" />}>
            <ForecastChart points={forecastPoints(f)} />
          </Suspense>
          {next && (
            <Text size="sm" data-testid="forecast-next">
              {next}
            </Text>
          )}
          <Text size="sm" c="dimmed" data-testid="forecast-backtest">
            {f.backtest ? `How far to trust it: ${f.backtest.text}` : 'There is not enough history yet to test the forecast on past months.'}
          </Text>
          <TableCard minWidth={520} columns={['Month', { label: 'Expected', align: 'right' }, { label: 'Band: low end', align: 'right' }, { label: 'Band: high end', align: 'right' }]}>
            {f.months.map((m) => (
              <Table.Tr key={m.month} data-testid="forecast-row">
                <Table.Td>{dates.month(m.month)}</Table.Td>
                <Table.Td ta="right" fw={600}>
                  {money.format(m.mrr)}
                </Table.Td>
                <Table.Td ta="right">{money.format(m.low)}</Table.Td>
                <Table.Td ta="right">{money.format(m.high)}</Table.Td>
              </Table.Tr>
            ))}
          </TableCard>
        </Stack>
      )}
    </Paper>
  );
}
