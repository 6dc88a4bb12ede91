import type { ChurnModelState } from '@shared/insights/churn';
import type { LtvDay } from '@shared/insights/ltv';
import { hash32 } from '@shared/insights/churn-math';
import type { CustomerTimeline, InsightLedger } from '@shared/insights/features';
import type { HistoryRow } from '@shared/domain/metrics';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { scratchWrite } from './cache';
import type { Catalog } from './catalog';

// The insights worker's snapshot in the file (migration 0026, local-only): each customer's timeline (every date),
// the churn model, the forecast's month-end MRR and the answers of the coming days, as of an insight_changes seq.
// A new run answers from those days (incremental.ts, quickAnswers), or builds its ledger from the timelines
// instead of from the books; either way the customers changed since (a larger seq in insight_changes) are read
// from the books, and the model is used only when it holds for them (churn.ts, modelHoldsFor). Nothing here is
// ever the only copy: a snapshot missing, of another format, or behind a change to plans, coupons or the currency
// ('*') is simply not used. Written when the worker is idle, by `writeSnapshot`.

export const SNAPSHOT_KEY = 'ledger-v1';

const STATUSES: readonly HistoryRow['status'][] = ['trialing', 'active', 'past_due', 'paused', 'canceled'];
const STATUS_CODE = new Map(STATUSES.map((s, i) => [s, i]));

/** Buckets of the timelines, by a hash of the customer's id. */
export const BUCKETS = 512;
const bucketOf = (t: CustomerTimeline) => t.hash % BUCKETS;

/** A timeline's numbers (NaN and Infinity kept as they are), its count first: firstDay, then each list with its length first. */
function encodeTimeline(t: CustomerTimeline, out: number[]): void {
  const at = out.length;
  out.push(0, t.firstDay, t.stretches.length);
  for (const s of t.stretches) out.push(s.start, s.end, s.mrr);
  out.push(t.subscriptions.length);
  for (const s of t.subscriptions) {
    out.push(s.days.length);
    for (let i = 0; i < s.days.length; i++) out.push(s.days[i]!, STATUS_CODE.get(s.statuses[i]!)!, s.monthly[i]! ? 1 : 0, s.couponEnds[i]!);
  }
  for (const list of [t.failed, t.paid, t.notes, t.sales]) {
    out.push(list.length);
    for (const d of list) out.push(d);
  }
  out.push(t.invoices.length);
  for (const [due, issued, closed] of t.invoices) out.push(due, issued, closed);
  out[at] = out.length - at - 1;
}

/** One bucket's customers (id, name, segment) and numbers. */
function encodeBucket(timelines: readonly CustomerTimeline[]): { ids: string; data: Buffer } {
  const out: number[] = [];
  for (const t of timelines) encodeTimeline(t, out);
  return { ids: JSON.stringify(timelines.map((t) => [t.id, t.name, t.segment])), data: Buffer.from(Float64Array.from(out).buffer) };
}

/** An empty list shared by every decoded timeline that has none (nothing adds to a timeline once built). */
const NONE: number[] = Object.freeze([]) as unknown as number[];

/** The list at `i` of the numbers (its length first). */
function listAt(n: Float64Array, i: number): number[] {
  const len = n[i]!;
  if (len === 0) return NONE;
  const out = new Array<number>(len);
  for (let k = 0; k < len; k++) out[k] = n[i + 1 + k]!;
  return out;
}

/** The timeline that starts at `start` of the numbers. */
function decodeTimeline(id: string, name: string, segment: string, n: Float64Array, start: number): CustomerTimeline {
  let i = start + 1;
  const firstDay = n[i++]!;
  const stretches: CustomerTimeline['stretches'] = [];
  for (let k = n[i++]!; k > 0; k--) stretches.push({ start: n[i++]!, end: n[i++]!, mrr: n[i++]! });
  const subscriptions: CustomerTimeline['subscriptions'] = [];
  for (let k = n[i++]!; k > 0; k--) {
    const rows = n[i++]!;
    const s: CustomerTimeline['subscriptions'][number] = { days: new Array(rows), statuses: new Array(rows), monthly: new Array(rows), couponEnds: new Array(rows) };
    for (let r = 0; r < rows; r++) {
      s.days[r] = n[i++]!;
      s.statuses[r] = STATUSES[n[i++]!]!;
      s.monthly[r] = n[i++] === 1;
      s.couponEnds[r] = n[i++]!;
    }
    subscriptions.push(s);
  }
  const failed = listAt(n, i);
  i += failed.length + 1;
  const paid = listAt(n, i);
  i += paid.length + 1;
  const notes = listAt(n, i);
  i += notes.length + 1;
  const sales = listAt(n, i);
  i += sales.length + 1;
  const count = n[i++]!;
  const invoices: [number, number, number][] = new Array(count);
  for (let k = 0; k < count; k++, i += 3) invoices[k] = [n[i]!, n[i + 1]!, n[i + 2]!];
  return { id, name, segment, hash: hash32(id), firstDay, stretches, subscriptions, failed, paid, notes, sales, invoices };
}

