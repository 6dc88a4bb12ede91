import { describe, expect, it } from 'vitest';
import type { Dashboard } from '@shared/contract/metrics';
import { growthPoints, monthAt, movementBars, mrrPoints, revenueBars, shortMonth, visibleMonths, type SeriesMonth } from '../../src-renderer/src/features/dashboard/chart-data';
import { asOfFrom, describeTrials, hasFigures } from '../../src-renderer/src/features/dashboard/dashboard-state';
import { monthRange, reportLink } from '../../src-renderer/src/features/dashboard/drill';
import { describeChange, formatRate, metricChange } from '../../src-renderer/src/features/dashboard/metric-change';
import { formatBytes } from '../../src-renderer/src/features/data/format-bytes';
import { isStaleAfter } from '../../src-renderer/src/lib/query';

const usd = (minor: number) => `$${(minor / 100).toFixed(2)}`;

describe('change vs last month', () => {
  it('says which way a figure moved, by how much, and whether that is good news', () => {
    expect(metricChange(9000, 6000, 'money', 'up')).toEqual({ direction: 'up', delta: 3000, relative: 50, tone: 'good' });
    expect(metricChange(6000, 9000, 'money', 'up')).toEqual({ direction: 'down', delta: -3000, relative: -33.3, tone: 'bad' });
    // Churn going up is bad, going down good.
    expect(metricChange(33.33, 0, 'percent', 'down')).toMatchObject({ direction: 'up', tone: 'bad' });
    expect(metricChange(0, 33.33, 'percent', 'down')).toMatchObject({ direction: 'down', tone: 'good' });
  });

  it('compares rates in hundredths, so a change in points is exact', () => {
    expect(metricChange(12.34, 1.1, 'percent', 'down').delta).toBe(11.24);
    expect(metricChange(0.3, 0.1, 'percent', 'down').delta).toBe(0.2);
    expect(metricChange(33.33, 0, 'percent', 'down').relative).toBeNull(); // a rate moves in points, not in percent of itself
  });

  it('handles a zero or unknown last month', () => {
    expect(metricChange(3000, 0, 'money', 'up')).toEqual({ direction: 'up', delta: 3000, relative: null, tone: 'good' });
    expect(metricChange(0, 0, 'money', 'up')).toEqual({ direction: 'flat', delta: 0, relative: null, tone: 'neutral' });
    expect(metricChange(3000, 3000, 'money', 'up')).toEqual({ direction: 'flat', delta: 0, relative: 0, tone: 'neutral' });
    expect(metricChange(null, 9001, 'money', 'up')).toEqual({ direction: 'none', delta: null, relative: null, tone: 'neutral' });
    expect(metricChange(9001, null, 'money', 'up').direction).toBe('none');
    expect(metricChange(0, null, 'percent', 'down').direction).toBe('none');
  });

  it('words the change', () => {
    expect(describeChange(metricChange(9000, 6000, 'money', 'up'), 'money', usd)).toBe('+$30.00 (+50.0%)');
    expect(describeChange(metricChange(6000, 9000, 'money', 'up'), 'money', usd)).toBe('−$30.00 (−33.3%)');
    expect(describeChange(metricChange(3000, 0, 'money', 'up'), 'money', usd)).toBe('+$30.00');
    expect(describeChange(metricChange(0, 33.33, 'percent', 'down'), 'percent', usd)).toBe('−33.33 pts');
    expect(describeChange(metricChange(1250, 1000, 'count', 'up'), 'count', usd)).toBe('+250 (+25.0%)');
    expect(describeChange(metricChange(5, 5, 'count', 'up'), 'count', usd)).toBe('No change');
    expect(describeChange(metricChange(null, 5, 'count', 'up'), 'count', usd)).toBe('—');
    expect(formatRate(33.3)).toBe('33.30%');
    expect(formatRate(null)).toBe('—');
  });
});

