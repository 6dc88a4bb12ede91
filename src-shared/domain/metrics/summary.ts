import { isIsoDate } from '../dates';
import { divRound } from '../money';
import { percentWith2Decimals } from '../metrics-math';
import { monthBounds, monthFigures, monthsEnding, type MonthFigures, type Movements } from './months';
import { arAging, atRiskCustomers, revenueBetween, type ArAging } from './receivables';
import type { MetricsRows } from './rows';
import { segmentsFromHistory } from './segments';

/** `recurra metrics --as-of`, `metrics.summary` and `GET /v1/metrics?as_of=`: the numbers of spec 8 as of a date. */
export interface MetricsSummary {
  asOf: string;
  month: string;
  currency: string;
  mrr: number;
  arr: number;
  activeSubscribers: number;
  trialingSubscribers: number;
  churnRate: number | null;
  revenue: number;
  movements: Movements;
  arAging: ArAging;
  /** MRR per active subscriber. */
  arpa: number;
  /** ARPA / churn rate; null when nobody churned. */
  ltv: number | null;
  /** (churn + contraction) / MRR at the month's start, percent. */
  grossMrrChurn: number | null;
  /** (churn + contraction - expansion) / MRR at the month's start, percent. */
  netMrrChurn: number | null;
  mrrAtStart: number;
  churnedCustomers: number;
  atRiskCustomers: number;
}

/** The months a summary as of `asOf` reads: the 12 ending with asOf's month (LTV's churn is a year's), the last one up to asOf. */
export function summaryMonths(asOf: string) {
  return monthsEnding(asOf, 12).map((m) => monthBounds(m, asOf));
}

/** The dates a feeder may narrow its rows by (see MetricsRows): the as-of month's first day, and the as-of date. */
export function metricsRowsWindow(asOf: string): { monthStart: string; asOf: string } {
  return { monthStart: `${asOf.slice(0, 7)}-01`, asOf };
}

/**
 * The metrics summary as of a date, from the rows alone (spec 8): MRR, its
 * movements and the churn of the as-of month (up to the date) from the
 * subscription history, LTV over the churn of the 12 months ending with it,
 * revenue of the month, AR aging and the customers at risk at the date.
 * Pure: the PC feeds it from SQLite (`metricsAsOf`), the server from PostgreSQL.
 */
export function metricsSummaryFromRows(rows: MetricsRows, asOf: string): MetricsSummary {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf: expected a date as YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  const months = summaryMonths(asOf);
  const figures = monthFigures(segmentsFromHistory(rows.subscriptionHistory, rows.plans, rows.coupons), months);
  const { monthStart } = metricsRowsWindow(asOf);
  return summaryOf(figures[11]!, {
    asOf,
    currency: rows.currency,
    revenue: revenueBetween(rows.payments, rows.refunds, monthStart, asOf),
    arAging: arAging(rows.invoices, rows.payments, asOf),
    atRiskCustomers: atRiskCustomers(rows.invoices, rows.payments, asOf),
    ltvChurn: churnOver(figures),
  });
}

/** Churned customers and customers paying at the start, summed over months: LTV's churn over a longer window. */
export function churnOver(figures: readonly MonthFigures[]): { churned: number; payingAtStart: number } {
  return figures.reduce((a, f) => ({ churned: a.churned + f.churned, payingAtStart: a.payingAtStart + f.payingAtStart }), { churned: 0, payingAtStart: 0 });
}

/** The summary of a month ending on `asOf`, from its MRR figures and the money its invoices and payments say. */
export function summaryOf(
  f: MonthFigures,
  money: { asOf: string; currency: string; revenue: number; arAging: ArAging; atRiskCustomers: number; ltvChurn: { churned: number; payingAtStart: number } },
): MetricsSummary {
  const mrr = f.mrrAtEnd;
  const movements = f.movements;
  const churnRate = percentWith2Decimals(f.churned, f.payingAtStart);
  const mrrAtStart = f.mrrAtStart;
  const arpa = f.activeAtEnd > 0 ? divRound(mrr, f.activeAtEnd) : 0;
  // LTV divides by the average monthly churn of a year, not of one month (one month's is often 0, and LTV "—").
  const ltvRate = percentWith2Decimals(money.ltvChurn.churned, money.ltvChurn.payingAtStart);
  return {
    asOf: money.asOf,
    month: f.bounds.month,
    currency: money.currency,
    mrr,
    arr: 12 * mrr,
    activeSubscribers: f.activeAtEnd,
    trialingSubscribers: f.trialingAtEnd,
    churnRate,
    revenue: money.revenue,
    movements,
    arAging: money.arAging,
    arpa,
    ltv: ltvRate !== null && ltvRate > 0 ? divRound(BigInt(arpa) * 10_000n, Math.round(ltvRate * 100)) : null,
    grossMrrChurn: percentWith2Decimals(movements.churn + movements.contraction, mrrAtStart),
    netMrrChurn: mrrAtStart === 0 ? null : divRound(BigInt(movements.churn + movements.contraction - movements.expansion) * 10_000n, mrrAtStart) / 100,
    mrrAtStart,
    churnedCustomers: f.churned,
    atRiskCustomers: money.atRiskCustomers,
  };
}
