import { fromDayNumber, isIsoDate, toDayNumber } from '../domain/dates';
import { auc, fitLogistic, logOdds, sigmoid, standardize, type LogisticModel } from './churn-math';
import { factorText, factWords, ruleWords } from './churn-explain';
import { factsAt, featureVector, FEATURES, goneAt, ledgerOf, type CustomerTimeline, type FeatureName, type InsightBooks, type InsightLedger } from './features';

// Churn risk (spec/insights.md): who is likely to cancel everything in the next 90 days.
// A logistic regression trained on the business's own past: at month steps before the
// as-of date, each paying customer's features then, labelled by whether they had
// canceled 90 days later. Its backtest holds out the last such date. Deterministic:
// fixed steps, no randomness, a sample (when the book is big) chosen by a hash of the id.

export const CHURN_HORIZON_DAYS = 90;
export const MIN_HISTORY_MONTHS = 6;
export const MIN_CUSTOMERS_WHO_LEFT = 20;
/** Past dates to learn from: one every 30 days, at most this many. */
const TRAINING_DATES = 12;
/** Customer-dates the model learns from (and the backtest scores) at most: a sample beyond, by id hash. */
const MAX_SAMPLES = 40_000;
const L2 = 1;

export type ChurnBand = 'low' | 'medium' | 'high';

export interface ChurnFactor {
  factor: FeatureName;
  /** Points this factor adds to (or takes from) the score, against a typical customer. */
  effect: number;
  text: string;
}

export interface ChurnCustomer {
  customerId: string;
  name: string;
  /** The chance in percent that the customer cancels everything within 90 days. */
  score: number;
  band: ChurnBand;
  factors: ChurnFactor[];
}

export interface ChurnModelInfo {
  kind: 'logistic-regression';
  /** What the model learned from, in numbers and in words. */
  trainedOn: { from: string; to: string; dates: number; samples: number; customersWhoLeft: number; text: string };
  /** The share (percent) of customer-dates in the training data that were followed by a cancellation within 90 days. */
  baseRate: number;
  bands: { mediumFrom: number; highFrom: number; text: string };
  /** The backtest: trained up to 90 days before `heldOutAsOf`, scored at it, against what happened in the next 90 days. */
  heldOutAsOf: string | null;
  auc: number | null;
  baselineAuc: number | null;
  baselineRule: string | null;
  backtest: string;
}

export interface ChurnResult {
  asOf: string;
  model: ChurnModelInfo | null;
  ready: boolean;
  reason?: string;
  customers: ChurnCustomer[];
}

export interface ChurnOptions {
  asOf: string;
  /** Today in the business's time zone: a later as-of date is refused (the future has no books). */
  today?: string;
  top?: number;
}

interface Samples {
  rows: number[][];
  labels: number[];
  left: Set<string>;
  stayed: number;
}

export function churnRisk(books: InsightBooks | InsightLedger, opts: ChurnOptions): ChurnResult {
  const { result } = churnState(ledgerOf(books), opts);
  return opts.top === undefined ? result : { ...result, customers: result.customers.slice(0, opts.top) };
}

/**
 * What a churn answer was computed from, kept by a caller that asks again after a few customers changed
 * (`updateChurnState`): the trained model and the scored customers, with what decides whether they still hold.
 */
export interface ChurnState {
  asOf: string;
  today: string | undefined;
  currency: string;
  /** The earliest first day of the ledger, and its number of customers (the sample's share depends on it). */
  first: number;
  customerCount: number;
  trained: { model: LogisticModel; bands: { mediumFrom: number; highFrom: number } } | null;
  result: ChurnResult;
}

