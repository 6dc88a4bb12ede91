import { toDayNumber } from '@shared/domain/dates';
import { mrrAt, type CustomerTimeline } from '@shared/insights/features';
import type { BusinessDb } from '../db/open';
import { insightHistory } from './fast-books';
import { changesSince, ledgerState, quickMrr } from './incremental';

// The forecast's monthly MRR (the MRR at each past month's end, monthFigures' mrrAtEnd: the sum of the
// segments in force that day), from the ledger the churn and LTV insights keep (incremental.ts): each
// timeline's stretches are the customer's segments with an MRR above 0, and no segment's MRR is below 0
// (a discount never exceeds the amount), so their sum is the segments' sum. The sums at the month ends asked
// for so far are kept with the ledger (and in the file's snapshot), and brought up to date from the customers changed since: less their old stretches,
// plus their new ones. Integer sums, so the answer is exactly the one from every segment
// (tests/unit/insights/incremental.test.ts).

/** The MRR at the end of each of `days`: the sum of the segments in force then (start <= day < end). */
export function mrrAtDays(db: BusinessDb, days: readonly string[]): number[] {
  if (db.sqlite.inTransaction) {
    const { segments } = insightHistory(db);
    return days.map((d) => {
      let sum = 0;
      for (const s of segments) if (s.start <= d && (s.end === null || d < s.end)) sum += s.mrr;
      return sum;
    });
  }
  // A new run: the snapshot's sums at these month ends, if it has them (no ledger built for them).
  const quick = quickMrr(db, days.map(toDayNumber));
  if (quick) return quick;
  const state = ledgerState(db);
  let own = state.mrr;
  if (own?.generation !== state.generation) {
    const changes = own ? changesSince(state, own.generation) : null;
    const sums = new Map<number, number>();
    if (own && changes) {
      for (const [d, sum] of own.sums) {
        let next = sum;
        for (const { before, after } of changes) next += (after ? mrrAt(after, d) : 0) - (before ? mrrAt(before, d) : 0);
        sums.set(d, next);
      }
    }
    state.mrr = own = { generation: state.generation, sums };
  }
  const { sums } = own;
  const timelines: readonly CustomerTimeline[] = state.ledger.timelines;
  return days.map((date) => {
    const d = toDayNumber(date);
    let sum = sums.get(d);
    if (sum === undefined) {
      sum = 0;
      for (const t of timelines) sum += mrrAt(t, d);
      sums.set(d, sum);
    }
    return sum;
  });
}
