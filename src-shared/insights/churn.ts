import { fromDayNumber, isIsoDate, toDayNumber } from '../domain/dates';
import { addMonths } from '../domain/periods';
import { auc, fitLogistic, logOdds, logOddsOf, sigmoid, standardize, type LogisticModel } from './churn-math';
import { factorText, factWords, ruleWords } from './churn-explain';
import { factsAt, featureVector, FEATURES, goneAt, ledgerOf, type CustomerTimeline, type FeatureName, type InsightBooks, type InsightLedger } from './features';

// Churn risk (spec/insights.md): who is likely to cancel everything in the next 90 days.
// A logistic regression trained on the business's own past: on the first of each month,
// from the latest one at least 90 days before the as-of date, each paying customer's
// features then, labelled by whether they had canceled 90 days later. Its backtest holds
// out the last such date. Deterministic: fixed dates, no randomness, a sample (when the
// book is big) chosen by a hash of the id. The dates being months' firsts, the model is
// the same for every as-of date of a month (until the books it learned from change): a
// new day scores the customers again with it, and is not trained again.

export const CHURN_HORIZON_DAYS = 90;
export const MIN_HISTORY_MONTHS = 6;
export const MIN_CUSTOMERS_WHO_LEFT = 20;
/** Past dates to learn from: the first of each month, at most this many. */
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
  const result = churnResult(churnState(ledgerOf(books), opts));
  return opts.top === undefined ? result : { ...result, customers: result.customers.slice(0, opts.top) };
}

/**
 * What the model learned, and from what: everything of a churn answer that depends on the books up to its
 * latest training date (the first of a month at least 90 days before the as-of date), not on the as-of date
 * itself. The same model serves every as-of date of a month (only the customers' scores move day by day), is
 * kept by a caller between questions (`updateChurnState`) and stored in the file between runs
 * (core/insights/persisted.ts).
 */
export interface ChurnModelState {
  /** The latest training date (day number), the earliest first day, the customers (the sample's share) and the currency. */
  heldOut: number;
  first: number;
  customerCount: number;
  currency: string;
  /** Customers who left within 90 days of a training date, and customer-dates that stayed. */
  left: number;
  stayed: number;
  trained: { model: LogisticModel; bands: { mediumFrom: number; highFrom: number }; info: ChurnModelInfo } | null;
}

/** A paying customer's score at the as-of date; its factors are put in words only when asked for (`churnEntries`). */
export interface ChurnScore {
  id: string;
  /** The customer's timeline (absent in an answer read from a snapshot: the entry's words read it from the books). */
  t?: CustomerTimeline;
  score: number;
  band: ChurnBand;
}

/**
 * What a churn answer was computed from, kept by a caller that asks again after a few customers changed or a
 * day later (`updateChurnState`): the model and every paying customer's score, riskiest first.
 */
export interface ChurnState {
  asOf: string;
  today: string | undefined;
  currency: string;
  model: ChurnModelState | null;
  /** The answer without its customers: the model's description, or why there is none. */
  head: Omit<ChurnResult, 'customers'>;
  scores: ChurnScore[];
}

/** The latest date the model learns from, for an as-of day: the first of the month on or before 90 days before it. */
export function heldOutDay(a: number): number {
  return toDayNumber(`${fromDayNumber(a - CHURN_HORIZON_DAYS).slice(0, 8)}01`);
}

/** The model of a ledger for the training date `heldOut` (the books' earliest first day `first`), trained whole. */
export function churnModel(ledger: InsightLedger, heldOut: number, first: number): ChurnModelState {
  const { timelines, currency } = ledger;
  const base = { heldOut, first, customerCount: timelines.length, currency };
  if (!Number.isFinite(first)) return { ...base, left: 0, stayed: 0, trained: null };
  const trainDays = pastDates(heldOut, first);
  const samples = sample(timelines, trainDays);
  if (samples.left.size < MIN_CUSTOMERS_WHO_LEFT || samples.stayed === 0) return { ...base, left: samples.left.size, stayed: samples.stayed, trained: null };
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
    ...backtest(timelines, heldOut, first),
  };
  return { ...base, left: samples.left.size, stayed: samples.stayed, trained: { model, bands, info } };
}

