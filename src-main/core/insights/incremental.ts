import {
  bandOf,
  churnState,
  churnStateFromScores,
  churnStateWith,
  firstDayOf,
  heldOutDay,
  mergeScores,
  modelHolds,
  modelHoldsFor,
  scoreWith,
  type ChurnScore,
  updateChurnState,
  type ChurnModelState,
  type ChurnState,
  type TimelineChange,
} from '@shared/insights/churn';
import { addDays, toDayNumber } from '@shared/domain/dates';
import { mrrAt, type CustomerTimeline, type InsightLedger } from '@shared/insights/features';
import { ltvDayOf, ltvState, ltvStateFromDay, ltvStateNear, updateLtvState, type LtvState } from '@shared/insights/ltv';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import {
  decodeScores,
  encodeScores,
  readSnapshot,
  readSnapshotDay,
  readSnapshotHead,
  readSnapshotOrder,
  readTimelinesOf,
  snapshotSeq,
  writeSnapshot,
  type SnapshotDay,
  type SnapshotHead,
} from './snapshot';
import { loadCustomerTimelines, loadInsightLedger, loadLedgerAndRowids, withHistoryAgain } from './fast-books';
import { readCatalog, resolveChanged, type Catalog } from './catalog';

// The churn and LTV ledger, and the churn model and scores, kept on this connection between questions and
// brought up to date from the customers changed since (insight_changes, migration 0024: a counter set by
// triggers in the same transaction as every write that moves a customer's inputs). The common case: the
// owner opens the app after a few writes; a few timelines are rebuilt and scored, the model is kept when
// what it learned from did not move (updateChurnState). One ledger serves every as-of date (its timelines
// hold every date; the models never look past their as-of date), so a new day scores everyone again with the
// same model (it changes once a month, churn.ts) without reading the books again. A new run answers from the
// snapshot the last one left in the file (snapshot.ts): its answers of the day when it has them (quickAnswers),
// else its timelines. The answers are exactly those of a
// computation from scratch (tests/unit/insights/incremental.test.ts, property).

/** Above this share of the customers changed, the ledger is read whole (one scan beats many lookups). */
const WHOLE_ABOVE = 0.25;
/**
 * The same for a new run from the file's snapshot: its unchanged customers come in the books' order from the
 * snapshot itself (snapshot.ts), so it pays up to half. A coupon held by 25,416 of 100,000 customers (CPU, load 8):
 * 2.8 s from the snapshot against 3.6 s read whole.
 */
const RESTORE_WHOLE_ABOVE = 0.5;
/** Change batches kept for a churn state that missed some (each: the customers' timelines before and after). */
const BATCHES_KEPT = 16;
/** The snapshot in the file is written again when this share of the customers (at least SNAPSHOT_MIN) changed since. */
const SNAPSHOT_STALE = 0.005;
const SNAPSHOT_MIN = 50;
/** The as-of date of a ledger that is not cut: every date is in it. */
export const EVERY_DATE = '9999-12-31';

interface LedgerState {
  /** The largest insight_changes.seq read into this ledger. */
  seq: number;
  generation: number;
  ledger: InsightLedger;
  /** Each timeline's customer rowid (ascending: the books' order), kept with the snapshot. */
  rowids: Float64Array;
  /** Each customer's place in the ledger, made when first asked for (`placeOf`): a new run's answers need none. */
  index: Map<string, number> | null;
  /** The changes that made each generation from the one before (null: read whole), the last BATCHES_KEPT. */
  batches: { generation: number; changes: TimelineChange[] | null }[];
  /** The churn and LTV answers kept, by as-of date and today (the newest last). */
  churn: Map<string, { generation: number; state: ChurnState }>;
  ltv: Map<string, { generation: number; state: LtvState }>;
  /** The file's snapshot this ledger started from, with the customers changed since it (until a churn answer used it). */
  restored: { model: ChurnModelState | null; changes: TimelineChange[] } | null;
  /**
   * The same for LTV, kept while the ledger is the one restored (its generation): the snapshot's head (its days' LTV
   * churn counts) and the customers changed since it.
   */
  restoredLtv: { generation: number; head: SnapshotHead; changes: TimelineChange[] } | null;
  /** The MRR at the end of days the forecast asked for (day number: sum), of a generation (forecast-mrr.ts). */
  mrr: { generation: number; sums: Map<number, number> } | null;
  /** The plans, coupons and currency the timelines were built with (catalog.ts; undefined: unknown, a '*' reads whole). */
  catalog: Catalog | undefined;
  /** The seq of the snapshot in the file as this connection last knew it, and the model written there. */
  snapshot: { seq: number | null; model: ChurnModelState | null; lastDay?: string | undefined };
}

