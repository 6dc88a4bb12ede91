import { BarChart } from '@mantine/charts';
import { useMoney } from '../../../lib/money';
import { formatCompactMoney } from '../../../lib/money';
import type { ForecastRow } from '../forecast';

/** Billed and collected per month; loaded on demand, as the charting library is large. */
export function ForecastChart({ rows }: { rows: ForecastRow[] }) {
  const money = useMoney();
  return (
    <BarChart
      h={240}
      data={rows}
      dataKey="label"
      series={[
        { name: 'billed', label: 'Billed', color: 'indigo.6' },
        { name: 'collected', label: 'Collected', color: 'teal.6' },
      ]}
      valueFormatter={(v) => money.format(Math.round(v))}
      yAxisProps={{ tickFormatter: (v: number) => formatCompactMoney(v, money.currency, money.locale), width: 64 }}
      withLegend
      legendProps={{ verticalAlign: 'bottom' }}
      maxBarWidth={36}
      aria-label="Billed and collected per month"
    />
  );
}
