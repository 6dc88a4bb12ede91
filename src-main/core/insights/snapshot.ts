import type { ChurnModelState } from '@shared/insights/churn';
import type { LtvDay } from '@shared/insights/ltv';
import { hash32 } from '@shared/insights/churn-math';
import { listsEnd, NumberRun, subscriptionsEnd, timelineOf, type CustomerTimeline, type InsightLedger, type TimelineNumbers } from '@shared/insights/features';
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

/**
 * v2: the ledger's columnar numbers (a subscription's days, statuses, plans and coupon ends each in a run; v1
 * interleaved them). v3: each timeline's customer rowid with it (a new run takes the books' order from them).
 */
export const SNAPSHOT_KEY = 'ledger-v3';

/** Buckets of the timelines, by a hash of the customer's id. */
export const BUCKETS = 512;
const bucketOf = (t: CustomerTimeline) => t.hash % BUCKETS;

/**
 * A timeline's numbers as they are in the ledger (features.ts: NaN and Infinity kept), its count first:
 * [count, rowid, firstDay, stretches, subscriptions, lists], each section as the ledger holds it (its count first).
 * The rowid is the customer's in the books (customers.seq, never renumbered): the books' order.
 */
function encodeTimeline(t: CustomerTimeline, rowid: number, out: NumberRun): void {
  const stretchesEnd = t.stretchesAt + 1 + 3 * t.nums[t.stretchesAt]!;
  const subscriptionsTo = subscriptionsEnd(t);
  const listsTo = listsEnd(t);
  const size = 2 + (stretchesEnd - t.stretchesAt) + (subscriptionsTo - t.subscriptionsAt) + (listsTo - t.failedAt);
  out.reserve(size + 1);
  const o = out.array;
  let i = out.length;
  o[i++] = size;
  o[i++] = rowid;
  o[i++] = t.firstDay;
  o.set(t.nums.subarray(t.stretchesAt, stretchesEnd), i);
  i += stretchesEnd - t.stretchesAt;
  o.set(t.nums.subarray(t.subscriptionsAt, subscriptionsTo), i);
  i += subscriptionsTo - t.subscriptionsAt;
  o.set(t.lists.subarray(t.failedAt, listsTo), i);
  out.length = i + (listsTo - t.failedAt);
}

