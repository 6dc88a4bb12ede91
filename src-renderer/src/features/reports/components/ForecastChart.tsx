import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCompactMoney, useMoney } from '../../../lib/money';
import { useDates } from '../../../lib/dates';
import type { ForecastPoint } from '../forecast-format';

/** Revenue by month: what happened (solid), what is expected (dashed) and its 80 % band (shaded). Loaded on demand. */
export function ForecastChart({ points }: { points: ForecastPoint[] }) {
  const money = useMoney();
  const dates = useDates();
  const value = (v: unknown) => (Array.isArray(v) ? `${money.format(Math.round(v[0] as number))} – ${money.format(Math.round(v[1] as number))}` : money.format(Math.round(Number(v))));
  return (
    <div style={{ width: '100%', height: 300 }} role="img" aria-label="Revenue by month with the forecast and its 80 % band" data-testid="forecast-chart">
      <ResponsiveContainer>
        <ComposedChart data={points} margin={{ top: 10, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--mantine-color-default-border)" vertical={false} />
          <XAxis dataKey="month" tickFormatter={(m: string) => dates.month(m)} tick={{ fontSize: 12, fill: 'var(--mantine-color-dimmed)' }} minTickGap={24} />
          <YAxis width={64} tickFormatter={(v: number) => formatCompactMoney(v, money.currency, money.locale)} tick={{ fontSize: 12, fill: 'var(--mantine-color-dimmed)' }} />
          <Tooltip
            formatter={(v, name) => [value(v), name]}
            labelFormatter={(m) => dates.month(String(m))}
            contentStyle={{ background: 'var(--mantine-color-body)', border: '1px solid var(--mantine-color-default-border)', borderRadius: 6 }}
          />
          <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 13 }} />
          <Area dataKey="band" name="80 % band (8 months in 10 land inside)" stroke="none" fill="var(--mantine-color-indigo-4)" fillOpacity={0.25} isAnimationActive={false} />
          <Line dataKey="actual" name="What happened" stroke="var(--mantine-color-indigo-6)" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} />
          <Line dataKey="expected" name="Expected" stroke="var(--mantine-color-orange-6)" strokeWidth={2} strokeDasharray="6 4" dot={{ r: 3 }} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