/** The churn answer of a ledger, computed whole, with what `updateChurnState` needs to keep it up to date. */
export function churnState(ledger: InsightLedger, opts: ChurnOptions): ChurnState {
  const { asOf } = opts;
  if (!isIsoDate(asOf)) throw new RangeError(`asOf: expected a date as YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  const { timelines, currency } = ledger;
  const a = toDayNumber(asOf);
  const first = firstDayOf(timelines, a);
  const state = (result: ChurnResult, trained: ChurnState['trained'] = null): ChurnState => ({
    asOf,
    today: opts.today,
    currency,
    first,
    customerCount: timelines.length,
    trained,
    result,
  });
  const notReady = (reason: string) => state({ asOf, model: null, ready: false, reason, customers: [] });
  if (opts.today && asOf > opts.today) return notReady(`${asOf} is in the future (today is ${opts.today}): churn risk is computed from the books up to today or a past date.`);
  const needs = `needs ${MIN_HISTORY_MONTHS} months of history and ${MIN_CUSTOMERS_WHO_LEFT} customers who left`;
  if (!Number.isFinite(first)) return notReady(`Churn risk ${needs}; there is no subscription history up to ${asOf} yet.`);
  const months = Math.floor((a - first) / 30.44);
  const trainDays = pastDates(a - CHURN_HORIZON_DAYS, first);
  const samples = sample(timelines, trainDays);
  if (months < MIN_HISTORY_MONTHS || samples.left.size < MIN_CUSTOMERS_WHO_LEFT) {
    return notReady(`Churn risk ${needs}; you have ${plural(months, 'month')} of history and ${samples.left.size} who left within 90 days of a date the model could learn from.`);
  }
  if (samples.stayed === 0) return notReady('Every customer in your history canceled within 90 days: there is nobody who stayed to learn from.');
  const model = fitLogistic(samples.rows, samples.labels, L2);
  const baseRate = round2((100 * samples.labels.filter((y) => y === 1).length) / samples.labels.length);
  const bands = bandsFor(baseRate);
  const info: ChurnModelInfo = {
    kind: 'logistic-regression',
    trainedOn: {
      from: fromDayNumber(trainDays.at(-1)!),
      to: fromDayNumber(trainDays[0]!),
      dates: trainDays.length,
      samples: samples.rows.length,
      customersWhoLeft: samples.left.size,
      text: `Learned from ${plural(trainDays.length, 'past date')} (${fromDayNumber(trainDays.at(-1)!)} to ${fromDayNumber(trainDays[0]!)}, ${samples.rows.length} customer-dates), when ${plural(samples.left.size, 'customer')} went on to cancel within 90 days.`,
    },
    baseRate,
    bands: {
      ...bands,
      text: `Usually ${baseRate}% of paying customers cancel within 90 days. Medium risk from ${bands.mediumFrom}, high from ${bands.highFrom}.`,
    },
    ...backtest(timelines, a, first),
  };
  const customers: ChurnCustomer[] = [];
  for (const t of timelines) {
    const scored = scoreCustomer(model, t, a, currency, bands);
    if (scored) customers.push(scored);
  }
  customers.sort(riskiestFirst);
  return state({ asOf, model: info, ready: true, customers }, { model, bands });
}

/** A customer's timeline before and after a change (null: not in the books then). */
export interface TimelineChange {
  before: CustomerTimeline | null;
  after: CustomerTimeline | null;
}

/**
 * The churn state after some customers changed: the same answer as `churnState` of the new ledger, exactly.
 * The model is kept when what it learned from is unchanged (each changed customer gives the same sampled
 * rows and labels at every date the model and its backtest learn from, and the sample's share, the dates
 * and the earliest day are the same); then only the changed customers are scored again. Otherwise it is
 * computed whole. `ledger` is the new one (the changes already in it, in the books' order).
 */
export function updateChurnState(prev: ChurnState, ledger: InsightLedger, changes: readonly TimelineChange[]): { state: ChurnState; retrained: boolean } {
  const opts = { asOf: prev.asOf, ...(prev.today !== undefined ? { today: prev.today } : {}) };
  const whole = () => ({ state: churnState(ledger, opts), retrained: true });
  if (!prev.trained || ledger.currency !== prev.currency) return whole();
  const a = toDayNumber(prev.asOf);
  const { timelines } = ledger;
  if (firstDayOf(timelines, a) !== prev.first) return whole();
  const heldOut = a - CHURN_HORIZON_DAYS;
  const lists = [pastDates(heldOut, prev.first), pastDates(heldOut - CHURN_HORIZON_DAYS, prev.first), [heldOut]];
  for (const days of lists) if (shareOf(prev.customerCount, days.length) !== shareOf(timelines.length, days.length)) return whole();
  for (const { before, after } of changes) {
    for (const days of lists) {
      const keep = shareOf(timelines.length, days.length);
      for (let k = 0; k < days.length; k++) if (!sameSample(before, after, days[k]!, k, keep)) return whole();
    }
  }
  const { model, bands } = prev.trained;
  const changed = new Set<string>();
  const rescored: ChurnCustomer[] = [];
  for (const { before, after } of changes) {
    if (before) changed.add(before.id);
    if (after) {
      changed.add(after.id);
      const scored = scoreCustomer(model, after, a, ledger.currency, bands);
      if (scored) rescored.push(scored);
    }
  }
  rescored.sort(riskiestFirst);
  const customers: ChurnCustomer[] = [];
  let j = 0;
  for (const c of prev.result.customers) {
    if (changed.has(c.customerId)) continue;
    while (j < rescored.length && riskiestFirst(rescored[j]!, c) < 0) customers.push(rescored[j++]!);
    customers.push(c);
  }
  while (j < rescored.length) customers.push(rescored[j++]!);
  return { state: { ...prev, customerCount: timelines.length, result: { ...prev.result, customers } }, retrained: false };
}

/** Whether a customer gives the same sampled row and label at a date before and after a change. */
function sameSample(before: CustomerTimeline | null, after: CustomerTimeline | null, d: number, k: number, keep: number): boolean {
  const x = sampledAt(before, d, k, keep);
  const y = sampledAt(after, d, k, keep);
  if (x === null || y === null) return x === y;
  if (x.left !== y.left) return false;
  for (let j = 0; j < x.row.length; j++) if (!Object.is(x.row[j], y.row[j])) return false;
  return true;
}

function sampledAt(t: CustomerTimeline | null, d: number, k: number, keep: number): { row: number[]; left: boolean } | null {
  if (!t || !inSample(t, k, keep)) return null;
  const facts = factsAt(t, d);
  return facts ? { row: featureVector(facts), left: goneAt(t, d + CHURN_HORIZON_DAYS) } : null;
}

function firstDayOf(timelines: readonly CustomerTimeline[], a: number): number {
  let first = Number.POSITIVE_INFINITY;
  for (const t of timelines) if (t.firstDay <= a && t.firstDay < first) first = t.firstDay;
  return first;
}

/** The share of customers sampled at each of `dates` dates (1: all). */
function shareOf(customers: number, dates: number): number {
  return Math.min(1, MAX_SAMPLES / Math.max(1, customers * dates * 0.8));
}

function inSample(t: CustomerTimeline, k: number, keep: number): boolean {
  return keep >= 1 || ((t.hash ^ Math.imul(k + 1, 0x9e3779b9)) >>> 0) / 4294967296 < keep;
}

/** Riskiest first, then by id: one order for every list of scores. */
function riskiestFirst(x: ChurnCustomer, y: ChurnCustomer): number {
  return y.score - x.score || (x.customerId < y.customerId ? -1 : x.customerId > y.customerId ? 1 : 0);
}

/** Dates to learn from: `latest` and every 30 days before it, while customers had a month of history. */
function pastDates(latest: number, first: number): number[] {
  const days: number[] = [];
  for (let k = 0; k < TRAINING_DATES && latest - 30 * k >= first + 30; k++) days.push(latest - 30 * k);
  return days;
}

/** Each paying customer at each date (a hashed sample when there are too many), labelled by whether they left within 90 days. */
function sample(timelines: readonly CustomerTimeline[], days: readonly number[]): Samples {
  const out: Samples = { rows: [], labels: [], left: new Set(), stayed: 0 };
  const keep = shareOf(timelines.length, days.length);
  days.forEach((d, k) => {
    for (const t of timelines) {
      if (!inSample(t, k, keep)) continue;
      const facts = factsAt(t, d);
      if (!facts) continue;
      const left = goneAt(t, d + CHURN_HORIZON_DAYS) ? 1 : 0;
      out.rows.push(featureVector(facts));
      out.labels.push(left);
      if (left) out.left.add(t.id);
      else out.stayed++;
    }
  });
  return out;
}

/** The backtest: learn from the dates up to 90 days before the last labelled one, score that one. */
function backtest(timelines: readonly CustomerTimeline[], a: number, first: number): Pick<ChurnModelInfo, 'heldOutAsOf' | 'auc' | 'baselineAuc' | 'baselineRule' | 'backtest'> {
  const heldOut = a - CHURN_HORIZON_DAYS;
  const none = (why: string) => ({ heldOutAsOf: fromDayNumber(heldOut), auc: null, baselineAuc: null, baselineRule: null, backtest: why });
  const train = sample(timelines, pastDates(heldOut - CHURN_HORIZON_DAYS, first));
  if (train.left.size < MIN_CUSTOMERS_WHO_LEFT / 2 || train.stayed === 0) {
    return none(`Not enough history before ${fromDayNumber(heldOut - CHURN_HORIZON_DAYS)} to test the model on a past date (${train.left.size} who left; it needs ${MIN_CUSTOMERS_WHO_LEFT / 2}).`);
  }
  const test = sample(timelines, [heldOut]);
  if (test.left.size === 0 || test.stayed === 0) return none(`Nobody ${test.left.size === 0 ? 'left' : 'stayed'} in the 90 days after ${fromDayNumber(heldOut)}: no test possible.`);
  const model = fitLogistic(train.rows, train.labels, L2);
  const scores = test.rows.map((x) => logOdds(model, standardize(model, x)));
  const modelAuc = auc(scores, test.labels)!;
  let best = { auc: -1, rule: '' };
  FEATURES.forEach((feature, j) => {
    const higherFirst = (auc(train.rows.map((x) => x[j]!), train.labels) ?? 0.5) >= 0.5;
    const ruleAuc = auc(test.rows.map((x) => (higherFirst ? x[j]! : -x[j]!)), test.labels) ?? 0.5;
    if (ruleAuc > best.auc) best = { auc: ruleAuc, rule: ruleWords(feature, higherFirst) };
  });
  const bands = bandsFor(round2((100 * train.labels.filter((y) => y === 1).length) / train.labels.length));
  let flagged = 0;
  let leftCount = 0;
  test.rows.forEach((x, i) => {
    if (test.labels[i] !== 1) return;
    leftCount++;
    if (Math.round(100 * sigmoid(scores[i]!)) >= bands.mediumFrom) flagged++;
  });
  return {
    heldOutAsOf: fromDayNumber(heldOut),
    auc: round3(modelAuc),
    baselineAuc: round3(best.auc),
    baselineRule: best.rule,
    backtest: `Tested on ${fromDayNumber(heldOut)} with a model that knew only the books 90 days before it: of the ${leftCount} customers who left in the next 90 days, it put ${flagged} at medium or high risk. It ranks a customer who left above one who stayed ${Math.round(modelAuc * 100)}% of the time (AUC ${round3(modelAuc)}); the best single rule ("${best.rule}") ${Math.round(best.auc * 100)}%.`,
  };
}

function scoreCustomer(model: LogisticModel, t: CustomerTimeline, a: number, currency: string, bands: { mediumFrom: number; highFrom: number }): ChurnCustomer | null {
  const facts = factsAt(t, a);
  if (!facts) return null;
  const z = standardize(model, featureVector(facts));
  const s = logOdds(model, z);
  const score = Math.round(100 * sigmoid(s));
  // Each factor against a typical customer (its standardized value 0): the score with it, less the score without it.
  // The top 3 by size are picked in one pass (no object per factor: this runs for every customer).
  const p = 100 * sigmoid(s);
  const top: { j: number; exact: number }[] = [];
  for (let j = 0; j < z.length; j++) {
    const exact = p - 100 * sigmoid(s - model.weights[j + 1]! * z[j]!);
    if (!(Math.abs(exact) > 1e-9)) continue;
    let at = top.length;
    while (at > 0 && Math.abs(top[at - 1]!.exact) < Math.abs(exact)) at--;
    if (at < 3) {
      top.splice(at, 0, { j, exact });
      if (top.length > 3) top.pop();
    }
  }
  const effects = top.map(({ j, exact }) => ({ feature: FEATURES[j]!, exact, effect: Math.round(exact) === 0 ? 0 : Math.round(exact) }));
  return {
    customerId: t.id,
    name: t.name,
    score,
    band: score >= bands.highFrom ? 'high' : score >= bands.mediumFrom ? 'medium' : 'low',
    factors: effects.map((e) => ({ factor: e.feature, effect: e.effect, text: factorText(factWords(e.feature, facts, currency), e.effect, e.exact) })),
  };
}

/** Medium from 1.5 times the usual rate, high from 3 times (at least 5 and 10 points; high at most 50). */
function bandsFor(baseRate: number): { mediumFrom: number; highFrom: number } {
  const mediumFrom = Math.min(45, Math.max(5, Math.round(1.5 * baseRate)));
  const highFrom = Math.max(mediumFrom + 5, Math.min(50, Math.round(3 * baseRate)));
  return { mediumFrom, highFrom };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;