const kept = new WeakMap<BusinessDb['sqlite'], LedgerState>();

/** What the last questions cost (how a test and the bench see that the incremental path was taken). */
export const incrementalStats = {
  ledgerWhole: 0,
  ledgerRestored: 0,
  ledgerCustomers: 0,
  /** Customers moved only by a plan or coupon whose history alone was read again (a new run from the snapshot). */
  ledgerHistoryOnly: 0,
  churnWhole: 0,
  churnRetrained: 0,
  churnRescored: 0,
  churnNewDay: 0,
  churnRestored: 0,
  ltvWhole: 0,
  ltvUpdated: 0,
  /** LTV answers of a restored ledger from the snapshot's nearest day (not counted whole). */
  ltvNear: 0,
  snapshotsWritten: 0,
  quickAnswers: 0,
};

const maxSeq = (db: BusinessDb) => (stmt(db.sqlite, 'SELECT coalesce(max(seq), 0) FROM insight_changes').pluck().get() as number) ?? 0;

/** The ledger as of a date, up to date with the books: rebuilt only for the customers changed since it was last asked for. */
export function maintainedLedger(db: BusinessDb, asOf: string): InsightLedger {
  // Inside a transaction the rows (and their seq) may yet roll back: read whole, keep nothing.
  if (db.sqlite.inTransaction) return loadInsightLedger(db, asOf);
  return ledgerState(db).ledger;
}

/** The kept ledger of this connection (every date), up to date with the books. */
export function ledgerState(db: BusinessDb): LedgerState {
  const prev = kept.get(db.sqlite);
  // Read before the books: a write landing in between is above it, and read again next time.
  const seq = maxSeq(db);
  if (prev && prev.seq === seq) return prev;
  // The snapshot's parts (its seq, timelines, the changes since) are read in one read transaction: another
  // connection may write a newer snapshot meanwhile.
  const state = (prev && updated(db, prev, seq)) || (!prev && db.sqlite.transaction(() => restored(db, seq))()) || whole(db, seq, prev);
  kept.set(db.sqlite, state);
  return state;
}

function whole(db: BusinessDb, seq: number, prev: LedgerState | undefined): LedgerState {
  incrementalStats.ledgerWhole++;
  // Before the timelines: a plan or coupon written after this read has a seq above `seq` (catalog.ts).
  const catalog = readCatalog(db);
  const { ledger, rowids } = loadLedgerAndRowids(db, EVERY_DATE);
  const generation = (prev?.generation ?? 0) + 1;
  return {
    seq,
    generation,
    ledger,
    rowids,
    index: null,
    batches: [{ generation, changes: null }],
    churn: prev?.churn ?? new Map(),
    ltv: prev?.ltv ?? new Map(),
    restored: null,
    restoredLtv: null,
    catalog,
    mrr: prev?.mrr ?? null,
    snapshot: prev?.snapshot ?? { seq: snapshotSeq(db), model: null },
  };
}

