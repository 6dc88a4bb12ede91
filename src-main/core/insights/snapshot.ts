import type { ChurnModelState } from '@shared/insights/churn';
import type { LtvDay } from '@shared/insights/ltv';
import { hash32 } from '@shared/insights/churn-math';
import { listsEnd, NumberRun, subscriptionsEnd, timelineOf, type CustomerTimeline, type InsightLedger } from '@shared/insights/features';
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

/** v2: the ledger's columnar numbers (a subscription's days, statuses, plans and coupon ends each in a run; v1 interleaved them). */
export const SNAPSHOT_KEY = 'ledger-v2';

/** Buckets of the timelines, by a hash of the customer's id. */
export const BUCKETS = 512;
const bucketOf = (t: CustomerTimeline) => t.hash % BUCKETS;

/**
 * A timeline's numbers as they are in the ledger (features.ts: NaN and Infinity kept), its count first:
 * [count, firstDay, stretches, subscriptions, lists], each section as the ledger holds it (its count first).
 */
function encodeTimeline(t: CustomerTimeline, out: NumberRun): void {
  const stretchesEnd = t.stretchesAt + 1 + 3 * t.nums[t.stretchesAt]!;
  const subscriptionsTo = subscriptionsEnd(t);
  const listsTo = listsEnd(t);
  const size = 1 + (stretchesEnd - t.stretchesAt) + (subscriptionsTo - t.subscriptionsAt) + (listsTo - t.failedAt);
  out.reserve(size + 1);
  const o = out.array;
  let i = out.length;
  o[i++] = size;
  o[i++] = t.firstDay;
  o.set(t.nums.subarray(t.stretchesAt, stretchesEnd), i);
  i += stretchesEnd - t.stretchesAt;
  o.set(t.nums.subarray(t.subscriptionsAt, subscriptionsTo), i);
  i += subscriptionsTo - t.subscriptionsAt;
  o.set(t.lists.subarray(t.failedAt, listsTo), i);
  out.length = i + (listsTo - t.failedAt);
}

/** One bucket's customers (id, name, segment) and numbers. */
function encodeBucket(timelines: readonly CustomerTimeline[]): { ids: string; data: Buffer } {
  const out = new NumberRun(64 * timelines.length);
  for (const t of timelines) encodeTimeline(t, out);
  return { ids: encodeNames(timelines), data: bucketBlob(out.done()) };
}

/**
 * A bucket's numbers as a blob: an 8-byte head (the width, 32 or 64 bits, as a uint32) then the numbers, as float32
 * when every one of them is exactly one (day numbers, counts, NaN and Infinity are; most amounts are), else float64.
 * Half the bytes is half the pages a new run reads and decrypts.
 */
function bucketBlob(numbers: Float64Array): Buffer {
  let narrow = true;
  for (let i = 0; i < numbers.length && narrow; i++) {
    const x = numbers[i]!;
    narrow = Math.fround(x) === x || Number.isNaN(x);
  }
  const width = narrow ? 32 : 64;
  const blob = Buffer.from(new ArrayBuffer(8 + (numbers.length * width) / 8));
  blob.writeUInt32LE(width, 0);
  const body = new Uint8Array(blob.buffer, blob.byteOffset + 8, blob.byteLength - 8);
  if (narrow) new Float32Array(blob.buffer, blob.byteOffset + 8, numbers.length).set(numbers);
  else body.set(new Uint8Array(numbers.buffer, numbers.byteOffset, body.byteLength));
  return blob;
}

/** A bucket's numbers as float64s: the blob itself when float64 and aligned, else copied (never decoded one by one). */
function bucketNumbers(data: Buffer): Float64Array {
  const width = data.readUInt32LE(0);
  const at = data.byteOffset + 8;
  const bytes = data.byteLength - 8;
  if (width === 64) return at % 8 === 0 ? new Float64Array(data.buffer, at, bytes / 8) : new Float64Array(Uint8Array.from(data.subarray(8)).buffer);
  const narrow = at % 4 === 0 ? new Float32Array(data.buffer, at, bytes / 4) : new Float32Array(Uint8Array.from(data.subarray(8)).buffer);
  const wide = new Float64Array(narrow.length);
  wide.set(narrow);
  return wide;
}