/**
 * The answers of a coming day, computed from the snapshot's timelines with its model: the books' earliest first day
 * up to it, every paying customer's score (riskiest first, as [index in `order`, score] int32 pairs, base64), and
 * the LTV churn counts and segment sums.
 */
export interface SnapshotDay {
  asOf: string;
  today: string;
  first: number | null;
  scores: string;
  ltv: LtvDay;
}

/** What was computed from the snapshot's timelines: the churn model, the MRR at some days (day number, sum), the coming days' answers. */
export interface SnapshotState {
  model: ChurnModelState | null;
  mrr: [number, number][];
  /** The customers' ids in the books' order (what the days' scores index). */
  order: string[];
  days: SnapshotDay[];
  /** The plans, coupons and currency the timelines were built with (catalog.ts; absent in an older snapshot). */
  catalog?: Catalog | undefined;
}

function stateJson(state: SnapshotState): string {
  const { model } = state;
  // Infinity (a book with no history) as null.
  return JSON.stringify({ ...state, model: model && { ...model, first: Number.isFinite(model.first) ? model.first : null } });
}

function stateOf(json: string): SnapshotState {
  const s = JSON.parse(json) as Omit<SnapshotState, 'model'> & { model: (Omit<ChurnModelState, 'first'> & { first: number | null }) | null };
  return { ...s, model: s.model && { ...s.model, first: s.model.first ?? Number.POSITIVE_INFINITY } };
}

/** Scores as int32 pairs [index, score], base64. */
export function encodeScores(pairs: readonly number[]): string {
  return Buffer.from(Int32Array.from(pairs).buffer).toString('base64');
}

