import { describe, expect, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import { anomalyText, findAnomalies, weekdayOf, type DayFigures } from '@shared/insights/anomalies';

/** 100 days from 2026-01-05 (a Monday): revenue 1,000.00 on weekdays, 3,000.00 on Saturdays, 0 on Sundays; 10 sales a day. */
function book(days = 100, edit: (d: DayFigures) => void = () => {}): DayFigures[] {
  return Array.from({ length: days }, (_, i) => {
    const date = addDays('2026-01-05', i);
    const w = weekdayOf(date);
    const d: DayFigures = { date, revenue: w === 6 ? 0 : w === 5 ? 300_000 : 100_000 + (i % 3) * 5_000, sales: w === 6 ? 0 : 10 + (i % 2), refunds: 0, failedPayments: i % 4 === 0 ? 1 : 0 };
    edit(d);
    return d;
  });
}

describe('anomalies', () => {
  it('flags an injected spike and dip with the weekday baseline, and nothing on an ordinary weekly pattern', () => {
    const days = book(100, (d) => {
      if (d.date === '2026-03-17') d.revenue = 330_000; // a Tuesday, about 3x
      if (d.date === '2026-03-26') d.revenue = 10_000; // a Thursday, a dip
    });
    const r = findAnomalies({ from: '2026-03-02', to: '2026-04-14', today: '2026-04-14', currency: 'USD', since: '2026-01-05', days });
    expect(r.ready).toBe(true);
    expect(r.checkedDays).toBe(44);
    expect(r.anomalies.map((a) => [a.date, a.metric, a.direction])).toEqual([
      ['2026-03-17', 'revenue', 'up'],
      ['2026-03-26', 'revenue', 'down'],
    ]);
    const spike = r.anomalies[0]!;
    expect(spike.value).toBe(330_000);
    expect(spike.expected).toBeGreaterThanOrEqual(100_000);
    expect(spike.expected).toBeLessThanOrEqual(110_000);
    expect(spike.high).toBeLessThan(330_000);
    expect(spike.text).toMatch(/^Revenue on 17 Mar was \$3,300\.00, about 3(\.\d)?x the usual \$1,0\d\d\.00 for a Tuesday\.$/);
    expect(r.anomalies[1]!.text).toMatch(/^Revenue on 26 Mar was \$100\.00, \d+% below the usual \$1,0\d\d\.00 for a Thursday\.$/);
    // Saturdays bring 3x a weekday: not an anomaly, the weekday effect expects it.
    expect(r.anomalies.some((a) => weekdayOf(a.date) === 5)).toBe(false);
  });

  it('counts: a burst of failed payments and refunds on a quiet series', () => {
    const days = book(100, (d) => {
      if (d.date === '2026-04-01') d.failedPayments = 9;
      if (d.date === '2026-04-02') d.refunds = 50_000;
    });
    const r = findAnomalies({ from: '2026-03-30', to: '2026-04-05', today: '2026-04-10', currency: 'USD', since: '2026-01-05', days });
    expect(r.anomalies.map((a) => [a.date, a.metric])).toEqual([
      ['2026-04-01', 'failedPayments'],
      ['2026-04-02', 'refunds'],
    ]);
    expect(r.anomalies[0]!.text).toBe('Failed payments on 1 Apr were 9, when a Wednesday usually has 0 (up to 4 would be normal).');
    expect(r.anomalies[1]!.text).toMatch(/^Refunds on 2 Apr were \$500\.00, when a Thursday usually has none/);
  });

  it('thin or no history, a future range: ready false with the numbers, never NaN', () => {
    expect(findAnomalies({ from: '2026-01-01', to: '2026-01-31', today: '2026-02-01', currency: 'USD', since: null, days: [] })).toMatchObject({
      ready: false,
      reason: 'No payments, sales or refunds in the books yet.',
      anomalies: [],
    });
    const thin = findAnomalies({ from: '2026-01-10', to: '2026-01-20', today: '2026-01-20', currency: 'USD', since: '2026-01-05', days: book(16) });
    expect(thin).toMatchObject({ ready: false, reason: 'Needs 28 days of history before a day can be checked; you have 15.' });
    const future = findAnomalies({ from: '2027-01-01', to: '2027-02-01', today: '2026-04-01', currency: 'USD', since: '2026-01-05', days: book(100) });
    expect(future.ready).toBe(false);
    expect(future.reason).toBe('Nothing to check: 2027-01-01 is after 2026-04-01 (today).');
    // A month with no data at all after the history began: the zeros are days like any other, figures finite.
    const gap = findAnomalies({ from: '2026-03-01', to: '2026-04-10', today: '2026-04-10', currency: 'JPY', since: '2026-01-05', days: book(100).filter((d) => d.date < '2026-02-01' || d.date >= '2026-03-01') });
    for (const a of gap.anomalies) for (const n of [a.value, a.expected, a.low, a.high]) expect(Number.isFinite(n)).toBe(true);
  });

  it('today is not over: an unusually high figure shows, an unusually low one waits for the day to end', () => {
    const days = book(100, (d) => {
      if (d.date === '2026-03-26') d.revenue = 10_000; // a Thursday far below its usual
    });
    const low = findAnomalies({ from: '2026-03-20', to: '2026-03-26', today: '2026-03-26', currency: 'USD', since: '2026-01-05', days });
    expect(low.anomalies.filter((a) => a.date === '2026-03-26')).toEqual([]);
    const later = findAnomalies({ from: '2026-03-20', to: '2026-03-26', today: '2026-03-27', currency: 'USD', since: '2026-01-05', days });
    expect(later.anomalies.filter((a) => a.date === '2026-03-26').map((a) => [a.metric, a.direction])).toContainEqual(['revenue', 'down']);
    const high = book(100, (d) => {
      if (d.date === '2026-03-26') d.revenue = 500_000;
    });
    const spike = findAnomalies({ from: '2026-03-20', to: '2026-03-26', today: '2026-03-26', currency: 'USD', since: '2026-01-05', days: high });
    expect(spike.anomalies.filter((a) => a.date === '2026-03-26').map((a) => [a.metric, a.direction])).toContainEqual(['revenue', 'up']);
  });

  it('says the size in words', () => {
    const base = { date: '2026-03-12', metric: 'revenue' as const, low: 80_000, high: 140_000 };
    expect(anomalyText({ ...base, value: 340_000, expected: 110_000, direction: 'up' }, 'Thursday', 'USD')).toBe(
      'Revenue on 12 Mar was $3,400.00, about 3.1x the usual $1,100.00 for a Thursday.',
    );
    expect(anomalyText({ ...base, value: 160_000, expected: 110_000, direction: 'up' }, 'Thursday', 'USD')).toBe(
      'Revenue on 12 Mar was $1,600.00, 45% above the usual $1,100.00 for a Thursday.',
    );
    expect(anomalyText({ ...base, metric: 'sales', value: 2, expected: 15, direction: 'down', low: 5, high: 25 }, 'Thursday', 'USD')).toBe(
      'Counter sales on 12 Mar were 2, 87% below the usual 15 for a Thursday.',
    );
  });
});
