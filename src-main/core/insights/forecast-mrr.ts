import { segmentsFromHistory, type Segment } from '@shared/domain/metrics';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { readCoupons, readHistory, readPlans } from '../metrics/segments';
import { insightHistory } from './fast-books';

// The forecast's monthly MRR (the MRR at each past month's end, monthFigures' mrrAtEnd: the sum of the
// segments in force that day), kept on this connection between questions: the segments of each customer,
// and the sums at the month ends asked for so far, brought up to date from the customers changed since
// (insight_changes, as incremental.ts does for churn): less their old segments, plus their new ones.
// Integer sums, so the answer is exactly the one from every segment (tests/unit/insights/incremental.test.ts).

const WHOLE_ABOVE = 0.25;

interface MrrState {
  seq: number;
  byCustomer: Map<string, readonly Segment[]>;
  /** MRR at the end of each day asked for (YYYY-MM-DD). */
  sums: Map<string, number>;
}

const kept = new WeakMap<BusinessDb['sqlite'], MrrState>();

/** The MRR at the end of each of `days`: the sum of the segments in force then (start <= day < end). */
export function mrrAtDays(db: BusinessDb, days: readonly string[]): number[] {
  if (db.sqlite.inTransaction) return days.map((d) => sumAt(insightHistory(db).segments, d));
  const state = upToDate(db);
  return days.map((d) => {
    let sum = state.sums.get(d);
    if (sum === undefined) {
      sum = 0;
      for (const own of state.byCustomer.values()) sum += sumAt(own, d);
      state.sums.set(d, sum);
    }
    return sum;
  });
}

function upToDate(db: BusinessDb): MrrState {
  const seq = stmt(db.sqlite, 'SELECT coalesce(max(seq), 0) FROM insight_changes').pluck().get() as number;
  const prev = kept.get(db.sqlite);
  if (prev?.seq === seq) return prev;
  const next = (prev && updated(db, prev, seq)) || whole(db, seq);
  kept.set(db.sqlite, next);
  return next;
}

function whole(db: BusinessDb, seq: number): MrrState {
  return { seq, byCustomer: grouped(insightHistory(db).segments), sums: new Map() };
}

function updated(db: BusinessDb, prev: MrrState, seq: number): MrrState | null {
  const ids = stmt(db.sqlite, 'SELECT customer_id FROM insight_changes WHERE seq > ?').pluck().all(prev.seq) as string[];
  if (ids.includes('*') || ids.length > WHOLE_ABOVE * Math.max(1, prev.byCustomer.size)) return null;
  const fresh = grouped(segmentsFromHistory(readHistory(db, { customerIds: ids }), readPlans(db), readCoupons(db)));
  const byCustomer = new Map(prev.byCustomer);
  const sums = new Map(prev.sums);
  for (const id of ids) {
    const before = prev.byCustomer.get(id) ?? [];
    const after = fresh.get(id) ?? [];
    for (const [day, sum] of sums) sums.set(day, sum - sumAt(before, day) + sumAt(after, day));
    if (after.length > 0) byCustomer.set(id, after);
    else byCustomer.delete(id);
  }
  return { seq, byCustomer, sums };
}

function grouped(segments: readonly Segment[]): Map<string, Segment[]> {
  const out = new Map<string, Segment[]>();
  for (const s of segments) {
    let own = out.get(s.customerId);
    if (!own) out.set(s.customerId, (own = []));
    own.push(s);
  }
  return out;
}

function sumAt(segments: readonly Segment[], day: string): number {
  let sum = 0;
  for (const s of segments) if (s.start <= day && (s.end === null || day < s.end)) sum += s.mrr;
  return sum;
}