/** The churn answer of a ledger, computed whole, with what `updateChurnState` needs to keep it up to date. */
export function churnState(ledger: InsightLedger, opts: ChurnOptions): ChurnState {
  return stateWith(ledger, opts, null, null);
}

/** The churn answer of a ledger with a model known to be the one it gives (`modelHolds`): every customer scored with it. */
export function churnStateWith(ledger: InsightLedger, opts: ChurnOptions, model: ChurnModelState): ChurnState {
  return stateWith(ledger, opts, model, null);
}

/**
 * The answer at `opts.asOf`, with `model` when it is the one the ledger gives (else trained here), and the
 * scores of `keep` (the customers whose score is known at this as-of date) reused, the others computed.
 */
function stateWith(ledger: InsightLedger, opts: ChurnOptions, model: ChurnModelState | null, keep: { scores: readonly ChurnScore[]; changed: ReadonlySet<string> } | null): ChurnState {
  const { asOf } = opts;
  if (!isIsoDate(asOf)) throw new RangeError(`asOf: expected a date as YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  const { timelines, currency } = ledger;
  const a = toDayNumber(asOf);
  const first = firstDayOf(timelines, a);
  const state = (head: Omit<ChurnResult, 'customers'>, m: ChurnModelState | null, scores: ChurnScore[] = []): ChurnState => ({ asOf, today: opts.today, currency, model: m, head, scores });
  const early = reasonBeforeModel(opts, first);
  if (early) return state({ asOf, model: null, ready: false, reason: early }, null);
  const m = model ?? churnModel(ledger, heldOutDay(a), first);
  const why = reasonWithModel(a, first, m);
  if (why || !m.trained) return state({ asOf, model: null, ready: false, reason: why ?? '' }, m);
  const { model: fitted, bands } = m.trained;
  const scores: ChurnScore[] = [];
  if (keep) {
    for (const s of keep.scores) if (!keep.changed.has(s.id)) scores.push(s);
    const fresh: ChurnScore[] = [];
    for (const t of timelines) {
      if (!keep.changed.has(t.id)) continue;
      const s = scoreOf(fitted, t, a, bands);
      if (s) fresh.push(s);
    }
    fresh.sort(riskiestFirst);
    return state({ asOf, model: m.trained.info, ready: true }, m, merged(scores, fresh));
  }
  for (const t of timelines) {
    const s = scoreOf(fitted, t, a, bands);
    if (s) scores.push(s);
  }
  scores.sort(riskiestFirst);
  return state({ asOf, model: m.trained.info, ready: true }, m, scores);
}

/** Why there is no churn answer before a model is looked at (a future date, no history), or null. */
function reasonBeforeModel(opts: ChurnOptions, first: number): string | null {
  const { asOf } = opts;
  if (opts.today && asOf > opts.today) return `${asOf} is in the future (today is ${opts.today}): churn risk is computed from the books up to today or a past date.`;
  if (!Number.isFinite(first)) return `Churn risk ${NEEDS}; there is no subscription history up to ${asOf} yet.`;
  return null;
}

/** Why the model gives no answer at the as-of day `a` (too little history, nobody who left or stayed), or null. */
function reasonWithModel(a: number, first: number, m: ChurnModelState): string | null {
  const months = Math.floor((a - first) / 30.44);
  if (months < MIN_HISTORY_MONTHS || m.left < MIN_CUSTOMERS_WHO_LEFT) {
    return `Churn risk ${NEEDS}; you have ${plural(months, 'month')} of history and ${m.left} who left within 90 days of a date the model could learn from.`;
  }
  if (m.stayed === 0 || !m.trained) return 'Every customer in your history canceled within 90 days: there is nobody who stayed to learn from.';
  return null;
}

const NEEDS = `needs ${MIN_HISTORY_MONTHS} months of history and ${MIN_CUSTOMERS_WHO_LEFT} customers who left`;

/**
 * A ready churn answer from scores computed elsewhere (a snapshot's, with the changed customers scored again by
 * `scoreWith`), for an as-of date, the books' earliest first day and a model that holds: null when that answer
 * would not be ready (the caller then computes it whole).
 */
export function churnStateFromScores(opts: ChurnOptions, currency: string, first: number, m: ChurnModelState, scores: ChurnScore[]): ChurnState | null {
  const a = toDayNumber(opts.asOf);
  if (reasonBeforeModel(opts, first) || reasonWithModel(a, first, m) || !m.trained) return null;
  return { asOf: opts.asOf, today: opts.today, currency, model: m, head: { asOf: opts.asOf, model: m.trained.info, ready: true }, scores };
}

/** A customer's score at day `a` with a trained model (null: not paying then). */
export function scoreWith(m: ChurnModelState, t: CustomerTimeline, a: number): ChurnScore | null {
  return m.trained ? scoreOf(m.trained.model, t, a, m.trained.bands) : null;
}

/** The band of a score under a trained model. */
export function bandOf(m: ChurnModelState, score: number): ChurnBand {
  const bands = m.trained!.bands;
  return score >= bands.highFrom ? 'high' : score >= bands.mediumFrom ? 'medium' : 'low';
}

/** Two lists riskiest first, as one (exported: a snapshot's scores and the changed customers' fresh ones). */
export function mergeScores(kept: readonly ChurnScore[], fresh: ChurnScore[]): ChurnScore[] {
  fresh.sort(riskiestFirst);
  return merged(kept, fresh);
}

/** Two lists riskiest first, as one. */
function merged(kept: readonly ChurnScore[], fresh: readonly ChurnScore[]): ChurnScore[] {
  const out: ChurnScore[] = [];
  let j = 0;
  for (const c of kept) {
    while (j < fresh.length && riskiestFirst(fresh[j]!, c) < 0) out.push(fresh[j++]!);
    out.push(c);
  }
  while (j < fresh.length) out.push(fresh[j++]!);
  return out;
}

/** A customer's timeline before and after a change (null: not in the books then). */
export interface TimelineChange {
  before: CustomerTimeline | null;
  after: CustomerTimeline | null;
}

/**
 * Whether `model` is the one `ledger` gives at the as-of day `a`, knowing that the ledger it was trained on
 * differs from this one only by `changes`: the same training date, earliest first day, currency and sample
 * shares, and each changed customer giving the same sampled rows and labels at every date the model and its
 * backtest learn from.
 */
export function modelHolds(model: ChurnModelState, ledger: InsightLedger, a: number, changes: readonly TimelineChange[]): boolean {
  return modelHoldsFor(model, { currency: ledger.currency, first: firstDayOf(ledger.timelines, a), customerCount: ledger.timelines.length }, a, changes);
}

/** `modelHolds` from what it reads of the ledger: its currency, earliest first day up to `a`, and number of customers. */
export function modelHoldsFor(model: ChurnModelState, books: { currency: string; first: number; customerCount: number }, a: number, changes: readonly TimelineChange[]): boolean {
  if (books.currency !== model.currency || heldOutDay(a) !== model.heldOut || books.first !== model.first) return false;
  if (!Number.isFinite(model.first)) return true;
  const lists = sampledDates(model.heldOut, model.first);
  for (const days of lists) if (shareOf(model.customerCount, days.length) !== shareOf(books.customerCount, days.length)) return false;
  for (const { before, after } of changes) {
    for (const days of lists) {
      const keep = shareOf(books.customerCount, days.length);
      for (let k = 0; k < days.length; k++) if (!sameSample(before, after, days[k]!, k, keep)) return false;
    }
  }
  return true;
}

/**
 * The churn state after some customers changed (and, with `opts`, at another as-of date): the same answer as
 * `churnState` of the new ledger, exactly. The model is kept when it holds (`modelHolds`); then only the
 * changed customers are scored again (every customer at a new as-of date). Otherwise it is computed whole.
 * `ledger` is the new one (the changes already in it, in the books' order).
 */
export function updateChurnState(prev: ChurnState, ledger: InsightLedger, changes: readonly TimelineChange[], opts?: ChurnOptions): { state: ChurnState; retrained: boolean } {
  const next = opts ?? { asOf: prev.asOf, ...(prev.today !== undefined ? { today: prev.today } : {}) };
  const a = toDayNumber(next.asOf);
  const model = prev.model && modelHolds(prev.model, ledger, a, changes) ? { ...prev.model, customerCount: ledger.timelines.length } : null;
  if (!model) return { state: churnState(ledger, next), retrained: true };
  if (next.asOf !== prev.asOf || next.today !== prev.today || !prev.head.ready) return { state: stateWith(ledger, next, model, null), retrained: false };
  const changed = new Set<string>();
  for (const { before, after } of changes) {
    if (before) changed.add(before.id);
    if (after) changed.add(after.id);
  }
  return { state: stateWith(ledger, next, model, { scores: prev.scores, changed }), retrained: false };
}

/** The dates the model (its own, its backtest's, and the backtest's held-out one) samples customers at. */
function sampledDates(heldOut: number, first: number): number[][] {
  return [pastDates(heldOut, first), pastDates(backtestLatest(heldOut), first), [heldOut]];
}

/** The customers' entries (score, band and top 3 factors in words) of some of the scores (`timelines`: those a score lacks). */
export function churnEntries(state: ChurnState, scores: readonly ChurnScore[], timelines?: ReadonlyMap<string, CustomerTimeline>): ChurnCustomer[] {
  const trained = state.model?.trained;
  if (!trained) return [];
  const a = toDayNumber(state.asOf);
  return scores.map((s) => explain(trained.model, s.t ?? timelines!.get(s.id)!, a, state.currency, trained.bands)!);
}

const results = new WeakMap<ChurnState, ChurnResult>();

/** The whole answer: every paying customer's entry, riskiest first (made once per state). */
export function churnResult(state: ChurnState): ChurnResult {
  let result = results.get(state);
  if (!result) results.set(state, (result = { ...state.head, customers: churnEntries(state, state.scores) }));
  return result;
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

/** The earliest first day of the timelines, up to the day `a` (Infinity: none). */
export function firstDayOf(timelines: readonly CustomerTimeline[], a: number): number {
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
function riskiestFirst(x: ChurnScore, y: ChurnScore): number {
  return y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
}

/** Dates to learn from: `latest` (the first of a month) and the first of each month before it, while customers had a month of history. */
function pastDates(latest: number, first: number): number[] {
  const days: number[] = [];
  const from = fromDayNumber(latest);
  for (let k = 0; k < TRAINING_DATES; k++) {
    const d = k === 0 ? latest : toDayNumber(addMonths(from, -k));
    if (d < first + 30) break;
    days.push(d);
  }
  return days;
}

/** The latest date the backtest's model learns from: a month's first at least 90 days before the held-out date. */
const backtestLatest = heldOutDay;

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
function backtest(timelines: readonly CustomerTimeline[], heldOut: number, first: number): Pick<ChurnModelInfo, 'heldOutAsOf' | 'auc' | 'baselineAuc' | 'baselineRule' | 'backtest'> {
  const none = (why: string) => ({ heldOutAsOf: fromDayNumber(heldOut), auc: null, baselineAuc: null, baselineRule: null, backtest: why });
  const train = sample(timelines, pastDates(backtestLatest(heldOut), first));
  if (train.left.size < MIN_CUSTOMERS_WHO_LEFT / 2 || train.stayed === 0) {
    return none(`Not enough history before ${fromDayNumber(backtestLatest(heldOut))} to test the model on a past date (${train.left.size} who left; it needs ${MIN_CUSTOMERS_WHO_LEFT / 2}).`);
  }
  const test = sample(timelines, [heldOut]);
  if (test.left.size === 0 || test.stayed === 0) return none(`Nobody ${test.left.size === 0 ? 'left' : 'stayed'} in the 90 days after ${fromDayNumber(heldOut)}: no test possible.`);
  const model = fitLogistic(train.rows, train.labels, L2);
  const scores = test.rows.map((x) => logOddsOf(model, x));
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

/** A customer's score at day `a` (null: not paying then). */
function scoreOf(model: LogisticModel, t: CustomerTimeline, a: number, bands: { mediumFrom: number; highFrom: number }): ChurnScore | null {
  const facts = factsAt(t, a);
  if (!facts) return null;
  const score = Math.round(100 * sigmoid(logOddsOf(model, featureVector(facts))));
  return { id: t.id, t, score, band: score >= bands.highFrom ? 'high' : score >= bands.mediumFrom ? 'medium' : 'low' };
}

function explain(model: LogisticModel, t: CustomerTimeline, a: number, currency: string, bands: { mediumFrom: number; highFrom: number }): ChurnCustomer | null {
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