const month = (m: string, values: Partial<SeriesMonth> = {}): SeriesMonth => ({
  month: m,
  mrr: 0,
  revenue: 0,
  new: 0,
  expansion: 0,
  contraction: 0,
  churn: 0,
  reactivation: 0,
  net: 0,
  newCustomers: 0,
  totalCustomers: 0,
  ...values,
});

const YEAR = ['2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04'];

describe('chart data', () => {
  it('starts a young business’s charts at its first month with anything in it, six months at least', () => {
    const young = YEAR.map((m) => month(m, m >= '2026-01' ? { mrr: 9000 } : {}));
    expect(visibleMonths(young).map((m) => m.month)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04']);
    const older = YEAR.map((m) => month(m, m >= '2025-08' ? { newCustomers: 1, totalCustomers: 1 } : {}));
    expect(visibleMonths(older)[0]!.month).toBe('2025-08');
    expect(visibleMonths(YEAR.map((m) => month(m)))).toHaveLength(6);
    expect(visibleMonths(YEAR.map((m) => month(m, { revenue: 1 })))).toHaveLength(12);
    // A refund alone (negative revenue) is something.
    expect(visibleMonths(YEAR.map((m) => month(m, m === '2025-06' ? { revenue: -500 } : {})))[0]!.month).toBe('2025-06');
  });

  it('stacks gains above the line and losses below it', () => {
    const [bar] = movementBars([month('2026-03', { new: 3000, reactivation: 1000, expansion: 500, contraction: 200, churn: 3000, net: 1300 })]);
    expect(bar).toEqual({ month: '2026-03', label: 'Mar 26', new: 3000, reactivation: 1000, expansion: 500, contraction: -200, churn: -3000, net: 1300 });
    const [quiet] = movementBars([month('2026-04')]);
    expect(Object.is(quiet!.churn, -0)).toBe(false); // a zero stays a plain zero (no "-$0" in a tooltip)
  });

  it('labels months briefly and keeps amounts in minor units', () => {
    expect(shortMonth('2026-01')).toBe('Jan 26');
    expect(shortMonth('not a month')).toBe('not a month');
    const series = [month('2025-12', { newCustomers: 3, totalCustomers: 3 }), month('2026-01', { mrr: 9000, revenue: 9000, totalCustomers: 3 })];
    expect(mrrPoints(series)).toEqual([
      { month: '2025-12', label: 'Dec 25', mrr: 0 },
      { month: '2026-01', label: 'Jan 26', mrr: 9000 },
    ]);
    expect(revenueBars(series)[1]).toEqual({ month: '2026-01', label: 'Jan 26', revenue: 9000 });
    expect(growthPoints(series)[0]).toEqual({ month: '2025-12', label: 'Dec 25', newCustomers: 3, totalCustomers: 3 });
  });

  it('finds the month a click landed on from recharts’ index', () => {
    const rows = [{ month: '2026-01' }, { month: '2026-02' }];
    expect(monthAt(rows, 1)).toBe('2026-02');
    expect(monthAt(rows, '0')).toBe('2026-01');
    expect(monthAt(rows, undefined)).toBeNull();
    expect(monthAt(rows, null)).toBeNull();
    expect(monthAt(rows, 5)).toBeNull();
  });
});

const dashboard = (changes: Partial<Dashboard['summary']> = {}, rest: Partial<Dashboard> = {}): Dashboard => {
  const summary: Dashboard['summary'] = {
    asOf: '2026-04-10',
    month: '2026-04',
    currency: 'USD',
    mrr: 0,
    arr: 0,
    activeSubscribers: 0,
    trialingSubscribers: 0,
    churnRate: null,
    revenue: 0,
    movements: { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 },
    arAging: { current: 0, d1to30: 0, d31to60: 0, d61to90: 0, over90: 0 },
    arpa: 0,
    ltv: null,
    grossMrrChurn: null,
    netMrrChurn: null,
    mrrAtStart: 0,
    churnedCustomers: 0,
    atRiskCustomers: 0,
    ...changes,
  };
  return {
    asOf: '2026-04-10',
    currency: 'USD',
    summary,
    previous: { ...summary, month: '2026-03', asOf: '2026-03-31' },
    revenueSameDaysLastMonth: 0,
    series: YEAR.map((m) => month(m)),
    trialConversion: { ended: 0, converted: 0, rate: null },
    upcomingRenewals: { count: 0, amount: 0, currency: 'USD', rows: [] },
    failedPayments: { count: 0, amountDue: 0, mrrAtRisk: 0, rows: [] },
    todaysSales: { date: '2026-04-10', count: 0, sales: 0, refunds: 0, net: 0 },
    ...rest,
  };
};

describe('the dashboard’s state', () => {
  it('shows the first-run guide only when there is nothing at all to count', () => {
    expect(hasFigures(dashboard())).toBe(false);
    // Customers alone are not figures yet.
    expect(hasFigures(dashboard({}, { series: YEAR.map((m) => month(m, { newCustomers: 1, totalCustomers: 1 })) }))).toBe(false);
    expect(hasFigures(dashboard({ trialingSubscribers: 1 }))).toBe(true);
    expect(hasFigures(dashboard({}, { upcomingRenewals: { count: 1, amount: 3000, currency: 'USD', rows: [] } }))).toBe(true);
    expect(hasFigures(dashboard({ arAging: { current: 0, d1to30: 0, d31to60: 0, d61to90: 0, over90: 100 } }))).toBe(true);
    expect(hasFigures(dashboard({}, { series: YEAR.map((m) => month(m, m === '2025-09' ? { mrr: 3000 } : {})) }))).toBe(true);
  });

  it('takes the as-of date from the address only when it is a real day not after today', () => {
    expect(asOfFrom(null, '2026-04-10')).toBe('2026-04-10');
    expect(asOfFrom('2026-03-31', '2026-04-10')).toBe('2026-03-31');
    expect(asOfFrom('2026-05-01', '2026-04-10')).toBe('2026-04-10');
    expect(asOfFrom('2026-02-30', '2026-04-10')).toBe('2026-04-10');
    expect(asOfFrom('yesterday', '2026-04-10')).toBe('2026-04-10');
  });

  it('words trial conversion', () => {
    expect(describeTrials({ ended: 0, converted: 0, rate: null })).toBeNull();
    expect(describeTrials({ ended: 3, converted: 2, rate: 66.67 })).toBe('2 of 3 trials that ended became paying (66.67%)');
    expect(describeTrials({ ended: 1, converted: 0, rate: 0 })).toBe('0 of 1 trial that ended became paying (0.00%)');
  });

  it('links a month’s figures to the report of the same days', () => {
    expect(monthRange('2026-04', '2026-04-10')).toEqual({ from: '2026-04-01', to: '2026-04-10' });
    expect(monthRange('2026-02', '2026-04-10')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(reportLink('payments', monthRange('2026-04', '2026-04-10'))).toBe('/reports?kind=payments&from=2026-04-01&to=2026-04-10');
    expect(reportLink('ar-aging', { to: '2026-04-10' })).toBe('/reports?kind=ar-aging&to=2026-04-10');
  });
});

describe('figures refresh when the data behind them changes', () => {
  it('refreshes a module’s own queries, and metrics and reports on any data change', () => {
    expect(isStaleAfter('customers.list', ['customers'])).toBe(true);
    expect(isStaleAfter('plans.list', ['customers'])).toBe(false);
    expect(isStaleAfter('metrics.dashboard', ['metrics'])).toBe(true);
    // A customer added is a new customer in the growth chart; a plan is a step of the first-run guide.
    expect(isStaleAfter('metrics.dashboard', ['customers'])).toBe(true);
    expect(isStaleAfter('reports.view', ['payments', 'invoices'])).toBe(true);
    expect(isStaleAfter('metrics.dashboard', ['users'])).toBe(false);
  });
});

describe('file sizes', () => {
  it('reads like a person would say them', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(479_232)).toBe('468 KB');
    expect(formatBytes(5_400_000)).toBe('5.1 MB');
  });
});
