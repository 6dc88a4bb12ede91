import type { Dashboard } from '@shared/contract/metrics';
import type { MovementKind } from './metric-help';

// The dashboard's twelve months shaped for the charts. Amounts stay integer
// minor units; the charts format them back to money.

export type SeriesMonth = Dashboard['series'][number];

/** A young business's first months are empty: charts start at its first month with anything in it, showing at least `minMonths`. */
export function visibleMonths(series: readonly SeriesMonth[], minMonths = 6): SeriesMonth[] {
  const first = series.findIndex(
    (m) => m.mrr !== 0 || m.revenue !== 0 || m.newCustomers !== 0 || m.totalCustomers !== 0 || m.new + m.reactivation + m.expansion + m.contraction + m.churn !== 0,
  );
  const start = first < 0 ? series.length - minMonths : Math.min(first, series.length - minMonths);
  return series.slice(Math.max(0, start));
}

const shortMonths = new Map<string, Intl.DateTimeFormat>();
/** "2026-03" -> "Mar 26": short enough for twelve ticks on a half-width chart. */
export function shortMonth(month: string, locale = 'en-US'): string {
  if (!/^\d{4}-\d{2}$/.test(month)) return month;
  let f = shortMonths.get(locale);
  if (!f) shortMonths.set(locale, (f = new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' })));
  return f.format(new Date(`${month}-01T00:00:00Z`));
}

export interface MrrPoint {
  month: string;
  label: string;
  mrr: number;
}

export function mrrPoints(series: readonly SeriesMonth[], locale?: string): MrrPoint[] {
  return series.map((m) => ({ month: m.month, label: shortMonth(m.month, locale), mrr: m.mrr }));
}

/** One month of movements as stacked bars: what added MRR above zero, what took it away below. */
export interface MovementBar extends Record<MovementKind, number> {
  month: string;
  label: string;
  net: number;
}

const negative = (amount: number) => (amount === 0 ? 0 : -amount);

export function movementBars(series: readonly SeriesMonth[], locale?: string): MovementBar[] {
  return series.map((m) => ({
    month: m.month,
    label: shortMonth(m.month, locale),
    new: m.new,
    reactivation: m.reactivation,
    expansion: m.expansion,
    contraction: negative(m.contraction),
    churn: negative(m.churn),
    net: m.net,
  }));
}

export interface RevenueBar {
  month: string;
  label: string;
  revenue: number;
}

export function revenueBars(series: readonly SeriesMonth[], locale?: string): RevenueBar[] {
  return series.map((m) => ({ month: m.month, label: shortMonth(m.month, locale), revenue: m.revenue }));
}

export interface GrowthPoint {
  month: string;
  label: string;
  newCustomers: number;
  totalCustomers: number;
}

export function growthPoints(series: readonly SeriesMonth[], locale?: string): GrowthPoint[] {
  return series.map((m) => ({ month: m.month, label: shortMonth(m.month, locale), newCustomers: m.newCustomers, totalCustomers: m.totalCustomers }));
}

/** The movement kinds in chart order, with their colors: gains in greens and blues, losses in orange and red. */
export const MOVEMENT_SERIES: { name: MovementKind; color: string }[] = [
  { name: 'new', color: 'teal.6' },
  { name: 'reactivation', color: 'cyan.6' },
  { name: 'expansion', color: 'indigo.5' },
  { name: 'contraction', color: 'orange.6' },
  { name: 'churn', color: 'red.6' },
];

/** The row of a chart the pointer was on, from recharts' click state (its index in the data). */
export function monthAt<T extends { month: string }>(rows: readonly T[], index: unknown): string | null {
  const i = typeof index === 'number' ? index : typeof index === 'string' && /^\d+$/.test(index) ? Number(index) : -1;
  return rows[i]?.month ?? null;
}
