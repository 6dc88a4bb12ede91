import { describe, expect, it } from 'vitest';
import {
  agingBucket,
  arAging,
  atRiskCustomers,
  failedOpenInvoices,
  metricsSummaryFromRows,
  monthBounds,
  monthFigures,
  revenueBetween,
  segmentsFromHistory,
  type AttemptRow,
  type CouponRow,
  type FailedInvoiceRow,
  type HistoryRow,
  type MetricsRows,
  type PlanRow,
  type RefundRow,
} from '@shared/domain/metrics';

// Each rule of spec 8 on rows built by hand, as the server will hold them
// (snake_case columns, as the sync change log carries them).

const plans: PlanRow[] = [
  { id: 'monthly', interval: 'month', interval_count: 1 },
  { id: 'yearly', interval: 'year', interval_count: 1 },
  { id: 'weekly', interval: 'week', interval_count: 1 },
];
const coupons: CouponRow[] = [
  { id: 'half2', code: 'HALF2', percent_off_ppm: 500_000, amount_off: null, duration: 'repeating', duration_months: 2 },
  { id: 'forever10', code: 'TEN', percent_off_ppm: null, amount_off: 1000, duration: 'forever', duration_months: null },
  { id: 'once', code: 'ONCE', percent_off_ppm: 500_000, amount_off: null, duration: 'once', duration_months: null },
];

let seq = 0;
/** One history row: `customer`'s subscription `sub` is in `status` at `amount` per period from `on`. */
function h(sub: string, customer: string, on: string, status: HistoryRow['status'], amount: number, extra: Partial<HistoryRow> = {}): HistoryRow {
  return {
    subscription_id: sub,
    customer_id: customer,
    seq: seq++,
    effective_date: on,
    status,
    plan_id: 'monthly',
    recurring_amount: amount,
    coupon_id: null,
    coupon_applied_on: null,
    ...extra,
  };
}

function invoice(id: string, customer: string, issued: string, due: string, total: number, extra: Partial<FailedInvoiceRow> = {}): FailedInvoiceRow {
  return {
    id,
    number: `INV-${id}`,
    customer_id: customer,
    subscription_id: null,
    status: 'open',
    issue_date: issued,
    due_date: due,
    total,
    credit_applied: 0,
    paid_on: null,
    voided_on: null,
    uncollectible_on: null,
    next_retry_on: null,
    ...extra,
  };
}

function pay(invoiceId: string | null, on: string, amount: number, status: AttemptRow['status'] = 'succeeded', attempt: number | null = null): AttemptRow {
  return { invoice_id: invoiceId, status, amount, paid_on: on, attempt };
}

function rows(parts: Partial<MetricsRows>): MetricsRows {
  return { currency: 'USD', subscriptionHistory: [], plans, coupons, invoices: [], payments: [], refunds: [], ...parts };
}

