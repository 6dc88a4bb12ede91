import { churnState, updateChurnState, type ChurnResult, type ChurnState, type TimelineChange } from '@shared/insights/churn';
import type { CustomerTimeline, InsightLedger } from '@shared/insights/features';
import { ltvState, updateLtvState, type LtvResult, type LtvState } from '@shared/insights/ltv';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import { loadCustomerTimelines, loadInsightLedger } from './fast-books';

// The churn and LTV ledger, and the churn model and scores, kept on this connection between questions and
// brought up to date from the customers changed since (insight_changes, migration 0024: a counter set by
// triggers in the same transaction as every write that moves a customer's inputs). The common case: the
// owner opens the app after a few writes; a few timelines are rebuilt and scored, the model is kept when
// what it learned from did not move (updateChurnState). The answers are exactly those of a computation
// from scratch (tests/unit/insights/incremental.test.ts, property).

/** Above this share of the customers changed, the ledger is read whole (one scan beats many lookups). */
const WHOLE_ABOVE = 0.25;
/** Change batches kept for a churn state that missed some (each: the customers' timelines before and after). */
const BATCHES_KEPT = 16;

interface LedgerState {
  /** The largest insight_changes.seq read into this ledger. */
  seq: number;
  generation: number;
  ledger: InsightLedger;
  index: Map<string, number>;
  /** The changes that made each generation from the one before (null: read whole), the last BATCHES_KEPT. */
  batches: { generation: number; changes: TimelineChange[] | null }[];
  churn: Map<string, { generation: number; state: ChurnState }>;
  ltv: Map<string, { generation: number; state: LtvState }>;
}

const kept = new WeakMap<BusinessDb['sqlite'], Map<string, LedgerState>>();

/** What the last questions cost (how a test and the bench see that the incremental path was taken). */
export const incrementalStats = { ledgerWhole: 0, ledgerCustomers: 0, churnWhole: 0, churnRetrained: 0, churnRescored: 0, ltvWhole: 0, ltvUpdated: 0 };

const maxSeq = (db: BusinessDb) => (stmt(db.sqlite, 'SELECT coalesce(max(seq), 0) FROM insight_changes').pluck().get() as number) ?? 0;

/** The ledger as of a date, up to date with the books: rebuilt only for the customers changed since it was last asked for. */
export function maintainedLedger(db: BusinessDb, asOf: string): InsightLedger {
  // Inside a transaction the rows (and their seq) may yet roll back: read whole, keep nothing.
  if (db.sqlite.inTransaction) return loadInsightLedger(db, asOf);
  return ledgerState(db, asOf).ledger;
}

function ledgerState(db: BusinessDb, asOf: string): LedgerState {
  let states = kept.get(db.sqlite);
  if (!states) kept.set(db.sqlite, (states = new Map()));
  const prev = states.get(asOf);
  // Read before the books: a write landing in between is above it, and read again next time.
  const seq = maxSeq(db);
  if (prev && prev.seq === seq) return prev;
  const next = prev ? updated(db, asOf, prev, seq) : null;
  const state = next ?? whole(db, asOf, seq, prev);
  // One as-of date besides the newest (a past date asked now and then): the others are let go.
  states.delete(asOf);
  states.set(asOf, state);
  while (states.size > 2) states.delete(states.keys().next().value!);
  return state;
}

function whole(db: BusinessDb, asOf: string, seq: number, prev: LedgerState | undefined): LedgerState {
  incrementalStats.ledgerWhole++;
  const ledger = loadInsightLedger(db, asOf);
  const generation = (prev?.generation ?? 0) + 1;
  return { seq, generation, ledger, index: indexOf(ledger.timelines), batches: [{ generation, changes: null }], churn: prev?.churn ?? new Map(), ltv: prev?.ltv ?? new Map() };
}

