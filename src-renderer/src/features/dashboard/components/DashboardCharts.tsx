import { AreaChart, BarChart, CompositeChart } from '@mantine/charts';
import { ColorSwatch, Group, SimpleGrid, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { formatCompactMoney, useMoney } from '../../../lib/money';
import { growthPoints, monthAt, movementBars, MOVEMENT_SERIES, mrrPoints, revenueBars, type SeriesMonth } from '../chart-data';
import { monthRange, reportLink } from '../drill';
import { METRIC_HELP, MOVEMENT_HELP, MOVEMENT_KINDS, MOVEMENT_LABELS, type MovementKind } from '../metric-help';
import { ChartPanel } from './ChartPanel';

interface DashboardChartsProps {
  series: SeriesMonth[];
  asOf: string;
  onMovements: (month: string, kind: MovementKind | null) => void;
}

const CHART_HEIGHT = 220;
const movementsHelp = MOVEMENT_KINDS.map((k) => `${MOVEMENT_LABELS[k]}: ${MOVEMENT_HELP[k]}`).join(' ');

/** The twelve months in pictures; loaded on demand, as the charting library is large. Every bar and point opens what is behind it. */
export function DashboardCharts({ series, asOf, onMovements }: DashboardChartsProps) {
  const money = useMoney();
  const navigate = useNavigate();
  const moneyAxis = { tickFormatter: (v: number) => formatCompactMoney(v, money.currency, money.locale), width: 64 };
  const formatMoney = (v: number) => money.format(Math.round(v));
  const mrr = mrrPoints(series, money.locale);
  const movements = movementBars(series, money.locale);
  const revenue = revenueBars(series, money.locale);
  const growth = growthPoints(series, money.locale);

  const openMonth = (rows: { month: string }[], go: (month: string) => void) => (state: { activeIndex?: unknown; activeTooltipIndex?: unknown }) => {
    const month = monthAt(rows, state.activeIndex ?? state.activeTooltipIndex);
    if (month) go(month);
  };

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <ChartPanel testId="chart-mrr" title="MRR by month" help={METRIC_HELP.mrr} description="Monthly recurring revenue at the end of each month. Click a month to see what moved it.">
        <AreaChart
          h={CHART_HEIGHT}
          data={mrr}
          dataKey="label"
          series={[{ name: 'mrr', label: 'MRR', color: 'indigo.6' }]}
          curveType="monotone"
          withDots
          valueFormatter={formatMoney}
          yAxisProps={moneyAxis}
          areaChartProps={{ onClick: openMonth(mrr, (m) => onMovements(m, null)), style: { cursor: 'pointer' } }}
          aria-label="MRR at the end of each month"
        />
      </ChartPanel>
      <ChartPanel
        testId="chart-movements"
        title="MRR movements"
        help={movementsHelp}
        description="What added to MRR each month (above the line) and what took from it (below). Click a bar to see the customers."
      >
        <BarChart
          h={CHART_HEIGHT}
          data={movements}
          dataKey="label"
          type="stacked"
          series={MOVEMENT_SERIES.map((s) => ({ ...s, label: MOVEMENT_LABELS[s.name] }))}
          barChartProps={{ stackOffset: 'sign' }}
          barProps={(s) => ({
            onClick: (_data: unknown, index: number) => {
              const month = movements[index]?.month;
              if (month) onMovements(month, s.name as MovementKind);
            },
            style: { cursor: 'pointer' },
          })}
          referenceLines={[{ y: 0, color: 'gray.5' }]}
          valueFormatter={formatMoney}
          yAxisProps={moneyAxis}
          maxBarWidth={32}
          aria-label="MRR movements per month"
        />
        <MovementLegend />
      </ChartPanel>
      <ChartPanel testId="chart-revenue" title="Revenue by month" help={METRIC_HELP.revenue} description="Payments received less refunds. Click a month to see its payments.">
        <BarChart
          h={CHART_HEIGHT}
          data={revenue}
          dataKey="label"
          series={[{ name: 'revenue', label: 'Revenue', color: 'teal.6' }]}
          valueFormatter={formatMoney}
          yAxisProps={moneyAxis}
          maxBarWidth={32}
          barChartProps={{ onClick: openMonth(revenue, (m) => void navigate(reportLink('payments', monthRange(m, asOf)))), style: { cursor: 'pointer' } }}
          aria-label="Revenue per month"
        />
      </ChartPanel>
      <ChartPanel testId="chart-growth" title="Customer growth" description="New customers each month (bars) and the total at the end of each month (line). Click a month to list its new customers.">
        <CompositeChart
          h={CHART_HEIGHT}
          data={growth}
          dataKey="label"
          series={[
            { name: 'newCustomers', label: 'New customers', color: 'cyan.6', type: 'bar' },
            { name: 'totalCustomers', label: 'All customers', color: 'indigo.6', type: 'line' },
          ]}
          yAxisProps={{ allowDecimals: false, width: 40 }}
          valueFormatter={(v) => Math.round(v).toLocaleString(money.locale)}
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 36 }}
          maxBarWidth={32}
          composedChartProps={{ onClick: openMonth(growth, (m) => void navigate(reportLink('customers', monthRange(m, asOf)))), style: { cursor: 'pointer' } }}
          aria-label="New and total customers per month"
        />
      </ChartPanel>
    </SimpleGrid>
  );
}

/** The kinds in the order they stack (gains, then losses), which recharts' own legend does not keep. */
function MovementLegend() {
  return (
    <Group gap="md" justify="center" mt={4}>
      {MOVEMENT_SERIES.map((s) => (
        <Group key={s.name} gap={6} wrap="nowrap" title={MOVEMENT_HELP[s.name]}>
          <ColorSwatch color={`var(--mantine-color-${s.color.replace('.', '-')})`} size={10} withShadow={false} />
          <Text size="xs">{MOVEMENT_LABELS[s.name]}</Text>
        </Group>
      ))}
    </Group>
  );
}
