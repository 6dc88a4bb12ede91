import { AreaChart } from '@mantine/charts';
import type { Output } from '@shared/contract';
import { formatCompactMoney, useMoney } from '../../../lib/money';
import { anomalyMarks, chartDays, shortDay } from '../sales-insight-format';

interface SalesChartProps {
  days: Output<'insights.days'>['days'];
  anomalies: Output<'insights.anomalies'>['anomalies'];
}

/** Daily revenue with a line on every unusual day; loaded on demand, as the charting library is large. */
export function SalesChart({ days, anomalies }: SalesChartProps) {
  const money = useMoney();
  const data = chartDays(days, anomalies);
  const marks = anomalyMarks(anomalies);
  return (
    <AreaChart
      h={260}
      data={data}
      dataKey="date"
      series={[{ name: 'revenue', label: 'Revenue', color: 'indigo.6' }]}
      curveType="linear"
      withDots={false}
      valueFormatter={(v) => money.format(Math.round(v))}
      xAxisProps={{ tickFormatter: (d: string) => shortDay(d, money.locale), minTickGap: 24 }}
      yAxisProps={{ tickFormatter: (v: number) => formatCompactMoney(v, money.currency, money.locale), width: 64 }}
      referenceLines={marks.map((m) => ({ x: m.date, color: m.bad ? 'red.6' : 'teal.6', strokeWidth: 2, ifOverflow: 'extendDomain' as const }))}
      aria-label="Revenue each day, with the unusual days marked"
    />
  );
}
