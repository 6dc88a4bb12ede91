import { describe, expect, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import type { HistoryRow } from '@shared/domain/metrics';
import { churnRisk } from '@shared/insights/churn';
import type { InsightBooks } from '@shared/insights/features';
import { lifetimeValues } from '@shared/insights/ltv';

// Thin or odd books: a clear ready:false or an empty list, never NaN, Infinity or a crash.

const plans = [{ id: 'p', interval: 'month' as const, interval_count: 1 }];
const empty: InsightBooks = { currency: 'USD', customers: [], history: [], plans, coupons: [], failedPayments: [], payments: [], invoices: [], notes: [], sales: [] };

function book(subscriptions: { start: string; cancel?: string }[]): InsightBooks {
  const history: HistoryRow[] = [];
  const customers = subscriptions.map((s, i) => {
    const id = `c${String(i).padStart(4, '0')}`;
    const row = (seq: number, date: string, status: HistoryRow['status']) =>
      history.push({ subscription_id: `s${id}`, customer_id: id, seq, effective_date: date, status, plan_id: 'p', recurring_amount: 3000, coupon_id: null, coupon_applied_on: null });
    row(1, s.start, 'active');
    if (s.cancel) row(2, s.cancel, 'canceled');
    return { id, name: `Customer ${i}`, segment: '' };
  });
  return { ...empty, customers, history };
}

/** Every number in a document is finite (JSON would turn NaN and Infinity into null silently). */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

describe('churn risk on thin or odd books', () => {
  it('no history at all: not ready, saying what it needs', () => {
    const r = churnRisk(empty, { asOf: '2026-06-30' });
    expect(r).toEqual({ asOf: '2026-06-30', model: null, ready: false, reason: expect.stringMatching(/needs 6 months of history and 20 customers who left; there is no subscription history up to 2026-06-30/) as string, customers: [] });
  });

  it('one customer: not ready, with the numbers it has', () => {
    const r = churnRisk(book([{ start: '2026-01-10' }]), { asOf: '2026-06-30' });
    expect(r.ready).toBe(false);
    expect(r.reason).toBe('Churn risk needs 6 months of history and 20 customers who left; you have 5 months of history and 0 who left within 90 days of a date the model could learn from.');
    expect(r.customers).toEqual([]);
  });

  it('every customer churned: not ready (nobody stayed to learn from); LTV lists nobody', () => {
    const subs = Array.from({ length: 60 }, (_, i) => ({ start: addDays('2025-01-01', i * 6), cancel: addDays('2025-01-01', i * 6 + 40) }));
    const r = churnRisk(book(subs), { asOf: '2026-06-30' });
    expect(r).toMatchObject({ ready: false, customers: [], reason: 'Every customer in your history canceled within 90 days: there is nobody who stayed to learn from.' });
    const ltv = lifetimeValues(book(subs), { asOf: '2026-06-30' });
    expect(ltv).toEqual({ asOf: '2026-06-30', currency: 'USD', customers: [], segments: [] });
  });

  it('a future as-of date: not ready for churn, empty lists for LTV', () => {
    const b = book([{ start: '2025-01-10' }]);
    expect(churnRisk(b, { asOf: '2027-01-01', today: '2026-06-30' })).toMatchObject({ ready: false, reason: '2027-01-01 is in the future (today is 2026-06-30): churn risk is computed from the books up to today or a past date.' });
    expect(lifetimeValues(b, { asOf: '2027-01-01', today: '2026-06-30' })).toMatchObject({ customers: [], segments: [] });
  });

  it('nobody left: LTV says it cannot estimate a lifetime (null, never Infinity)', () => {
    const ltv = lifetimeValues(book([{ start: '2025-01-10' }, { start: '2025-03-10' }]), { asOf: '2026-06-30' });
    expect(ltv.customers).toHaveLength(2);
    expect(ltv.customers[0]).toMatchObject({ ltv: null, currency: 'USD', basis: 'Nobody left in the 12 months to 2026-06-30, so how long a customer stays cannot be estimated yet.' });
    expect(ltv.segments).toEqual([{ segment: 'no segment', payingCustomers: 2, arpa: 3000, monthlyChurn: 0, ltv: null, basis: 'Nobody left in the 12 months to 2026-06-30: no lifetime to estimate.' }]);
    expect(allFinite(ltv)).toBe(true);
  });

  it('enough history with some leaving: ready, finite scores 0-100, deterministic', () => {
    // 80 customers over 18 months; every third leaves after 3 months.
    const subs = Array.from({ length: 80 }, (_, i) => ({ start: addDays('2025-01-01', i * 5), ...(i % 3 === 0 ? { cancel: addDays('2025-01-01', i * 5 + 95) } : {}) }));
    const r = churnRisk(book(subs), { asOf: '2026-06-30' });
    expect(r.ready).toBe(true);
    expect(allFinite(r)).toBe(true);
    expect(r.customers.length).toBeGreaterThan(0);
    for (const c of r.customers) {
      expect(Number.isInteger(c.score) && c.score >= 0 && c.score <= 100).toBe(true);
      expect(c.factors.length).toBeLessThanOrEqual(3);
      for (const f of c.factors) expect(f.text).toMatch(/: ([+−]\d+ points?|(lowers|raises) it by less than a point)$/);
    }
    expect(churnRisk(book(subs), { asOf: '2026-06-30' })).toEqual(r);
    expect(churnRisk(book(subs), { asOf: '2026-06-30', top: 2 }).customers).toEqual(r.customers.slice(0, 2));
  });
});