// A bucket's customers as id, name and segment, each followed by SEP: split, not parsed (JSON.parse of every
// bucket's names was a quarter of reading the timelines). A bucket where a name holds SEP is JSON instead.
const SEP = '\u001f';

function encodeNames(timelines: readonly CustomerTimeline[]): string {
  const plain = timelines.every((t) => !t.id.includes(SEP) && !t.name.includes(SEP) && !t.segment.includes(SEP) && !t.id.startsWith('['));
  if (!plain) return JSON.stringify(timelines.map((t) => [t.id, t.name, t.segment]));
  let out = '';
  for (const t of timelines) out += t.id + SEP + t.name + SEP + t.segment + SEP;
  return out;
}

/** A bucket's names as [id, name, segment, id, name, segment, ...]. */
function decodeNames(text: string): string[] {
  if (text.startsWith('[')) return (JSON.parse(text) as string[][]).flat();
  const parts = text.split(SEP);
  parts.pop();
  return parts;
}

/** The timeline that starts at `start` of a bucket's numbers: pointers into them, nothing decoded. */
function timelineAt(id: string, name: string, segment: string, n: Float64Array, start: number): CustomerTimeline {
  const stretchesAt = start + 2;
  const subscriptionsAt = stretchesAt + 1 + 3 * n[stretchesAt]!;
  let failedAt = subscriptionsAt + 1;
  for (let k = n[subscriptionsAt]!; k > 0; k--) failedAt += 1 + 4 * n[failedAt]!;
  return timelineOf(id, name, segment, n[start + 1]!, n, stretchesAt, subscriptionsAt, n, failedAt);
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

/**
 * The snapshot's head as read: its seq, model, MRR sums, catalog and which days it answered (each day's answers and
 * the customers' order are rows of their own, read only when a day is asked: `readSnapshotDay`).
 */
export interface SnapshotHead extends Omit<SnapshotState, 'order' | 'days'> {
  seq: number;
  days: { asOf: string; today: string }[];
}

// The rows of a snapshot in insight_snapshot, all of one seq: the head (SNAPSHOT_KEY), the order and each day.
const ORDER_KEY = `${SNAPSHOT_KEY}:order`;
const dayKey = (asOf: string, today: string) => `${SNAPSHOT_KEY}:day:${asOf}:${today}`;

function headJson(state: SnapshotState): string {
  const { model } = state;
  // Infinity (a book with no history) as null.
  return JSON.stringify({
    model: model && { ...model, first: Number.isFinite(model.first) ? model.first : null },
    mrr: state.mrr,
    catalog: state.catalog,
    days: state.days.map((d) => ({ asOf: d.asOf, today: d.today })),
  });
}

function headOf(seq: number, json: string): SnapshotHead {
  const s = JSON.parse(json) as Omit<SnapshotHead, 'model' | 'seq'> & { model: (Omit<ChurnModelState, 'first'> & { first: number | null }) | null };
  return { ...s, seq, model: s.model && { ...s.model, first: s.model.first ?? Number.POSITIVE_INFINITY } };
}

/** A row of the snapshot of `head` (null: none, or of another seq: written since the head was read). */
function rowOf<T>(db: BusinessDb, head: SnapshotHead, key: string): T | null {
  const row = stmt(db.sqlite, 'SELECT seq, state FROM insight_snapshot WHERE key = ?').get(key) as { seq: number; state: string } | undefined;
  return row && row.seq === head.seq ? (JSON.parse(row.state) as T) : null;
}

/** The answers of a day the snapshot answered ahead (null: none). */
export function readSnapshotDay(db: BusinessDb, head: SnapshotHead, asOf: string, today: string): SnapshotDay | null {
  return head.days.some((d) => d.asOf === asOf && d.today === today) ? rowOf<SnapshotDay>(db, head, dayKey(asOf, today)) : null;
}

/** The customers' ids in the books' order when the snapshot was written (what its days' scores index). */
export function readSnapshotOrder(db: BusinessDb, head: SnapshotHead): string[] | null {
  return rowOf<string[]>(db, head, ORDER_KEY);
}

/** Scores as int32 pairs [index, score], base64. */
export function encodeScores(pairs: readonly number[]): string {
  return Buffer.from(Int32Array.from(pairs).buffer).toString('base64');
}

export function decodeScores(text: string): Int32Array {
  const buf = Buffer.from(text, 'base64');
  return new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** The snapshot's head, without its timelines, days or order (null: none). */
export function readSnapshotHead(db: BusinessDb): SnapshotHead | null {
  const row = stmt(db.sqlite, 'SELECT seq, state FROM insight_snapshot WHERE key = ?').get(SNAPSHOT_KEY) as { seq: number; state: string } | undefined;
  return row ? headOf(row.seq, row.state) : null;
}

/** The timelines in the snapshot of some customers (read from their buckets only, the others skipped). */
export function readTimelinesOf(db: BusinessDb, ids: readonly string[]): Map<string, CustomerTimeline> {
  const wanted = new Set(ids);
  const out = new Map<string, CustomerTimeline>();
  if (wanted.size === 0) return out;
  const buckets = JSON.stringify([...new Set(ids.map((id) => hash32(id) % BUCKETS))]);
  for (const [list, data] of stmt(db.sqlite, 'SELECT ids, data FROM insight_timelines WHERE bucket IN (SELECT value FROM json_each(?))').raw(true).all(buckets) as [string, Buffer][]) {
    const n = bucketNumbers(data);
    let at = 0;
    const names = decodeNames(list);
    for (let k = 0; k < names.length; k += 3) {
      const id = names[k]!;
      if (wanted.has(id)) out.set(id, timelineAt(id, names[k + 1]!, names[k + 2]!, n, at));
      at += n[at]! + 1;
    }
  }
  return out;
}

export interface Snapshot extends SnapshotHead {
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
  const head = readSnapshotHead(db);
  if (!head) return null;
  const resolved = resolve(stmt(db.sqlite, 'SELECT customer_id FROM insight_changes WHERE seq > ?').pluck().all(head.seq) as string[], head.catalog);
  if (!resolved || resolved.ids.length > maxChanged) return null;
  const changed = resolved.ids;
  const timelines = new Map<string, CustomerTimeline>();
  for (const [ids, data] of stmt(db.sqlite, 'SELECT ids, data FROM insight_timelines').raw(true).iterate() as IterableIterator<[string, Buffer]>) {
    const n = bucketNumbers(data);
    let at = 0;
    const names = decodeNames(ids);
    for (let k = 0; k < names.length; k += 3) {
      timelines.set(names[k]!, timelineAt(names[k]!, names[k + 1]!, names[k + 2]!, n, at));
      at += n[at]! + 1;
    }
  }
  return { ...head, catalog: resolved.catalog, timelines, changed };
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
          // The head, the order and each day's answers as rows of one seq (those of an older snapshot go).
          stmt(s, "DELETE FROM insight_snapshot WHERE key = ? OR key LIKE ? || ':%'").run(SNAPSHOT_KEY, SNAPSHOT_KEY);
          const row = stmt(s, 'INSERT INTO insight_snapshot (key, seq, state) VALUES (?, ?, ?)');
          row.run(SNAPSHOT_KEY, seq, headJson(state));
          row.run(ORDER_KEY, seq, JSON.stringify(state.order));
          for (const day of state.days) row.run(dayKey(day.asOf, day.today), seq, JSON.stringify(day));
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