/** The ledger from the file's snapshot, with the customers changed since built again from the books. */
function restored(db: BusinessDb, seq: number): LedgerState | null {
  const head = readSnapshotHead(db);
  if (!head) return null;
  // The customers not changed since in the books' order (by the rowids kept with them, snapshot.ts), names and
  // segments included (a rename is a change since); the changed ones from the books, placed by their rowids now.
  const snap = readSnapshot(db, head, RESTORE_WHOLE_ABOVE, (ids, was) => resolveChanged(db, ids, was));
  if (!snap) return null;
  incrementalStats.ledgerRestored++;
  incrementalStats.ledgerCustomers += snap.changed.length;
  // Those moved only by a plan or coupon (a quarter of them for a coupon's months): their history read again, their
  // name, segment, lists and rowid as the snapshot has them (none of them written since: catalog.ts). The others
  // (written since) from the books, placed by their rowids now.
  const byCatalog = new Set(snap.byCatalog.filter((id) => snap.before.has(id)));
  const others = byCatalog.size === 0 ? snap.changed : snap.changed.filter((id) => !byCatalog.has(id));
  incrementalStats.ledgerHistoryOnly += byCatalog.size;
  const fresh = new Map(loadCustomerTimelines(db, others, EVERY_DATE).map((t) => [t.id, t]));
  const now = stmt(db.sqlite, 'SELECT rowid, id FROM customers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY rowid').raw(true).all(JSON.stringify(others)) as [number, string][];
  const placed: [number, CustomerTimeline][] = [];
  for (const [rowid, id] of now) {
    const t = fresh.get(id);
    // In the books but not built (added after the seq was read): read whole rather than miss it.
    if (!t) return null;
    placed.push([rowid, t]);
  }
  if (byCatalog.size > 0) {
    for (const t of withHistoryAgain(db, [...byCatalog].map((id) => snap.before.get(id)!))) {
      fresh.set(t.id, t);
      placed.push([snap.beforeRowids.get(t.id)!, t]);
    }
    placed.sort((x, y) => x[0] - y[0]);
  }
  const { timelines, rowids } = mergeByRowid(snap.timelines, snap.rowids, placed);
  // Each changed customer's timeline in the snapshot (what the model learned from) and now.
  const changes: TimelineChange[] = [];
  for (const id of snap.changed) {
    const change = { before: snap.before.get(id) ?? null, after: fresh.get(id) ?? null };
    if (change.before || change.after) changes.push(change);
  }
  const ledger = { currency: businessCurrency(db), timelines };
  return {
    seq,
    generation: 1,
    ledger,
    rowids,
    index: null,
    batches: [{ generation: 1, changes: null }],
    churn: new Map(),
    ltv: new Map(),
    restored: { model: snap.model, changes },
    restoredLtv: { generation: 1, head, changes },
    catalog: snap.catalog,
    mrr: { generation: 1, sums: restoredSums(snap.mrr, changes) },
    snapshot: { seq: snap.seq, model: snap.model, lastDay: snap.days.at(-1)?.asOf },
  };
}

/** Timelines in the books' order (`rowids` ascending) merged with others placed by rowid (ascending): one order. */
export function mergeByRowid(
  timelines: readonly CustomerTimeline[],
  rowids: Float64Array,
  placed: readonly (readonly [number, CustomerTimeline])[],
): { timelines: CustomerTimeline[]; rowids: Float64Array } {
  const outT: CustomerTimeline[] = new Array(timelines.length + placed.length);
  const outR = new Float64Array(timelines.length + placed.length);
  let j = 0;
  let o = 0;
  for (let i = 0; i < timelines.length; i++) {
    const r = rowids[i]!;
    while (j < placed.length && placed[j]![0] < r) {
      outR[o] = placed[j]![0];
      outT[o++] = placed[j++]![1];
    }
    outR[o] = r;
    outT[o++] = timelines[i]!;
  }
  for (; j < placed.length; j++) {
    outR[o] = placed[j]![0];
    outT[o++] = placed[j]![1];
  }
  return { timelines: outT, rowids: outR };
}