export function decodeScores(text: string): Int32Array {
  const buf = Buffer.from(text, 'base64');
  return new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** The snapshot's seq and state, without its timelines (null: none). */
export function readSnapshotHead(db: BusinessDb): ({ seq: number } & SnapshotState) | null {
  const row = stmt(db.sqlite, 'SELECT seq, state FROM insight_snapshot WHERE key = ?').get(SNAPSHOT_KEY) as { seq: number; state: string } | undefined;
  return row ? { seq: row.seq, ...stateOf(row.state) } : null;
}

/** The timelines in the snapshot of some customers (read from their buckets only, the others skipped). */
export function readTimelinesOf(db: BusinessDb, ids: readonly string[]): Map<string, CustomerTimeline> {
  const wanted = new Set(ids);
  const out = new Map<string, CustomerTimeline>();
  if (wanted.size === 0) return out;
  const buckets = JSON.stringify([...new Set(ids.map((id) => hash32(id) % BUCKETS))]);
  for (const [list, data] of stmt(db.sqlite, 'SELECT ids, data FROM insight_timelines WHERE bucket IN (SELECT value FROM json_each(?))').raw(true).all(buckets) as [string, Buffer][]) {
    const n = data.byteOffset % 8 === 0 ? new Float64Array(data.buffer, data.byteOffset, data.byteLength / 8) : new Float64Array(Uint8Array.from(data).buffer);
    let at = 0;
    for (const [id, name, segment] of JSON.parse(list) as [string, string, string][]) {
      if (wanted.has(id)) out.set(id, decodeTimeline(id, name, segment, n, at));
      at += n[at]! + 1;
    }
  }
  return out;
}

export interface Snapshot extends SnapshotState {
  seq: number;
  /** Every timeline of the snapshot, by customer id. */
  timelines: Map<string, CustomerTimeline>;
  /** The customers changed since the snapshot (their timelines there are not the books' now). */
  changed: string[];
}

/**
 * The snapshot, if there is one that can be used: with at most `maxChanged` customers changed since, a change to
 * everyone ('*') replaced by `resolve` with the customers it moved (null: not usable).
 */
export function readSnapshot(
  db: BusinessDb,
  maxChanged: number,
  resolve: (ids: string[], was: Catalog | undefined) => { ids: string[]; catalog: Catalog | undefined } | null,
): Snapshot | null {
  const row = stmt(db.sqlite, 'SELECT seq, state FROM insight_snapshot WHERE key = ?').get(SNAPSHOT_KEY) as { seq: number; state: string } | undefined;
  if (!row) return null;
  const state = stateOf(row.state);
  const resolved = resolve(stmt(db.sqlite, 'SELECT customer_id FROM insight_changes WHERE seq > ?').pluck().all(row.seq) as string[], state.catalog);
  if (!resolved || resolved.ids.length > maxChanged) return null;
  const changed = resolved.ids;
  const timelines = new Map<string, CustomerTimeline>();
  for (const [ids, data] of stmt(db.sqlite, 'SELECT ids, data FROM insight_timelines').raw(true).iterate() as IterableIterator<[string, Buffer]>) {
    const n = data.byteOffset % 8 === 0 ? new Float64Array(data.buffer, data.byteOffset, data.byteLength / 8) : new Float64Array(Uint8Array.from(data).buffer);
    let at = 0;
    for (const [id, name, segment] of JSON.parse(ids) as [string, string, string][]) {
      timelines.set(id, decodeTimeline(id, name, segment, n, at));
      at += n[at]! + 1;
    }
  }
  return { seq: row.seq, ...state, catalog: resolved.catalog, timelines, changed };
}

/** The seq of the snapshot in the file (null: none). */
export function snapshotSeq(db: BusinessDb): number | null {
  return (stmt(db.sqlite, 'SELECT seq FROM insight_snapshot WHERE key = ?').pluck().get(SNAPSHOT_KEY) as number | undefined) ?? null;
}

/**
 * Writes the worker's ledger (read at `seq`: every customer whose timeline in it is not the books' has a larger
 * seq in insight_changes) and what was computed from it as the snapshot, in one transaction: only the buckets of
 * the customers changed since the snapshot in the file (all when there is none, or after a change to everyone).
 * Skipped when the file holds a newer snapshot, or another connection is writing (never waits for it: this is
 * only a shortcut). The write does not count as a change of the books on this connection (cache.ts, scratchWrite).
 */
export function writeSnapshot(db: BusinessDb, seq: number, ledger: InsightLedger, state: SnapshotState): boolean {
  const s = db.sqlite;
  if (s.inTransaction || !s.open) return false;
  const timeout = s.pragma('busy_timeout', { simple: true }) as number;
  s.pragma('busy_timeout = 0');
  try {
    return scratchWrite(s, () =>
      s
        .transaction(() => {
          const had = snapshotSeq(db);
          if (had !== null && had > seq) return false;
          const ids = had === null ? null : (stmt(s, 'SELECT customer_id FROM insight_changes WHERE seq > ?').pluck().all(had) as string[]);
          const all = ids === null || ids.includes('*');
          const touched = new Set(all ? [] : ids.map((id) => hash32(id) % BUCKETS));
          const buckets = new Map<number, CustomerTimeline[]>();
          for (const t of ledger.timelines) {
            const b = bucketOf(t);
            if (!all && !touched.has(b)) continue;
            let list = buckets.get(b);
            if (!list) buckets.set(b, (list = []));
            list.push(t);
          }
          if (all) stmt(s, 'DELETE FROM insight_timelines').run();
          else for (const b of touched) if (!buckets.has(b)) stmt(s, 'DELETE FROM insight_timelines WHERE bucket = ?').run(b);
          const upsert = stmt(s, 'INSERT INTO insight_timelines (bucket, ids, data) VALUES (?, ?, ?) ON CONFLICT (bucket) DO UPDATE SET ids = excluded.ids, data = excluded.data');
          for (const [b, list] of buckets) {
            const { ids: idList, data } = encodeBucket(list);
            upsert.run(b, idList, data);
          }
          stmt(s, 'INSERT INTO insight_snapshot (key, seq, state) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET seq = excluded.seq, state = excluded.state').run(SNAPSHOT_KEY, seq, stateJson(state));
          return true;
        })
        .immediate(),
    );
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return false;
    throw error;
  } finally {
    s.pragma(`busy_timeout = ${timeout}`);
  }
}
