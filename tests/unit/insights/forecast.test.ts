import { describe, expect, it } from 'vitest';
import { backtest, fitEts, forecastRevenue, predict, type ForecastMonthInput } from '@shared/insights/forecast';
import { monthRange } from '@shared/insights/sales-stats';

function history(values: readonly number[], first = '2024-01', sales: readonly number[] = []): ForecastMonthInput[] {
  const months = monthRange(first, '2099-12').slice(0, values.length);
  return values.map((v, i) => ({ month: months[i]!, recurring: v, sales: sales[i] ?? 0 }));
}

function allFinite(value: unknown): boolean {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`non-finite ${v}`);
    return v;
  }) !== undefined;
}

describe('revenue forecast', () => {
  it('continues a straight line with a damped trend, the band around it, recurring plus counter sales', () => {
    const values = Array.from({ length: 12 }, (_, i) => 100_000 + 5_000 * i);
    const r = forecastRevenue({ asOf: '2025-01-15', today: '2025-01-15', history: history(values, '2024-01', values.map(() => 1_000)), horizon: 3 });
    expect(r.ready).toBe(true);
    expect(r.method).toBe('ets-damped-additive');
    expect(r.history.at(-1)).toEqual({ month: '2024-12', mrr: 156_000 });
    expect(r.months.map((m) => m.month)).toEqual(['2025-01', '2025-02', '2025-03']);
    // Damped: it keeps rising, by at most the last step each month.
    expect(r.months[0]!.mrr).toBeGreaterThan(156_000);
    expect(r.months[0]!.mrr).toBeLessThanOrEqual(161_000);
    expect(r.months[2]!.mrr).toBeGreaterThan(r.months[0]!.mrr);
    for (const m of r.months) {
      expect(m.low).toBeLessThanOrEqual(m.mrr);
      expect(m.high).toBeGreaterThanOrEqual(m.mrr);
    }
    // A perfect line leaves next to no residual: the band is narrow.
    expect(r.months[0]!.high - r.months[0]!.low).toBeLessThan(5_000);
    expect(r.backtest!.mape).not.toBeNull();
    expect(r.backtest!.mape!).toBeLessThan(r.backtest!.naiveMape!);
  });

  it('learns a 12-month season from 24 months or more and beats same-month-last-year on a growing book', () => {
    const season = [0.8, 0.85, 1, 1.1, 1.2, 1.3, 1.25, 1.1, 1, 0.9, 0.85, 1.4];
    const values = Array.from({ length: 36 }, (_, i) => Math.round((200_000 + 3_000 * i) * season[i % 12]!));
    const r = forecastRevenue({ asOf: '2027-01-01', today: '2027-01-01', history: history(values), horizon: 12 });
    expect(r.method).toBe('ets-damped-additive-seasonal');
    // December is the peak, January the trough: the forecast keeps the shape.
    const dec = r.months.find((m) => m.month === '2027-12')!;
    const jan = r.months.find((m) => m.month === '2027-01')!;
    expect(dec.mrr).toBeGreaterThan(jan.mrr * 1.4);
    expect(r.backtest!.naiveMethod).toBe('seasonal-naive');
    expect(r.backtest!.mape!).toBeLessThan(r.backtest!.naiveMape!);
    expect(r.backtest!.heldOut).toBeGreaterThan(12);
  });

  it('the band widens with the horizon', () => {
    const values = [100, 120, 90, 130, 110, 95, 125, 105, 115, 100, 130, 90].map((v) => v * 1000);
    const out = predict(fitEts(values), 6);
    const widths = out.map((m) => m.high - m.low);
    for (let i = 1; i < widths.length; i++) expect(widths[i]!).toBeGreaterThanOrEqual(widths[i - 1]! - 1);
    expect(widths[0]!).toBeGreaterThan(0);
  });

  it('thin history: ready false with the numbers, and no backtest below 9 months', () => {
    const r = forecastRevenue({ asOf: '2024-05-10', today: '2024-05-10', history: history([0, 0, 500, 700]), horizon: 3 });
    expect(r).toMatchObject({ ready: false, months: [], backtest: null });
    expect(r.reason).toBe('Needs 6 complete months of revenue history; you have 2.');
    const seven = forecastRevenue({ asOf: '2024-08-01', today: '2024-08-01', history: history([1, 2, 3, 4, 5, 6, 7].map((v) => v * 1000)), horizon: 2 });
    expect(seven.ready).toBe(true);
    expect(seven.backtest).toMatchObject({ mape: null, naiveMape: null, coverage: null, heldOut: 0 });
    expect(seven.backtest!.text).toBe('A backtest needs 9 months of history; you have 7.');
  });

  it('no data, a future as-of date, a month with nothing, a currency change: never NaN', () => {
    expect(forecastRevenue({ asOf: '2025-01-01', today: '2025-01-01', history: [], horizon: 3 })).toMatchObject({ ready: false, reason: 'Needs 6 complete months of revenue history; you have 0.' });
    const future = forecastRevenue({ asOf: '2030-01-01', today: '2025-01-01', history: history([1, 2, 3, 4, 5, 6, 7, 8].map((v) => v * 100)), horizon: 3 });
    expect(future.ready).toBe(false);
    expect(future.reason).toContain('2030-01-01 is after today (2025-01-01)');
    // A month with no revenue in the middle (0) is a real month: finite figures, MAPE skips the 0.
    const gap = forecastRevenue({ asOf: '2025-01-05', today: '2025-01-05', history: history([5, 6, 0, 7, 8, 0, 9, 10, 0, 11, 12, 13].map((v) => v * 1000)), horizon: 4 });
    expect(gap.ready).toBe(true);
    expect(allFinite(gap)).toBe(true);
    // A currency change: only the months since count.
    const changed = forecastRevenue({
      asOf: '2025-01-05',
      today: '2025-01-05',
      history: history(Array.from({ length: 12 }, () => 1000)),
      horizon: 3,
      currencyChange: { month: '2024-10', from: 'USD', to: 'EUR' },
    });
    expect(changed.ready).toBe(false);
    expect(changed.reason).toBe('Needs 6 complete months of revenue history since the currency changed from USD to EUR in 2024-10; you have 3.');
  });

  it('a constant book has zero error and an exact band', () => {
    const r = forecastRevenue({ asOf: '2025-07-01', today: '2025-07-01', history: history(Array.from({ length: 18 }, () => 50_000)), horizon: 2 });
    expect(r.months).toEqual([
      { month: '2025-07', mrr: 50_000, low: 50_000, high: 50_000 },
      { month: '2025-08', mrr: 50_000, low: 50_000, high: 50_000 },
    ]);
    expect(backtest(Array.from({ length: 18 }, () => 50_000))).toMatchObject({ mape: 0, naiveMape: 0, coverage: 1 });
  });
});