/** The snapshot's MRR sums, less the changed customers' stretches there, plus their stretches now. */
function restoredSums(sums: readonly [number, number][], changes: readonly TimelineChange[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const [d, sum] of sums) {
    let next = sum;
    for (const { before, after } of changes) next += (after ? mrrAt(after, d) : 0) - (before ? mrrAt(before, d) : 0);
    out.set(d, next);
  }
  return out;
}

function updated(db: BusinessDb, prev: LedgerState, seq: number): LedgerState | null {
  const seen = stmt(db.sqlite, 'SELECT customer_id FROM insight_changes WHERE seq > ? ORDER BY seq').pluck().all(prev.seq) as string[];
  // A plan, coupon or currency written ('*'): the customers whose history names a plan or coupon that moved.
  const resolved = resolveChanged(db, seen, prev.catalog);
  if (!resolved || resolved.ids.length > WHOLE_ABOVE * Math.max(1, prev.ledger.timelines.length)) return null;
  const { ids, catalog } = resolved;
  // Another currency: the timelines hold (no amount in them is converted), the answers do not (their currency, the
  // churn model's): computed again from the ledger kept (changes unknown), not read again from the books.
  const currency = resolved.currencyMoved ? businessCurrency(db) : prev.ledger.currency;
  incrementalStats.ledgerCustomers += ids.length;
  const fresh = new Map(loadCustomerTimelines(db, ids, EVERY_DATE).map((t) => [t.id, t]));
  const old = prev.ledger.timelines;
  const changes: TimelineChange[] = [];
  for (const id of ids) {
    const at = placeOf(prev).get(id);
    const change = { before: at === undefined ? null : old[at]!, after: fresh.get(id) ?? null };
    if (change.before || change.after) changes.push(change);
  }
  let timelines: CustomerTimeline[];
  let index = placeOf(prev);
  let rowids = prev.rowids;
  if (changes.every((c) => (c.before === null) === (c.after === null))) {
    // Same customers: each in its place (the books' order, by rowid, does not move on an update).
    timelines = old.slice();
    for (const c of changes) if (c.after) timelines[index.get(c.after.id)!] = c.after;
  } else {
    // Customers added or deleted: the order read again (ids only), the timelines of the others kept.
    const order = stmt(db.sqlite, 'SELECT rowid, id FROM customers ORDER BY rowid').raw(true).all() as [number, string][];
    timelines = [];
    for (const [, id] of order) {
      const at = placeOf(prev).get(id);
      const t = fresh.get(id) ?? (at !== undefined ? old[at]! : undefined);
      if (t) timelines.push(t);
    }
    // A customer added after `seq` was read is in neither: read whole rather than miss it.
    if (timelines.length !== order.length) return null;
    rowids = Float64Array.from(order, (o) => o[0]);
    index = indexOf(timelines);
  }
  const generation = prev.generation + 1;
  const batches = [...prev.batches, { generation, changes: resolved.currencyMoved ? null : changes }].slice(-BATCHES_KEPT);
  return { ...prev, seq, generation, ledger: { currency, timelines }, rowids, index, batches, catalog };
}

/** Each customer's place in the ledger (made once per ledger state). */
function placeOf(state: LedgerState): Map<string, number> {
  return (state.index ??= indexOf(state.ledger.timelines));
}

function indexOf(timelines: readonly CustomerTimeline[]): Map<string, number> {
  const index = new Map<string, number>();
  timelines.forEach((t, i) => index.set(t.id, i));
  return index;
}

/** At most this many customers changed since the snapshot for a new run to answer from its days ahead (more: the ledger). */
const QUICK_CHANGED = 0.02;
const QUICK_MIN = 200;

/** A new run's answers as of a day read from the snapshot's days ahead (`quickAnswers`). */
export interface QuickAnswers {
  churn: ChurnState;
  ltv: LtvState;
}

const quickKept = new WeakMap<BusinessDb['sqlite'], { seq: number; key: string; answers: QuickAnswers | null }>();

