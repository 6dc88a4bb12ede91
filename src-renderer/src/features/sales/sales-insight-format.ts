import type { Output } from '@shared/contract';

type Anomaly = Output<'insights.anomalies'>['anomalies'][number];
type Day = Output<'insights.days'>['days'][number];

export const METRIC_WORDS: Record<Anomaly['metric'], string> = {
  revenue: 'revenue',
  sales: 'counter sales',
  refunds: 'refunds',
  failedPayments: 'failed payments',
};

/** "12 Oct": a chart tick. */
export function shortDay(date: string, locale = 'en-US'): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y!, m! - 1, d!)));
}

/** The chart's rows: each day's revenue, and on an unusual day which figures were odd. */
export function chartDays(days: readonly Day[], anomalies: readonly Anomaly[]) {
  const odd = new Map<string, Anomaly[]>();
  for (const a of anomalies) odd.set(a.date, [...(odd.get(a.date) ?? []), a]);
  return days.map((d) => ({ date: d.date, revenue: d.revenue, unusual: odd.get(d.date) ?? [] }));
}

/** A vertical mark per unusual day: red when something went down (or refunds and failures went up), green otherwise. */
export function anomalyMarks(anomalies: readonly Anomaly[]) {
  const byDate = new Map<string, Anomaly[]>();
  for (const a of anomalies) byDate.set(a.date, [...(byDate.get(a.date) ?? []), a]);
  return [...byDate].map(([date, list]) => {
    const bad = list.some((a) => (a.metric === 'revenue' || a.metric === 'sales' ? a.direction === 'down' : a.direction === 'up'));
    return { date, bad, label: list.map((a) => `${a.direction === 'up' ? '▲' : '▼'} ${METRIC_WORDS[a.metric]}`).join(', ') };
  });
}

/** "3 unusual days in the last 90 days (checked 90 days)." */
export function anomaliesSummary(result: Pick<Output<'insights.anomalies'>, 'anomalies' | 'checkedDays' | 'from' | 'to'>): string {
  const days = new Set(result.anomalies.map((a) => a.date)).size;
  if (days === 0) return `No unusual day between ${result.from} and ${result.to}: every figure stayed inside what its weekday usually brings (${result.checkedDays} days checked).`;
  return `${days} unusual ${days === 1 ? 'day' : 'days'} between ${result.from} and ${result.to}, out of ${result.checkedDays} checked: on ${days === 1 ? 'it' : 'each'} a figure fell outside what that weekday usually brings.`;
}
