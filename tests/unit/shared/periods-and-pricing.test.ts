import { describe, expect, it } from 'vitest';
import { addMonths, firstPeriodOnOrAfter, periodContaining, periodStart } from '@shared/domain/periods';
import { recurringAmount, tiersProblem } from '@shared/domain/pricing';

const grid = (anchor: string, interval: 'day' | 'week' | 'month' | 'quarter' | 'year', intervalCount: number, n: number) =>
  Array.from({ length: n }, (_, k) => periodStart(anchor, { interval, intervalCount }, k));

describe('the anchor grid (spec 2)', () => {
  it('monthly from 2026-01-31 comes back to the 31st after short months', () => {
    expect(grid('2026-01-31', 'month', 1, 5)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
  });
  it('yearly from a leap day', () => {
    expect(grid('2024-02-29', 'year', 1, 5)).toEqual(['2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29']);
  });
  it('every 2 weeks', () => {
    expect(grid('2026-01-05', 'week', 2, 3)).toEqual(['2026-01-05', '2026-01-19', '2026-02-02']);
  });
  it('quarters, days and every 6 months', () => {
    expect(grid('2026-11-30', 'quarter', 1, 3)).toEqual(['2026-11-30', '2027-02-28', '2027-05-30']);
    expect(grid('2026-12-30', 'day', 1, 3)).toEqual(['2026-12-30', '2026-12-31', '2027-01-01']);
    expect(grid('2026-08-31', 'month', 6, 3)).toEqual(['2026-08-31', '2027-02-28', '2027-08-31']);
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
  });
  it('finds the period on or after, and containing, a date', () => {
    const c = { interval: 'month' as const, intervalCount: 1 };
    expect(firstPeriodOnOrAfter('2026-01-31', c, '2026-03-15')).toBe(2); // 03-31
    expect(firstPeriodOnOrAfter('2026-01-31', c, '2026-03-31')).toBe(2);
    expect(firstPeriodOnOrAfter('2026-01-31', c, '2025-01-01')).toBe(0);
    expect(periodContaining('2026-01-31', c, '2026-03-15')).toBe(1); // [02-28, 03-31)
    expect(periodContaining('2026-01-31', c, '2026-03-31')).toBe(2);
    expect(firstPeriodOnOrAfter('2020-01-01', { interval: 'day', intervalCount: 3 }, '2026-01-01')).toBe(Math.ceil(2192 / 3));
  });
});

describe('prices (spec 3)', () => {
  const tiers = [
    { upTo: 10, unitAmount: 500, flatAmount: 0 },
    { upTo: null, unitAmount: 400, flatAmount: 0 },
  ];
  it('graduated and volume tiers, quantity 15', () => {
    expect(recurringAmount({ pricingModel: 'graduated', unitAmount: 0, tiers }, 15)).toBe(7000);
    expect(recurringAmount({ pricingModel: 'volume', unitAmount: 0, tiers }, 15)).toBe(6000);
    expect(recurringAmount({ pricingModel: 'graduated', unitAmount: 0, tiers }, 10)).toBe(5000);
    expect(recurringAmount({ pricingModel: 'volume', unitAmount: 0, tiers }, 3)).toBe(1500);
    expect(recurringAmount({ pricingModel: 'flat', unitAmount: 2900, tiers: [] }, 3)).toBe(8700);
  });
  it('checks tier shapes', () => {
    expect(tiersProblem(tiers)).toBeNull();
    expect(tiersProblem([{ upTo: null, unitAmount: 1, flatAmount: 0 }, { upTo: null, unitAmount: 1, flatAmount: 0 }])).toMatch(/only the last/);
    expect(tiersProblem([{ upTo: 10, unitAmount: 1, flatAmount: 0 }, { upTo: 5, unitAmount: 1, flatAmount: 0 }, { upTo: null, unitAmount: 1, flatAmount: 0 }])).toMatch(/increase/);
  });
});