/**
 * The churn and LTV answers as of a day on a connection that has not built its ledger (a new run), from the
 * snapshot's answers of that day: its scores less the customers changed since, plus those scored again from the
 * books with the snapshot's model when it holds for them, and its LTV counts and segment sums less their old
 * months plus their new ones. Exactly the answers of the books now (the property test). Null when the snapshot has
 * no such day, too many customers changed, the model does not hold, or the connection has its ledger: the caller
 * then takes the ledger's way (which reads the snapshot's timelines).
 */
export function quickAnswers(db: BusinessDb, asOf: string, today: string): QuickAnswers | null {
  if (db.sqlite.inTransaction || kept.has(db.sqlite)) return null;
  const seq = maxSeq(db);
  const key = `${asOf}:${today}`;
  const had = quickKept.get(db.sqlite);
  if (had?.seq === seq && had.key === key) return had.answers;
  const answers = quickFrom(db, asOf, today);
  quickKept.set(db.sqlite, { seq, key, answers });
  return answers;
}

/** The snapshot's head and the customers changed since (their timelines there and now), for a connection's seq. */
interface SnapshotDelta {
  head: SnapshotHead;
  changed: string[];
  changes: TimelineChange[];
  customerCount: number;
}

const deltas = new WeakMap<BusinessDb['sqlite'], { seq: number; delta: SnapshotDelta | null }>();

function snapshotDelta(db: BusinessDb): SnapshotDelta | null {
  const seq = maxSeq(db);
  const had = deltas.get(db.sqlite);
  if (had?.seq === seq) return had.delta;
  // One read transaction (see ledgerState).
  const delta = db.sqlite.transaction(() => deltaFrom(db))();
  deltas.set(db.sqlite, { seq, delta });
  return delta;
}

function deltaFrom(db: BusinessDb): SnapshotDelta | null {
  const head = readSnapshotHead(db);
  if (!head) return null;
  const seen = stmt(db.sqlite, 'SELECT customer_id FROM insight_changes WHERE seq > ?').pluck().all(head.seq) as string[];
  const customerCount = stmt(db.sqlite, 'SELECT count(*) FROM customers').pluck().get() as number;
  // A plan, coupon or currency written since ('*'): the customers it moved (catalog.ts).
  const changed = resolveChanged(db, seen, head.catalog)?.ids;
  if (!changed || changed.length > Math.max(QUICK_MIN, QUICK_CHANGED * customerCount)) return null;
  const before = readTimelinesOf(db, changed);
  const after = new Map(loadCustomerTimelines(db, changed, EVERY_DATE).map((t) => [t.id, t]));
  const changes: TimelineChange[] = [];
  for (const id of changed) {
    const change = { before: before.get(id) ?? null, after: after.get(id) ?? null };
    if (change.before || change.after) changes.push(change);
  }
  return { head, changed, changes, customerCount };
}

/** On a connection without its ledger: the MRR at the end of each of `days` from the snapshot's sums, if it has them all. */
export function quickMrr(db: BusinessDb, days: readonly number[]): number[] | null {
  if (db.sqlite.inTransaction || kept.has(db.sqlite)) return null;
  const delta = snapshotDelta(db);
  if (!delta) return null;
  const sums = new Map(delta.head.mrr);
  if (!days.every((d) => sums.has(d))) return null;
  const wanted = days.map((d) => [d, sums.get(d)!] as [number, number]);
  const now = restoredSums(wanted, delta.changes);
  return days.map((d) => now.get(d)!);
}

