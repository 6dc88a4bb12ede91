import { describe, expect, it } from 'vitest';
import { toDayNumber } from '@shared/domain/dates';
import type { HistoryRow } from '@shared/domain/metrics';
import { auc, fitLogistic, predict } from '@shared/insights/churn-math';
import { factWords, factorText } from '@shared/insights/churn-explain';
import { buildTimelines, factsAt, featureVector, goneAt, type InsightBooks } from '@shared/insights/features';

const plans = [
  { id: 'monthly', interval: 'month' as const, interval_count: 1 },
  { id: 'yearly', interval: 'year' as const, interval_count: 1 },
];
const coupons = [{ id: 'welcome', code: 'WELCOME', percent_off_ppm: 200_000, amount_off: null, duration: 'repeating' as const, duration_months: 3 }];

function row(sub: string, customer: string, seq: number, date: string, status: HistoryRow['status'], amount: number, plan = 'monthly', coupon: string | null = null): HistoryRow {
  return { subscription_id: sub, customer_id: customer, seq, effective_date: date, status, plan_id: plan, recurring_amount: amount, coupon_id: coupon, coupon_applied_on: coupon ? '2026-03-01' : null };
}

function books(extra: Partial<InsightBooks> = {}): InsightBooks {
  return {
    currency: 'USD',
    customers: [
      { id: 'ann', name: 'Ann', segment: 'Retail' },
      { id: 'bob', name: 'Bob', segment: '' },
    ],
    history: [
      row('s1', 'ann', 1, '2025-06-01', 'active', 9900),
      row('s1', 'ann', 2, '2026-04-10', 'active', 2900), // a downgrade
      row('s2', 'bob', 1, '2026-03-01', 'active', 36000, 'yearly', 'welcome'),
      row('s2', 'bob', 2, '2026-04-01', 'paused', 36000, 'yearly', 'welcome'),
      row('s2', 'bob', 3, '2026-04-20', 'active', 36000, 'yearly', 'welcome'),
      row('s2', 'bob', 4, '2026-07-01', 'canceled', 36000, 'yearly', 'welcome'),
    ],
    plans,
    coupons,
    failedPayments: [['ann', '2026-04-02'], ['ann', '2026-04-05'], ['ann', '2026-02-01']],
    payments: [['ann', '2026-03-01'], ['ann', '2026-04-20'], ['bob', '2026-03-01']],
    invoices: [['ann', '2026-04-01', '2026-04-01', '2026-04-20'], ['ann', '2026-05-01', '2026-05-01', null]],
    notes: [['ann', '2026-03-15'], ['ann', '2026-04-15'], ['bob', '2025-01-01']],
    sales: [['bob', '2026-04-25']],
    ...extra,
  };
}

describe('churn features as of a day, from the books up to that day only', () => {
  it('reads each factor of a hand-built history', () => {
    const [ann, bob] = buildTimelines(books());
    const at = toDayNumber('2026-04-30');
    expect(factsAt(ann!, at)).toEqual({
      tenureDays: 333,
      monthlyPlan: true,
      mrr: 2900,
      mrr90DaysBefore: 9900,
      failedPayments60: 2, // 2026-02-01 is more than 60 days before
      daysPastDue: 0, // the April invoice was paid on the 20th; May's is not issued yet
      pauses365: 0,
      couponEndsInDays: null,
      notes90: 2,
      daysSinceLastPayment: 10,
      sales90: 0,
    });
    expect(factsAt(bob!, at)).toMatchObject({
      tenureDays: 60,
      monthlyPlan: false,
      mrr: 2400, // 360.00 a year less 20 %, a month
      mrr90DaysBefore: 0,
      pauses365: 1,
      couponEndsInDays: 32, // the 3 months from 2026-03-01 end on 2026-06-01
      notes90: 0,
      daysSinceLastPayment: 60,
      sales90: 1,
    });
    // Past due: the May invoice, open, 9 days after its due date.
    expect(factsAt(ann!, toDayNumber('2026-05-10'))!.daysPastDue).toBe(9);
    // Paused, Bob pays nothing: not scored then.
    expect(factsAt(bob!, toDayNumber('2026-04-05'))).toBeNull();
    // Nothing after the day is read: on 2026-04-05 Ann had not paid April yet and not downgraded.
    expect(factsAt(ann!, toDayNumber('2026-04-05'))).toMatchObject({ mrr: 9900, failedPayments60: 2, daysPastDue: 4, daysSinceLastPayment: 35, notes90: 1 });
  });

  it('a customer is gone when every subscription is canceled; a pause is not leaving', () => {
    const [ann, bob] = buildTimelines(books());
    expect(goneAt(bob!, toDayNumber('2026-04-05'))).toBe(false);
    expect(goneAt(bob!, toDayNumber('2026-07-01'))).toBe(true);
    expect(goneAt(ann!, toDayNumber('2026-12-31'))).toBe(false);
  });

  it('puts each factor in words, with its effect in points', () => {
    const [ann] = buildTimelines(books());
    const facts = factsAt(ann!, toDayNumber('2026-05-10'))!;
    expect(factorText(factWords('failedPayments', facts, 'USD'), 18)).toBe('2 failed payments in 60 days: +18 points');
    expect(factorText(factWords('mrrChange', facts, 'USD'), 7)).toBe('MRR down 71% in 90 days: +7 points');
    expect(factorText(factWords('daysPastDue', facts, 'USD'), -1)).toBe('an invoice 9 days past due: −1 point');
    expect(factWords('mrr', facts, 'USD')).toBe('pays $29.00 a month');
    expect(featureVector(facts).every(Number.isFinite)).toBe(true);
  });
});

describe('the maths', () => {
  it('AUC counts ties as half, and is null without both kinds', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    expect(auc([0.2, 0.3], [1, 1])).toBeNull();
  });

  it('logistic regression finds the direction of a factor, stays finite on separable data, and is deterministic', () => {
    const rows = Array.from({ length: 200 }, (_, i) => [i % 10, (i * 7) % 3]);
    const labels = rows.map(([x]) => (x! >= 7 ? 1 : 0)); // perfectly separable
    const a = fitLogistic(rows, labels);
    expect(a.weights.every(Number.isFinite)).toBe(true);
    expect(predict(a, [9, 0])).toBeGreaterThan(0.9);
    expect(predict(a, [1, 0])).toBeLessThan(0.1);
    expect(fitLogistic(rows, labels)).toEqual(a);
    // A constant feature gets no weight worth the name.
    const flat = fitLogistic(rows.map(([x]) => [x!, 5]), labels);
    expect(Math.abs(flat.weights[2]!)).toBeLessThan(1e-6);
  });
});