/** One bucket's customers (id, name, segment) and numbers. */
function encodeBucket(timelines: readonly CustomerTimeline[], rowids: readonly number[]): { ids: string; data: Buffer } {
  const out = new NumberRun(64 * timelines.length);
  timelines.forEach((t, i) => encodeTimeline(t, rowids[i]!, out));
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

/** A bucket's numbers: the blob itself when aligned (float32 or float64 as written), else copied (never decoded one by one). */
function bucketNumbers(data: Buffer): TimelineNumbers {
  const width = data.readUInt32LE(0);
  const at = data.byteOffset + 8;
  const bytes = data.byteLength - 8;
  const size = width / 8;
  if (at % size === 0) return width === 64 ? new Float64Array(data.buffer, at, bytes / 8) : new Float32Array(data.buffer, at, bytes / 4);
  const copy = width === 64 ? new Float64Array(bytes / 8) : new Float32Array(bytes / 4);
  new Uint8Array(copy.buffer).set(data.subarray(8));
  return copy;
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
function timelineAt(id: string, name: string, segment: string, n: TimelineNumbers, start: number): CustomerTimeline {
  const stretchesAt = start + 3;
  const subscriptionsAt = stretchesAt + 1 + 3 * n[stretchesAt]!;
  let failedAt = subscriptionsAt + 1;
  for (let k = n[subscriptionsAt]!; k > 0; k--) failedAt += 1 + 4 * n[failedAt]!;
  return timelineOf(id, name, segment, n[start + 2]!, n, stretchesAt, subscriptionsAt, n, failedAt);
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
  /** Their rowids in the books (ascending), kept with each timeline: a new run takes the books' order from them. */
  rowids: Float64Array;
  days: SnapshotDay[];
  /** The plans, coupons and currency the timelines were built with (catalog.ts; absent in an older snapshot). */
  catalog?: Catalog | undefined;
}

/**
 * The snapshot's head as read: its seq, model, MRR sums, catalog and which days it answered (each day's answers and
 * the customers' order are rows of their own, read only when a day is asked: `readSnapshotDay`).
 */
export interface SnapshotHead extends Omit<SnapshotState, 'order' | 'rowids' | 'days'> {
  seq: number;
  /** How many customers (timelines) it holds. */
  customers: number;
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
    customers: state.rowids.length,
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
  /** The timelines of the customers not changed since, in the books' order, and their rowids (ascending). */
  timelines: CustomerTimeline[];
  rowids: Float64Array;
  /** The customers changed since the snapshot (their timelines there are not the books' now), and those timelines. */
  changed: string[];
  before: Map<string, CustomerTimeline>;
  /** Those of `changed` moved only by a plan or coupon (catalog.ts: their rows in the books as they were), and the rowids of those in `before`. */
  byCatalog: string[];
  beforeRowids: Map<string, number>;
}

/**
 * The snapshot, if there is one that can be used: with at most `maxChanged` (a share of its customers) changed
 * since, a change to everyone ('*') replaced by `resolve` with the customers it moved (null: not usable). The
 * customers not changed since are in the books at the rowids kept with them (every insert, delete or change of
 * id is in insight_changes; a rowid is customers.seq, never renumbered): their order is read from the buckets,
 * not from the customers' table (at 100,000 customers, cold, 0.2-0.4 s).
 */
export function readSnapshot(
  db: BusinessDb,
  head: SnapshotHead,
  maxChanged: number,
  resolve: (ids: string[], was: Catalog | undefined) => { ids: string[]; byCatalog: string[]; catalog: Catalog | undefined } | null,
): Snapshot | null {
  const resolved = resolve(stmt(db.sqlite, 'SELECT customer_id FROM insight_changes WHERE seq > ?').pluck().all(head.seq) as string[], head.catalog);
  if (!resolved || resolved.ids.length > maxChanged * Math.max(1, head.customers)) return null;
  const changed = resolved.ids;
  const changedIds = new Set(changed);
  const before = new Map<string, CustomerTimeline>();
  const beforeRowids = new Map<string, number>();
  const unordered: CustomerTimeline[] = [];
  const rowidOf: number[] = [];
  for (const [ids, data] of stmt(db.sqlite, 'SELECT ids, data FROM insight_timelines').raw(true).iterate() as IterableIterator<[string, Buffer]>) {
    const n = bucketNumbers(data);
    let at = 0;
    const names = decodeNames(ids);
    for (let k = 0; k < names.length; k += 3) {
      const t = timelineAt(names[k]!, names[k + 1]!, names[k + 2]!, n, at);
      if (changedIds.has(t.id)) {
        before.set(t.id, t);
        beforeRowids.set(t.id, n[at + 1]!);
      } else {
        unordered.push(t);
        rowidOf.push(n[at + 1]!);
      }
      at += n[at]! + 1;
    }
  }
  // By rowid: each key the rowid times 2^21 plus the timeline's place (exact below 2^53: rowids below 2^32), sorted natively.
  if (unordered.length >= 2 ** 21) return null;
  const keys = new Float64Array(unordered.length);
  for (let i = 0; i < keys.length; i++) {
    if (!(rowidOf[i]! >= 0 && rowidOf[i]! < 2 ** 32)) return null;
    keys[i] = rowidOf[i]! * 2 ** 21 + i;
  }
  keys.sort();
  const timelines: CustomerTimeline[] = new Array(keys.length);
  const rowids = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const place = k % 2 ** 21;
    timelines[i] = unordered[place]!;
    rowids[i] = (k - place) / 2 ** 21;
  }
  return { ...head, catalog: resolved.catalog, timelines, rowids, changed, before, byCatalog: resolved.byCatalog, beforeRowids };
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
  if (s.inTransaction || !s.open || state.rowids.length !== ledger.timelines.length) return false;
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
          const buckets = new Map<number, { timelines: CustomerTimeline[]; rowids: number[] }>();
          ledger.timelines.forEach((t, i) => {
            const b = bucketOf(t);
            if (!all && !touched.has(b)) return;
            let list = buckets.get(b);
            if (!list) buckets.set(b, (list = { timelines: [], rowids: [] }));
            list.timelines.push(t);
            list.rowids.push(state.rowids[i]!);
          });
          if (all) stmt(s, 'DELETE FROM insight_timelines').run();
          else for (const b of touched) if (!buckets.has(b)) stmt(s, 'DELETE FROM insight_timelines WHERE bucket = ?').run(b);
          const upsert = stmt(s, 'INSERT INTO insight_timelines (bucket, ids, data) VALUES (?, ?, ?) ON CONFLICT (bucket) DO UPDATE SET ids = excluded.ids, data = excluded.data');
          for (const [b, list] of buckets) {
            const { ids: idList, data } = encodeBucket(list.timelines, list.rowids);
            upsert.run(b, idList, data);
          }
          // The head, the order and each day's answers as rows of one seq (those of an older snapshot, of any version, go).
          stmt(s, "DELETE FROM insight_snapshot WHERE key LIKE 'ledger-v%'").run();
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