function quickFrom(db: BusinessDb, asOf: string, today: string): QuickAnswers | null {
  const delta = snapshotDelta(db);
  const model = delta?.head.model;
  if (!delta || !model?.trained) return null;
  const { head, changed, changes, customerCount } = delta;
  // The day's answers and the order they index, rows of their own (of the head's seq: not a snapshot written since).
  const day = readSnapshotDay(db, head, asOf, today);
  const order = day && readSnapshotOrder(db, head);
  if (!day || !order) return null;
  const a = toDayNumber(asOf);
  // The earliest first day now: the snapshot's, unless a changed customer had it (then unknown without everyone).
  let first = day.first ?? Number.POSITIVE_INFINITY;
  for (const { before: b } of changes) if (b && b.firstDay <= a && b.firstDay === first) return null;
  for (const { after: t } of changes) if (t && t.firstDay <= a && t.firstDay < first) first = t.firstDay;
  const currency = businessCurrency(db);
  if (!modelHoldsFor(model, { currency, first, customerCount }, a, changes)) return null;
  const m = { ...model, customerCount };
  const pairs = decodeScores(day.scores);
  const gone = new Set(changed);
  const kept: ChurnScore[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const id = order[pairs[i]!]!;
    if (!gone.has(id)) kept.push({ id, score: pairs[i + 1]!, band: bandOf(m, pairs[i + 1]!) });
  }
  const fresh: ChurnScore[] = [];
  for (const { after: t } of changes) {
    const s = t && scoreWith(m, t, a);
    if (s) fresh.push(s);
  }
  const churn = churnStateFromScores({ asOf, today }, currency, first, m, mergeScores(kept, fresh));
  if (!churn) return null;
  incrementalStats.quickAnswers++;
  return { churn, ltv: ltvStateFromDay(day.ltv, { asOf, today }, currency, changes) };
}

/** The newest entry of a map kept newest last, and the entry of `key`. */
function keep<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  // One as-of date besides the newest (a past date asked now and then): the others are let go.
  while (map.size > 2) map.delete(map.keys().next().value!);
}

/** Churn risk as of a date, kept between questions: the model kept and only what changed scored again when it can be. */
export function maintainedChurnState(db: BusinessDb, asOf: string, today: string): ChurnState {
  if (db.sqlite.inTransaction) return churnState(loadInsightLedger(db, asOf), { asOf, today });
  const ledger = ledgerState(db);
  const key = `${asOf}:${today}`;
  const opts = { asOf, today };
  const same = ledger.churn.get(key);
  if (same?.generation === ledger.generation) return same.state;
  // This date's answer of an earlier generation, else the newest of another date (its model may hold here too).
  const prev = same ?? [...ledger.churn.values()].at(-1);
  const changes = prev ? changesSince(ledger, prev.generation) : null;
  let state: ChurnState;
  if (prev && changes) {
    const next = updateChurnState(prev.state, ledger.ledger, changes, opts);
    if (next.retrained) incrementalStats.churnRetrained++;
    else if (prev.state.asOf !== asOf) incrementalStats.churnNewDay++;
    else incrementalStats.churnRescored += changes.length;
    state = next.state;
  } else if (ledger.restored?.model && modelHolds(ledger.restored.model, ledger.ledger, toDayNumber(asOf), ledger.restored.changes)) {
    incrementalStats.churnRestored++;
    state = churnStateWith(ledger.ledger, opts, { ...ledger.restored.model, customerCount: ledger.ledger.timelines.length });
  } else {
    incrementalStats.churnWhole++;
    state = churnState(ledger.ledger, opts);
  }
  ledger.restored = null;
  keep(ledger.churn, key, { generation: ledger.generation, state });
  return state;
}

/** Lifetime values as of a date, kept between questions: the changed customers looked at again (all when a churn count moved). */
export function maintainedLtvState(db: BusinessDb, asOf: string, today: string): LtvState {
  if (db.sqlite.inTransaction) return ltvState(loadInsightLedger(db, asOf), { asOf, today });
  const ledger = ledgerState(db);
  const key = `${asOf}:${today}`;
  const prev = ledger.ltv.get(key);
  let state: LtvState;
  if (prev?.generation === ledger.generation) state = prev.state;
  else {
    const changes = prev ? changesSince(ledger, prev.generation) : null;
    if (prev && changes) {
      incrementalStats.ltvUpdated++;
      state = updateLtvState(prev.state, ledger.ledger, changes);
    } else {
      const near = ltvNearSnapshot(db, ledger, asOf, today);
      if (near) state = near;
      else {
        incrementalStats.ltvWhole++;
        state = ltvState(ledger.ledger, { asOf, today });
      }
    }
  }
  keep(ledger.ltv, key, { generation: ledger.generation, state });
  return state;
}