describe('segments from the history rows', () => {
  it('normalize per plan, give trials 0, skip paused and canceled stretches, and collapse rows sharing a date to the last', () => {
    const history = [
      h('s1', 'c1', '2026-01-10', 'active', 10000, { plan_id: 'yearly' }),
      h('s2', 'c2', '2026-01-01', 'trialing', 1000, { plan_id: 'weekly' }),
      h('s2', 'c2', '2026-01-15', 'active', 1000, { plan_id: 'weekly' }),
      h('s2', 'c2', '2026-02-01', 'paused', 1000, { plan_id: 'weekly' }),
      h('s2', 'c2', '2026-03-01', 'active', 1000, { plan_id: 'weekly' }),
      h('s3', 'c3', '2026-01-05', 'active', 3000),
      h('s3', 'c3', '2026-01-05', 'active', 4000),
      h('s3', 'c3', '2026-02-05', 'canceled', 4000),
    ];
    // Rows in any order give the same segments.
    const forward = segmentsFromHistory(history, plans, coupons);
    expect(segmentsFromHistory([...history].reverse(), plans, coupons)).toEqual(forward);
    const sorted = [...forward].sort((a, b) => (a.subscriptionId + a.start < b.subscriptionId + b.start ? -1 : 1));
    expect(sorted.map((s) => [s.subscriptionId, s.start, s.end, s.status, s.mrr])).toEqual([
      ['s1', '2026-01-10', null, 'active', 833],
      ['s2', '2026-01-01', '2026-01-15', 'trialing', 0],
      ['s2', '2026-01-15', '2026-02-01', 'active', 4333],
      ['s2', '2026-03-01', null, 'active', 4333],
      ['s3', '2026-01-05', '2026-02-05', 'active', 4000],
    ]);
  });

  it('a repeating discount splits its stretch where it ends; a forever one stays; a once coupon is not in MRR', () => {
    const segments = segmentsFromHistory(
      [
        h('r', 'c1', '2026-01-20', 'active', 5000, { coupon_id: 'half2', coupon_applied_on: '2026-01-20' }),
        h('f', 'c2', '2026-01-01', 'active', 5000, { coupon_id: 'forever10', coupon_applied_on: '2026-01-01' }),
        h('o', 'c3', '2026-01-01', 'active', 5000, { coupon_id: 'once', coupon_applied_on: '2026-01-01' }),
      ],
      plans,
      coupons,
    );
    expect(segments.map((s) => [s.subscriptionId, s.start, s.end, s.mrr])).toEqual([
      ['f', '2026-01-01', null, 4000],
      ['o', '2026-01-01', null, 5000],
      ['r', '2026-01-20', '2026-03-20', 2500],
      ['r', '2026-03-20', null, 5000],
    ]);
  });

  it('a history naming a plan or coupon not given is refused, naming it', () => {
    expect(() => segmentsFromHistory([h('s', 'c', '2026-01-01', 'active', 1, { plan_id: 'gone' })], plans, coupons)).toThrow(/plan gone/);
    expect(() => segmentsFromHistory([h('s', 'c', '2026-01-01', 'active', 1, { coupon_id: 'gone', coupon_applied_on: '2026-01-01' })], plans, coupons)).toThrow(/coupon gone/);
  });
});

describe('MRR movements and churn of a month', () => {
  // March 2026: start = end of Feb 28, end = end of Mar 31.
  const history = [
    h('new', 'n', '2026-03-10', 'active', 1000),
    h('up', 'u', '2026-01-01', 'active', 2000),
    h('up', 'u', '2026-03-15', 'active', 3500),
    h('down', 'd', '2026-01-01', 'active', 4000),
    h('down', 'd', '2026-03-15', 'active', 2500),
    h('gone', 'g', '2026-01-01', 'active', 3000),
    h('gone', 'g', '2026-03-20', 'canceled', 3000),
    h('back1', 'b', '2026-01-01', 'active', 1200),
    h('back1', 'b', '2026-01-31', 'canceled', 1200),
    h('back2', 'b', '2026-03-05', 'active', 1500),
    h('trial', 't', '2026-03-01', 'trialing', 9000),
    h('same', 's', '2026-01-01', 'past_due', 700),
  ];
  const segments = segmentsFromHistory(history, plans, coupons);

  it('new, expansion, contraction, churn and reactivation, with the invariant', () => {
    const [march] = monthFigures(segments, [monthBounds('2026-03', '2026-03-31')]);
    expect(march!.movements).toEqual({ new: 1000, expansion: 1500, contraction: 1500, churn: 3000, reactivation: 1500, net: -500 });
    expect(march!.mrrAtStart).toBe(2000 + 4000 + 3000 + 700);
    expect(march!.mrrAtEnd).toBe(march!.mrrAtStart + march!.movements.net);
    expect(march).toMatchObject({ payingAtStart: 4, churned: 1, activeAtEnd: 5, trialingAtEnd: 1 });
  });

  it('the month in progress ends on the as-of date; the churn rate is churned / paying at the start', () => {
    const mid = metricsSummaryFromRows(rows({ subscriptionHistory: history }), '2026-03-16');
    // By the 16th: the newcomer, the comeback and both changes; not yet the churn.
    expect(mid.movements).toEqual({ new: 1000, expansion: 1500, contraction: 1500, churn: 0, reactivation: 1500, net: 2500 });
    expect(mid.churnRate).toBe(0);
    const end = metricsSummaryFromRows(rows({ subscriptionHistory: history }), '2026-03-31');
    expect(end.churnRate).toBe(25);
    expect(end).toMatchObject({ mrr: 1000 + 3500 + 2500 + 1500 + 700, arr: 12 * 9200, activeSubscribers: 5, trialingSubscribers: 1, churnedCustomers: 1 });
    expect(metricsSummaryFromRows(rows({}), '2026-03-31').churnRate).toBeNull();
  });
});