function updated(db: BusinessDb, asOf: string, prev: LedgerState, seq: number): LedgerState | null {
  const ids = stmt(db.sqlite, 'SELECT customer_id FROM insight_changes WHERE seq > ? ORDER BY seq').pluck().all(prev.seq) as string[];
  if (ids.includes('*') || ids.length > WHOLE_ABOVE * Math.max(1, prev.ledger.timelines.length)) return null;
  if (businessCurrency(db) !== prev.ledger.currency) return null;
  incrementalStats.ledgerCustomers += ids.length;
  const fresh = new Map(loadCustomerTimelines(db, ids, asOf).map((t) => [t.id, t]));
  const old = prev.ledger.timelines;
  const changes: TimelineChange[] = [];
  for (const id of ids) {
    const at = prev.index.get(id);
    const change = { before: at === undefined ? null : old[at]!, after: fresh.get(id) ?? null };
    if (change.before || change.after) changes.push(change);
  }
  let timelines: CustomerTimeline[];
  let index = prev.index;
  if (changes.every((c) => (c.before === null) === (c.after === null))) {
    // Same customers: each in its place (the books' order, by rowid, does not move on an update).
    timelines = old.slice();
    for (const c of changes) if (c.after) timelines[prev.index.get(c.after.id)!] = c.after;
  } else {
    // Customers added or deleted: the order read again (ids only), the timelines of the others kept.
    const order = stmt(db.sqlite, 'SELECT id FROM customers ORDER BY rowid').pluck().all() as string[];
    timelines = [];
    for (const id of order) {
      const t = fresh.get(id) ?? (prev.index.has(id) ? old[prev.index.get(id)!]! : undefined);
      if (t) timelines.push(t);
    }
    // A customer added after `seq` was read is in neither: read whole rather than miss it.
    if (timelines.length !== order.length) return null;
    index = indexOf(timelines);
  }
  const generation = prev.generation + 1;
  const batches = [...prev.batches, { generation, changes }].slice(-BATCHES_KEPT);
  return { seq, generation, ledger: { currency: prev.ledger.currency, timelines }, index, batches, churn: prev.churn, ltv: prev.ltv };
}

function indexOf(timelines: readonly CustomerTimeline[]): Map<string, number> {
  const index = new Map<string, number>();
  timelines.forEach((t, i) => index.set(t.id, i));
  return index;
}

/** Churn risk as of a date, kept between questions: the model kept and the changed customers scored again when it can be. */
export function maintainedChurn(db: BusinessDb, asOf: string, today: string): ChurnResult {
  if (db.sqlite.inTransaction) return churnState(loadInsightLedger(db, asOf), { asOf, today }).result;
  const ledger = ledgerState(db, asOf);
  const key = today;
  const prev = ledger.churn.get(key);
  let state: ChurnState;
  if (prev?.generation === ledger.generation) state = prev.state;
  else {
    const changes = prev ? changesSince(ledger, prev.generation) : null;
    if (prev && changes) {
      const next = updateChurnState(prev.state, ledger.ledger, changes);
      if (next.retrained) incrementalStats.churnRetrained++;
      else incrementalStats.churnRescored += changes.length;
      state = next.state;
    } else {
      incrementalStats.churnWhole++;
      state = churnState(ledger.ledger, { asOf, today });
    }
  }
  ledger.churn.clear();
  ledger.churn.set(key, { generation: ledger.generation, state });
  return state.result;
}

/** Lifetime values as of a date, kept between questions: the changed customers valued again (all when a churn count moved). */
export function maintainedLtv(db: BusinessDb, asOf: string, today: string): LtvResult {
  if (db.sqlite.inTransaction) return ltvState(loadInsightLedger(db, asOf), { asOf, today }).result;
  const ledger = ledgerState(db, asOf);
  const prev = ledger.ltv.get(today);
  let state: LtvState;
  if (prev?.generation === ledger.generation) state = prev.state;
  else {
    const changes = prev ? changesSince(ledger, prev.generation) : null;
    if (prev && changes) {
      incrementalStats.ltvUpdated++;
      state = updateLtvState(prev.state, ledger.ledger, changes);
    } else {
      incrementalStats.ltvWhole++;
      state = ltvState(ledger.ledger, { asOf, today });
    }
  }
  ledger.ltv.clear();
  ledger.ltv.set(today, { generation: ledger.generation, state });
  return state.result;
}

/** Each customer changed after `generation`, with its timeline then and now (null when the ledger was read whole since). */
function changesSince(ledger: LedgerState, generation: number): TimelineChange[] | null {
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
