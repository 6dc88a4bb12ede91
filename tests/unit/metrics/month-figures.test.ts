import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths } from '@shared/domain/periods';
import { discountFor } from '@shared/domain/invoice-math';
import { normalizedMonthly } from '@shared/domain/metrics-math';
import { dashboard } from '../../../src-main/core/metrics/dashboard';
import { customerMovements, monthBounds, monthsEnding, mrrByCustomer, revenueBetween, totalMovements } from '../../../src-main/core/metrics/metrics-service';
import { monthFigures } from '../../../src-main/core/metrics/month-figures';
import { covers, loadSegments, type Segment } from '../../../src-main/core/metrics/segments';
import type { BusinessDb } from '../../../src-main/core/db/open';
import { play, scenarioArb } from '../../support/billing-scenarios';

// The dashboard's one-pass month figures and the faster segment loader must give
// exactly what the month-by-month definitions give (they replaced them for speed).

describe('metrics computed in one pass equal the month-by-month definitions', () => {
  it('segments, month figures and the dashboard series, over random histories', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const b = await play(scenario, false);
        try {
          const db = b.db;
          const segments = loadSegments(db);
          expect(segments).toEqual(referenceSegments(db));
          for (const asOf of ['2026-03-31', '2026-05-01']) {
            const bounds = monthsEnding(asOf, 6).map((m) => monthBounds(m, asOf));
            const figures = monthFigures(segments, bounds);
            for (const [i, f] of figures.entries()) expect(f).toEqual(referenceFigures(segments, bounds[i]!));
            const board = dashboard(db, asOf, 'UTC');
            for (const row of board.series) {
              const mb = monthBounds(row.month, asOf);
              const ref = referenceFigures(segments, mb);
              expect(row).toMatchObject({ mrr: ref.mrrAtEnd, revenue: revenueBetween(db, `${row.month}-01`, mb.endDate), ...ref.movements });
            }
            const now = referenceFigures(segments, monthBounds(asOf.slice(0, 7), asOf));
            expect(board.summary).toMatchObject({ mrr: now.mrrAtEnd, mrrAtStart: now.mrrAtStart, activeSubscribers: now.activeAtEnd, trialingSubscribers: now.trialingAtEnd, movements: now.movements });
          }
        } finally {
          b.close();
        }
      }),
      { numRuns: 20, seed: Number(process.env.PROPERTY_SEED ?? 11), endOnFailure: true },
    );
  }, 300_000);
});

/** A month's figures by the definitions: MRR per customer at each end, then customerMovements. */
function referenceFigures(segments: readonly Segment[], bounds: ReturnType<typeof monthBounds>) {
  const start = mrrByCustomer(segments, bounds.startDate);
  const end = mrrByCustomer(segments, bounds.endDate);
  const moves = customerMovements(segments, bounds);
  const customersWith = (trial: boolean) => new Set(segments.filter((s) => (s.status === 'trialing') === trial && covers(s, bounds.endDate)).map((s) => s.customerId)).size;
  return {
    bounds,
    mrrAtStart: [...start.values()].reduce((a, v) => a + v, 0),
    mrrAtEnd: [...end.values()].reduce((a, v) => a + v, 0),
    movements: totalMovements(moves),
    payingAtStart: [...start.values()].filter((v) => v > 0).length,
    churned: moves.filter((m) => m.kind === 'churn').length,
    activeAtEnd: customersWith(false),
    trialingAtEnd: customersWith(true),
  };
}

/** The loader as it was before it was made faster: one joined query, row objects. */
function referenceSegments(db: BusinessDb): Segment[] {
  const rows = db.sqlite
    .prepare(
      `SELECT h.subscription_id, h.customer_id, h.effective_date AS start,
              lead(h.effective_date) OVER (PARTITION BY h.subscription_id ORDER BY h.effective_date, h.seq) AS next,
              h.status, h.recurring_amount, p.interval, p.interval_count, c.code, c.percent_off_ppm, c.amount_off, c.duration,
              c.duration_months, h.coupon_applied_on
         FROM subscription_history h JOIN plans p ON p.id = h.plan_id LEFT JOIN coupons c ON c.id = h.coupon_id`,
    )
    .all() as {
    subscription_id: string;
    customer_id: string;
    start: string;
    next: string | null;
    status: string;
    recurring_amount: number;
    interval: 'day' | 'week' | 'month' | 'quarter' | 'year';
    interval_count: number;
    code: string | null;
    percent_off_ppm: number | null;
    amount_off: number | null;
    duration: 'once' | 'repeating' | 'forever' | null;
    duration_months: number | null;
    coupon_applied_on: string | null;
  }[];
  const segments: Segment[] = [];
  for (const r of rows) {
    if (r.next !== null && r.next <= r.start) continue;
    if (r.status !== 'active' && r.status !== 'past_due' && r.status !== 'trialing') continue;
    const status = r.status as Segment['status'];
    const base = { subscriptionId: r.subscription_id, customerId: r.customer_id, status };
    const full = status === 'trialing' ? 0 : normalizedMonthly(r.recurring_amount, r.interval, r.interval_count);
    const discounted = (applies: boolean) => {
      if (status === 'trialing' || !applies || !r.duration || !r.coupon_applied_on) return full;
      const terms = { code: r.code ?? '', percentOffPpm: r.percent_off_ppm, amountOff: r.amount_off, duration: r.duration, durationMonths: r.duration_months, appliedOn: r.coupon_applied_on };
      return normalizedMonthly(r.recurring_amount - discountFor(terms, r.recurring_amount), r.interval, r.interval_count);
    };
    if (r.duration === 'forever') segments.push({ ...base, start: r.start, end: r.next, mrr: discounted(true) });
    else if (r.duration === 'repeating' && r.coupon_applied_on) {
      const expiry = addMonths(r.coupon_applied_on, r.duration_months ?? 0);
      if (r.start < expiry) segments.push({ ...base, start: r.start, end: r.next !== null && r.next < expiry ? r.next : expiry, mrr: discounted(true) });
      if (r.next === null || r.next > expiry) segments.push({ ...base, start: r.start > expiry ? r.start : expiry, end: r.next, mrr: full });
    } else segments.push({ ...base, start: r.start, end: r.next, mrr: full });
  }
  return segments;
}