/**
 * A restored ledger's first LTV answer of a day from the churn counts of the snapshot's nearest day (`ltvStateNear`:
 * only the months that differ counted for everyone), null when the ledger is not the restored one or the day's row
 * is not the snapshot's any more (another run wrote one since).
 */
function ltvNearSnapshot(db: BusinessDb, ledger: LedgerState, asOf: string, today: string): LtvState | null {
  const from = ledger.restoredLtv;
  if (!from || from.generation !== ledger.generation || asOf > today) return null;
  const { head } = from;
  // The newest day answered up to asOf (else the oldest): the fewest months apart.
  const near = head.days.filter((d) => d.asOf <= asOf && d.asOf <= d.today).at(-1) ?? head.days.find((d) => d.asOf <= d.today);
  const day = near && readSnapshotDay(db, head, near.asOf, near.today);
  if (!day) return null;
  incrementalStats.ltvNear++;
  return ltvStateNear(day.ltv, day.asOf, ledger.ledger, { asOf, today }, from.changes);
}

/** A customer's timeline in the kept ledger (undefined: not a customer); from the books when the connection has no ledger. */
export function keptTimeline(db: BusinessDb, customerId: string): CustomerTimeline | undefined {
  if (!kept.has(db.sqlite)) return loadCustomerTimelines(db, [customerId], EVERY_DATE)[0];
  const ledger = ledgerState(db);
  // One customer: looked for (a millisecond at 100,000) unless the index is made; making it is a map of every id.
  if (!ledger.index) return ledger.ledger.timelines.find((t) => t.id === customerId);
  const at = ledger.index.get(customerId);
  return at === undefined ? undefined : ledger.ledger.timelines[at];
}

/** Each customer changed after `generation`, with its timeline then and now (null when the ledger was read whole since). */
export function changesSince(ledger: LedgerState, generation: number): TimelineChange[] | null {
  const later = ledger.batches.filter((b) => b.generation > generation);
  if (later.length !== ledger.generation - generation || later.some((b) => b.changes === null)) return null;
  const byId = new Map<string, TimelineChange>();
  for (const b of later) {
    for (const c of b.changes!) {
      const id = (c.before ?? c.after)!.id;
      const seen = byId.get(id);
      byId.set(id, { before: seen ? seen.before : c.before, after: c.after });
    }
  }
  return [...byId.values()];
}

/** Days after the newest answer's answered ahead: the next morning, after a weekend or a week closed, reads them (the
 * snapshot is written again once the newest answer is past its last day). */
const DAYS_AHEAD = 10;
const DAYS_BEFORE = 2;

/**
 * The answers of the days from the oldest kept answer of this ledger (at most DAYS_BEFORE days before the newest)
 * to DAYS_AHEAD days after the newest (those
 * with the newest answer's model), for the snapshot: a new run on one of those days reads them instead of the
 * timelines (`quickAnswers`).
 */
