import type { Output } from '@shared/contract';

type Forecast = Output<'insights.forecast'>;

export interface ForecastPoint {
  month: string;
  /** What happened (history), minor units. */
  actual?: number;
  /** What is expected; the last actual month carries it too, so the two lines join. */
  expected?: number;
  /** The 80 % band [low, high]. */
  band?: [number, number];
}

/** History then forecast, one row per month, for the chart. */
export function forecastPoints(f: Pick<Forecast, 'history' | 'months'>): ForecastPoint[] {
  const points: ForecastPoint[] = f.history.map((h) => ({ month: h.month, actual: h.mrr }));
  const last = points.at(-1);
  if (last && f.months.length > 0) {
    last.expected = last.actual;
    last.band = [last.actual!, last.actual!];
  }
  for (const m of f.months) points.push({ month: m.month, expected: m.mrr, band: [m.low, m.high] });
  return points;
}

/** The next month in one plain sentence: the figure, and the band as "8 times in 10". */
export function nextMonthSentence(f: Pick<Forecast, 'months'>, money: (minor: number) => string, month: (m: string) => string): string | null {
  const next = f.months[0];
  if (!next) return null;
  return `${month(next.month)}: about ${money(next.mrr)}. Eight times in ten the real figure lands between ${money(next.low)} and ${money(next.high)} (the shaded band); the band widens the further ahead it looks.`;
}
