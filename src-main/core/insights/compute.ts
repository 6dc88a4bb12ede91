import { findAnomalies, type AnomaliesResult } from '@shared/insights/anomalies';
import { churnEntries, churnResult, churnState, type ChurnBand, type ChurnCustomer, type ChurnResult, type ChurnState } from '@shared/insights/churn';
import type { InsightLedger } from '@shared/insights/features';
import { forecastRevenue, type ForecastResult } from '@shared/insights/forecast';
import { lifetimeValues, ltvOfCustomer, ltvResult, ltvState, type LtvResult } from '@shared/insights/ltv';
import { linesUpTo, nextBestFinder, productInsights, type NextBest, type ProductInsights } from '@shared/insights/products';
import { salesByCustomer } from '@shared/insights/sales-next-best';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { withInsightsCache } from './cache';
import { EVERY_DATE, keptTimeline, maintainedChurnState, maintainedLedger, maintainedLtvState, quickAnswers } from './incremental';
import { loadCustomerTimelines, loadInsightLedger } from './fast-books';
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
  | { kind: 'products'; from: string; to: string; today: string; customerId: string | null }
  // Views of the churn and LTV answers, cut where they are kept (the worker), so that the asking thread
  // receives a page, not every customer (several MB at 100,000, seconds to unpack).
  | { kind: 'churn-page'; asOf: string; today: string; offset: number; limit: number; customerIds: readonly string[] | null }
  | { kind: 'ltv-customer'; asOf: string; today: string; customerId: string }
  | { kind: 'risk-rows'; asOf: string; today: string };

export type ForecastAnswer = ForecastResult & { currency: string };
export type AnomaliesAnswer = AnomaliesResult & { currency: string };
export type ProductsAnswer = ProductInsights & { currency: string; customerId: string | null };

/** A page of the churn answer, riskiest first (of every scored customer, or of those named), with each one's rank. */
export interface ChurnPage extends Omit<ChurnResult, 'customers'> {
  customers: ChurnCustomer[];
  /** Each one's place in the whole list (1: the riskiest). */
  ranks: number[];
  /** How many of those asked about have a score (every scored customer when none were named). */
  total: number;
  /** How many customers have a score, and in each band. */
  scored: number;
  bandCounts: Record<ChurnBand, number>;
}

export interface InsightsAnswers {
  churn: ChurnResult;
  'churn-page': ChurnPage;
  'ltv-customer': LtvResult;
  /** JSON of [customerId, score, at risk (0|1)] for every scored customer: what the customers list joins (risk-scores.ts). */
  'risk-rows': string;
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
    case 'churn-page':
      return `churn-page:${q.asOf}:${q.today}:${q.offset}:${q.limit}:${q.customerIds?.join(',') ?? '*'}`;
    case 'ltv-customer':
      return `ltv-customer:${q.asOf}:${q.today}:${q.customerId}`;
    case 'risk-rows':
      return `risk-rows:${q.asOf}:${q.today}`;
  }
}

/** The answer to one question, computed on this thread (or what it was, if the books have not changed since). */
export function computeInsight<K extends InsightKind>(db: BusinessDb, q: QueryOf<K>): InsightsAnswers[K] {
  return withInsightsCache(db.sqlite, queryKey(q), () => compute(db, q)) as InsightsAnswers[K];
}

function compute(db: BusinessDb, q: InsightsQuery): InsightsAnswers[InsightKind] {
  switch (q.kind) {
    case 'churn':
      // Every customer's entry: the ledger's way (the snapshot's days ahead have no timelines).
      return churnResult(churnStateOf(db, q.asOf, q.today, true));
    case 'ltv':
      return q.asOf > q.today ? lifetimeValues(emptyLedger(db), { asOf: q.asOf, today: q.today }) : ltvResult(maintainedLtvState(db, q.asOf, q.today));
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
    case 'churn-page':
      return churnPage(db, churnStateOf(db, q.asOf, q.today), q);
    case 'ltv-customer': {
      if (q.asOf > q.today) return { ...lifetimeValues(emptyLedger(db), { asOf: q.asOf, today: q.today }), customers: [] };
      if (db.sqlite.inTransaction) return ltvOfCustomer(ltvState(loadInsightLedger(db, q.asOf), q), loadInsightLedger(db, q.asOf).timelines.find((t) => t.id === q.customerId));
      return ltvOfCustomer(quickAnswers(db, q.asOf, q.today)?.ltv ?? maintainedLtvState(db, q.asOf, q.today), keptTimeline(db, q.customerId));
    }
    case 'risk-rows': {
      const { scores } = churnStateOf(db, q.asOf, q.today);
      return JSON.stringify(scores.map((c) => [c.id, c.score, c.band === 'low' ? 0 : 1]));
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

/**
 * The churn state as of a date (the scores, their entries made when asked for), kept until the books change: on a
 * new run, from the snapshot's answers of that day when it has them (`quickAnswers`), unless `whole` is asked for.
 */
function churnStateOf(db: BusinessDb, asOf: string, today: string, whole = false): ChurnState {
  return withInsightsCache(db.sqlite, `churn-state:${asOf}:${today}:${whole}`, () => {
    if (asOf > today) return churnState(emptyLedger(db), { asOf, today });
    return (!whole && quickAnswers(db, asOf, today)?.churn) || maintainedChurnState(db, asOf, today);
  });
}

const ranks = new WeakMap<ChurnState, { index: Map<string, number> | null; bandCounts: Record<ChurnBand, number> }>();

function churnPage(db: BusinessDb, state: ChurnState, q: QueryOf<'churn-page'>): ChurnPage {
  let kept = ranks.get(state);
  if (!kept) {
    const bandCounts = { low: 0, medium: 0, high: 0 };
    for (const c of state.scores) bandCounts[c.band]++;
    ranks.set(state, (kept = { index: null, bandCounts }));
  }
  const all = state.scores;
  // Each customer's rank, made the first time some customers are named (a page of everyone needs none).
  const index = q.customerIds ? (kept.index ??= new Map(all.map((c, i) => [c.id, i]))) : null;
  const at = q.customerIds && index ? [...new Set(q.customerIds.flatMap((id) => (index.has(id) ? [index.get(id)!] : [])))].sort((x, y) => x - y) : null;
  const picked: number[] = [];
  const end = Math.min(at ? at.length : all.length, q.offset + q.limit);
  for (let k = q.offset; k < end; k++) picked.push(at ? at[k]! : k);
  const page = picked.map((i) => all[i]!);
  // Scores read from a snapshot have no timeline: those customers' are read from the books for their words.
  const missing = page.filter((c) => !c.t).map((c) => c.id);
  const timelines = missing.length > 0 ? new Map(loadCustomerTimelines(db, missing, EVERY_DATE).map((t) => [t.id, t])) : undefined;
  const customers: ChurnCustomer[] = churnEntries(state, page, timelines);
  return {
    ...state.head,
    customers,
    ranks: picked.map((i) => i + 1),
    total: at ? at.length : all.length,
    scored: all.length,
    bandCounts: { ...kept.bandCounts },
  };
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