function comingDays(ledger: LedgerState, newest: ChurnState): SnapshotDay[] {
  const model = newest.model;
  if (!model?.trained || newest.today === undefined || !newest.head.ready) return [];
  const { timelines } = ledger.ledger;
  const current = [...ledger.churn.values()].filter((c) => c.generation === ledger.generation && c.state.today !== undefined).map((c) => c.state);
  // From the oldest answer kept of this ledger (a past date asked now and then is not: at most DAYS_BEFORE back).
  const from = addDays(newest.asOf, -DAYS_BEFORE);
  const oldest = current.reduce((o, c) => (c.asOf < o.asOf && c.asOf >= from ? c : o), newest);
  const shift = (toDayNumber(newest.today) - toDayNumber(newest.asOf)) | 0;
  const days: SnapshotDay[] = [];
  for (let asOf = oldest.asOf; asOf <= addDays(newest.asOf, DAYS_AHEAD); asOf = addDays(asOf, 1)) {
    const today = addDays(asOf, shift);
    const a = toDayNumber(asOf);
    if (heldOutDay(a) !== model.heldOut) continue;
    const known = current.find((c) => c.asOf === asOf && c.today === today && c.model?.trained === model.trained);
    const churn = known ?? churnStateWith(ledger.ledger, { asOf, today }, model);
    if (!churn.head.ready) continue;
    const pairs: number[] = [];
    for (const c of churn.scores) pairs.push(placeOf(ledger).get(c.id)!, c.score);
    const first = firstDayOf(timelines, a);
    days.push({ asOf, today, first: Number.isFinite(first) ? first : null, scores: encodeScores(pairs), ltv: ltvDayOf(ltvState(ledger.ledger, { asOf, today })) });
  }
  return days;
}

/**
 * Writes this connection's ledger and newest churn model to the file's snapshot when the one there is missing,
 * of another model, or behind by more than a few customers (`evenIfClose`: behind at all). The insights worker
 * calls it when idle. Returns whether it wrote.
 */
export function saveSnapshot(db: BusinessDb, opts: { evenIfClose?: boolean } = {}): boolean {
  const ledger = kept.get(db.sqlite);
  if (!ledger || db.sqlite.inTransaction || !db.sqlite.open) return false;
  // The model of the newest churn answer, if it is of this ledger (else none is known to hold for it yet).
  const newest = [...ledger.churn.values()].at(-1);
  if (!newest || newest.generation !== ledger.generation) return false;
  const model = newest.state.model;
  const { snapshot } = ledger;
  if (snapshot.seq !== null && snapshot.seq > ledger.seq) return false;
  const sameModel = model === snapshot.model || (model !== null && snapshot.model !== null && model.trained === snapshot.model.trained && model.heldOut === snapshot.model.heldOut);
  // The days answered ahead there still cover the day after the newest answer's.
  const covered = snapshot.lastDay !== undefined && snapshot.lastDay > newest.state.asOf;
  if (snapshot.seq !== null && sameModel && covered && !opts.evenIfClose) {
    const behind = stmt(db.sqlite, 'SELECT count(*) FROM insight_changes WHERE seq > ?').pluck().get(snapshot.seq) as number;
    if (behind < Math.max(SNAPSHOT_MIN, SNAPSHOT_STALE * ledger.ledger.timelines.length)) return false;
  }
  const days = comingDays(ledger, newest.state);
  // The forecast's month ends of the days ahead (the last day of the month before each): a new month asks one more.
  if (ledger.mrr?.generation !== ledger.generation) ledger.mrr = { generation: ledger.generation, sums: new Map() };
  for (const day of days) {
    const end = toDayNumber(`${day.asOf.slice(0, 8)}01`) - 1;
    if (!ledger.mrr.sums.has(end)) {
      let sum = 0;
      for (const t of ledger.ledger.timelines) sum += mrrAt(t, end);
      ledger.mrr.sums.set(end, sum);
    }
  }
  const mrr = [...ledger.mrr.sums];
  // The customers' ids in the ledger's order, what the days' scores index (none without days).
  const order = days.length > 0 ? ledger.ledger.timelines.map((t) => t.id) : [];
  const wrote = writeSnapshot(db, ledger.seq, ledger.ledger, { model, mrr, catalog: ledger.catalog, order, rowids: ledger.rowids, days });
  if (wrote) {
    incrementalStats.snapshotsWritten++;
    ledger.snapshot = { seq: ledger.seq, model, lastDay: days.at(-1)?.asOf };
  } else ledger.snapshot = { ...ledger.snapshot, seq: snapshotSeq(db) };
  return wrote;
}
