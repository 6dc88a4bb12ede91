import { findAnomalies, type AnomaliesResult } from '@shared/insights/anomalies';
import { churnRisk, type ChurnResult } from '@shared/insights/churn';
import type { InsightLedger } from '@shared/insights/features';
import { forecastRevenue, type ForecastResult } from '@shared/insights/forecast';
import { lifetimeValues, type LtvResult } from '@shared/insights/ltv';
import { linesUpTo, nextBestFinder, productInsights, type NextBest, type ProductInsights } from '@shared/insights/products';
import { salesByCustomer } from '@shared/insights/sales-next-best';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { withInsightsCache } from './cache';
import { maintainedChurn, maintainedLedger, maintainedLtv } from './incremental';
import { currencyChange, firstActivity, loadDayFigures, loadForecastHistory, loadProducts, loadSaleLines } from './sales-data';

// Every insight the handlers ask for, as one question (`InsightsQuery`) with its answer, computed here on
// whatever thread calls it: the insights worker in the app and the browser host, the calling thread in
// the CLI and tests (worker-executor.ts). Each answer is kept until the books change (cache.ts). The
// handlers check their input before asking (a period's order, a customer that exists).

export type InsightsQuery =
  | { kind: 'churn'; asOf: string; today: string }
  | { kind: 'ltv'; asOf: string; today: string }
  | { kind: 'forecast'; asOf: string; today: string; months: number }
  | { kind: 'anomalies'; from: string; to: string; today: string }
  | { kind: 'products'; from: string; to: string; today: string; customerId: string | null };

export type ForecastAnswer = ForecastResult & { currency: string };
export type AnomaliesAnswer = AnomaliesResult & { currency: string };
export type ProductsAnswer = ProductInsights & { currency: string; customerId: string | null };

export interface InsightsAnswers {
  churn: ChurnResult;
  ltv: LtvResult;
  forecast: ForecastAnswer;
  anomalies: AnomaliesAnswer;
  products: ProductsAnswer;
}

export type InsightKind = InsightsQuery['kind'];
export type QueryOf<K extends InsightKind> = Extract<InsightsQuery, { kind: K }>;

/** The cache key of a question: every field of it, in a fixed order. */
export function queryKey(q: InsightsQuery): string {
  switch (q.kind) {
    case 'churn':
    case 'ltv':
      return `${q.kind}:${q.asOf}:${q.today}`;
    case 'forecast':
      return `forecast:${q.asOf}:${q.today}:${q.months}`;
    case 'anomalies':
      return `anomalies:${q.from}:${q.to}:${q.today}`;
    case 'products':
      return `products:${q.from}:${q.to}:${q.today}:${q.customerId ?? ''}`;
  }
}

/** The answer to one question, computed on this thread (or what it was, if the books have not changed since). */
export function computeInsight<K extends InsightKind>(db: BusinessDb, q: QueryOf<K>): InsightsAnswers[K] {
  return withInsightsCache(db.sqlite, queryKey(q), () => compute(db, q)) as InsightsAnswers[K];
}

function compute(db: BusinessDb, q: InsightsQuery): InsightsAnswers[InsightKind] {
  switch (q.kind) {
    case 'churn':
      return q.asOf > q.today ? churnRisk(emptyLedger(db), { asOf: q.asOf, today: q.today }) : maintainedChurn(db, q.asOf, q.today);
    case 'ltv':
      return q.asOf > q.today ? lifetimeValues(emptyLedger(db), { asOf: q.asOf, today: q.today }) : maintainedLtv(db, q.asOf, q.today);
    case 'forecast': {
      const history = q.asOf > q.today ? [] : loadForecastHistory(db, q.asOf);
      const result = forecastRevenue({ asOf: q.asOf, today: q.today, history, horizon: q.months, currencyChange: currencyChange(db, q.asOf) });
      return { ...result, currency: businessCurrency(db) };
    }
    case 'anomalies': {
      const currency = businessCurrency(db);
      const end = q.to > q.today ? q.today : q.to;
      const days = q.from > end ? [] : loadDayFigures(db, q.from, end);
      return { ...findAnomalies({ from: q.from, to: q.to, today: q.today, currency, since: firstActivity(db), days }), currency };
    }
    case 'products': {
      if (q.customerId !== null) {
        // A customer's page: the business's answer (shared by every customer) and this customer's next best,
        // from rules learnt once per book (productInsights gives the same, learning them each time).
        const base = computeInsight(db, { ...q, customerId: null });
        return { ...base, nextBest: nextBestOf(db, q.to, q.today)(q.customerId), customerId: q.customerId };
      }
      const end = q.to > q.today ? q.today : q.to;
      const result = productInsights({ today: q.today, from: q.from, to: q.to, customerId: null, lines: loadSaleLines(db, end), products: loadProducts(db) });
      return { ...result, currency: businessCurrency(db), customerId: null };
    }
  }
}

/** The next best finder of the sales up to a date, kept until the books change. */
function nextBestOf(db: BusinessDb, to: string, today: string): (customerId: string) => NextBest[] {
  const end = to > today ? today : to;
  return withInsightsCache(db.sqlite, `next-best:${end}`, () => {
    const lines = linesUpTo(loadSaleLines(db, end), to, today);
    return nextBestFinder(salesByCustomer(lines), new Map(loadProducts(db).map((p) => [p.id, p])));
  });
}

/** The books as of a date, made ready for the models once for churn and LTV, cached until they change. */
export function insightLedger(db: BusinessDb, asOf: string): InsightLedger {
  return withInsightsCache(db.sqlite, `ledger:${asOf}`, () => maintainedLedger(db, asOf));
}

/** Churn risk of every paying customer as of a date, cached until the books change. */
export function churnInsight(db: BusinessDb, asOf: string, today: string): ChurnResult {
  return computeInsight(db, { kind: 'churn', asOf, today });
}

/** Lifetime value of every paying customer and segment as of a date, cached until the books change. */
export function ltvInsight(db: BusinessDb, asOf: string, today: string): LtvResult {
  return computeInsight(db, { kind: 'ltv', asOf, today });
}

/** A future date reads nothing: the models answer it from no books. */
function emptyLedger(db: BusinessDb): InsightLedger {
  return { currency: businessCurrency(db), timelines: [] };
}