describe('accounts receivable as of a past date', () => {
  const invoices = [
    // Due March 1, paid in full on April 10: still owed on April 5 (35 days late), not on April 10.
    invoice('a', 'c1', '2026-02-15', '2026-03-01', 10000, { status: 'paid', paid_on: '2026-04-10' }),
    // Paid 3000 on March 20, the rest never: owes 7000.
    invoice('b', 'c2', '2026-01-01', '2026-01-05', 10000),
    // Voided on April 1: owed nothing after.
    invoice('v', 'c3', '2026-03-01', '2026-03-15', 5000, { status: 'void', voided_on: '2026-04-01' }),
    // A draft and a zero invoice owe nothing; one issued after the date neither.
    invoice('d', 'c4', '2026-03-01', '2026-03-15', 5000, { status: 'draft' }),
    invoice('z', 'c4', '2026-03-01', '2026-03-15', 0, { status: 'paid' }),
    invoice('later', 'c4', '2026-04-06', '2026-04-20', 5000),
    // Credit covered part of it.
    invoice('cr', 'c5', '2026-04-01', '2026-04-15', 4000, { credit_applied: 1500 }),
  ];
  const payments = [pay('a', '2026-04-10', 10000), pay('b', '2026-03-20', 3000), pay('b', '2026-03-21', 500, 'failed', 2), pay(null, '2026-03-20', 999)];

  it('buckets what was owed then by days past due', () => {
    // March 31: a 30 days late, v 16, b 85 (after its partial payment).
    expect(arAging(invoices, payments, '2026-03-31')).toEqual({ current: 0, d1to30: 10000 + 5000, d31to60: 0, d61to90: 7000, over90: 0 });
    // April 5: v voided; a 35 days late, b 90, cr not due yet.
    expect(arAging(invoices, payments, '2026-04-05')).toEqual({ current: 2500, d1to30: 0, d31to60: 10000, d61to90: 7000, over90: 0 });
    // Later: a paid, v voided; b is 95 days late.
    expect(arAging(invoices, payments, '2026-04-10')).toEqual({ current: 2500 + 5000, d1to30: 0, d31to60: 0, d61to90: 0, over90: 7000 });
    // Before b's partial payment it owed all 10000.
    expect(arAging(invoices, payments, '2026-03-19').d61to90).toBe(10000);
  });

  it('bucket edges: due today is current; 30, 60, 90 days close their buckets', () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91, -5].map(agingBucket)).toEqual(['current', 'd1to30', 'd1to30', 'd31to60', 'd31to60', 'd61to90', 'd61to90', 'over90', 'current']);
  });
});

describe('revenue of a month', () => {
  it('is succeeded payments dated in it minus refunds dated in it, whatever the invoice', () => {
    const payments = [pay('i1', '2026-03-01', 5000), pay(null, '2026-03-31', 700), pay('i2', '2026-03-15', 9999, 'failed', 1), pay('i3', '2026-02-28', 4000), pay('i4', '2026-04-01', 4000)];
    const refunds: RefundRow[] = [
      { amount: 1000, refunded_on: '2026-03-10' },
      { amount: 300, refunded_on: '2026-04-01' },
    ];
    expect(revenueBetween(payments, refunds, '2026-03-01', '2026-03-31')).toBe(5000 + 700 - 1000);
    // A refund alone makes a month's revenue negative.
    expect(revenueBetween(payments, [{ amount: 500, refunded_on: '2026-05-02' }], '2026-05-01', '2026-05-31')).toBe(-500);
    expect(metricsSummaryFromRows(rows({ payments, refunds }), '2026-03-20').revenue).toBe(5000 - 1000);
  });
});

describe('customers at risk and the failed payments', () => {
  const invoices = [
    invoice('x1', 'risky', '2026-03-01', '2026-03-01', 5000, { subscription_id: 'sx', next_retry_on: '2026-03-12' }),
    invoice('x2', 'risky', '2026-03-02', '2026-03-02', 2000),
    // Declined, then paid on the 10th.
    invoice('y', 'saved', '2026-03-01', '2026-03-01', 3000, { status: 'paid', paid_on: '2026-03-10' }),
    // Declined only after the date asked about.
    invoice('w', 'later', '2026-03-01', '2026-03-01', 3000),
  ];
  const payments = [
    pay('x1', '2026-03-01', 5000, 'failed', 1),
    pay('x1', '2026-03-04', 5000, 'failed', 2),
    pay('x1', '2026-03-08', 5000, 'failed', 3),
    pay('x2', '2026-03-02', 2000, 'failed', 1),
    pay('x2', '2026-03-03', 500),
    pay('y', '2026-03-01', 3000, 'failed', 1),
    pay('y', '2026-03-10', 3000, 'succeeded', 2),
    pay('w', '2026-03-20', 3000, 'failed', 1),
  ];

  it('count each customer once, as of the date', () => {
    expect(atRiskCustomers(invoices, payments, '2026-03-05')).toBe(2); // risky, saved
    expect(atRiskCustomers(invoices, payments, '2026-03-10')).toBe(1); // saved paid on the 10th
    expect(atRiskCustomers(invoices, payments, '2026-03-25')).toBe(2); // later's card declined on the 20th
    expect(metricsSummaryFromRows(rows({ invoices, payments }), '2026-03-05').atRiskCustomers).toBe(2);
  });

  it('list what was owed, the attempts by then and the next one, newest first', () => {
    expect(failedOpenInvoices(invoices, payments, '2026-03-05')).toEqual([
      { invoiceId: 'x2', number: 'INV-x2', customerId: 'risky', subscriptionId: null, issueDate: '2026-03-02', amountDue: 1500, attempts: 1, nextRetryOn: null },
      { invoiceId: 'y', number: 'INV-y', customerId: 'saved', subscriptionId: null, issueDate: '2026-03-01', amountDue: 3000, attempts: 1, nextRetryOn: '2026-03-10' },
      { invoiceId: 'x1', number: 'INV-x1', customerId: 'risky', subscriptionId: 'sx', issueDate: '2026-03-01', amountDue: 5000, attempts: 2, nextRetryOn: '2026-03-08' },
    ]);
    // After its last attempt, the retry the invoice still has scheduled.
    expect(failedOpenInvoices(invoices, payments, '2026-03-09').find((f) => f.invoiceId === 'x1')).toMatchObject({ attempts: 3, nextRetryOn: '2026-03-12' });
  });
});

describe('metricsSummaryFromRows', () => {
  it('gives the same summary from rows that went through JSON, in any order, with more columns than it reads', () => {
    const history = [h('s1', 'c1', '2026-01-01', 'active', 3000), h('s1', 'c1', '2026-02-10', 'active', 6000), h('s2', 'c2', '2026-02-01', 'trialing', 3000)];
    const r = rows({
      subscriptionHistory: history.map((x) => ({ ...x, id: `h${x.seq}`, event: 'changed', quantity: 1, recorded_at: '2026-01-01T00:00:00.000Z' })),
      invoices: [invoice('i', 'c1', '2026-02-01', '2026-02-15', 3000)],
      payments: [pay('i', '2026-02-20', 1000), pay(null, '2026-02-03', 3000)],
    });
    const summary = metricsSummaryFromRows(r, '2026-02-28');
    const shuffled: MetricsRows = JSON.parse(JSON.stringify({ ...r, subscriptionHistory: [...r.subscriptionHistory].reverse(), payments: [...r.payments].reverse() }));
    expect(metricsSummaryFromRows(shuffled, '2026-02-28')).toEqual(summary);
    expect(summary).toMatchObject({ month: '2026-02', currency: 'USD', mrr: 6000, mrrAtStart: 3000, movements: { expansion: 3000, net: 3000 }, revenue: 4000, trialingSubscribers: 1 });
    expect(summary.arAging).toEqual({ current: 0, d1to30: 2000, d31to60: 0, d61to90: 0, over90: 0 });
  });

  it('refuses an as-of that is not a date, naming it', () => {
    expect(() => metricsSummaryFromRows(rows({}), '2026-02-30')).toThrow(/asOf/);
    expect(() => metricsSummaryFromRows(rows({}), 'yesterday')).toThrow(/asOf/);
  });
});
