import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '@shared/contract';
import { CHURN_BOOK_AS_OF, seedChurnBook } from '../../../bench/insights-churn-data';
import { runIn } from '../cli/run-cli';
import { call, callError, connect, FakeClock, makeCore, OWNER_PASSWORD, signUp } from '../../support/core';
import type { Core } from '../../../src-main/core/core';

// The churn model on a business whose churn has a known truth (bench/insights-churn-data.ts),
// through the real dispatcher and the CLI, on a real SQLite file.

let core: Core;
let dataDir: string;
let businessId: string;
let conn: ReturnType<typeof connect>;
let result: Output<'insights.churn'>;

beforeAll(async () => {
  ({ core, dataDir } = makeCore({ clock: new FakeClock(new Date('2026-12-01T12:00:00Z')) }));
  const s = await signUp(core, { timezone: 'UTC' });
  conn = s.conn;
  businessId = s.businessId;
  seedChurnBook(core.businesses.get(businessId).sqlite, 1200);
  result = await call(core, conn, 'insights.churn', { asOf: CHURN_BOOK_AS_OF });
}, 120_000);
afterAll(() => core.close());

describe('insights.churn on a book with a known truth', () => {
  it('is ready, and its backtest beats the best single rule', () => {
    expect(result.ready).toBe(true);
    const m = result.model!;
    expect(m.kind).toBe('logistic-regression');
    expect(m.trainedOn.dates).toBe(12);
    expect(m.trainedOn.customersWhoLeft).toBeGreaterThanOrEqual(20);
    expect(m.heldOutAsOf).toBe('2026-09-01');
    expect(m.auc!).toBeGreaterThan(0.7);
    expect(m.auc!).toBeGreaterThan(m.baselineAuc!);
    expect(m.backtest).toMatch(/^Tested on 2026-09-01 with a model that knew only the books 90 days before it: of the \d+ customers who left in the next 90 days, it put \d+ at medium or high risk\./);
  });

  it('scores every paying customer 0-100, riskiest first, with up to 3 factors in words and points', () => {
    expect(result.customers.length).toBeGreaterThan(300);
    const scores = result.customers.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const { mediumFrom, highFrom } = result.model!.bands;
    for (const c of result.customers) {
      expect(c.band).toBe(c.score >= highFrom ? 'high' : c.score >= mediumFrom ? 'medium' : 'low');
      expect(c.factors).toHaveLength(3);
      const efforts = c.factors.map((f) => Math.abs(f.effect));
      expect(efforts).toEqual([...efforts].sort((a, b) => b - a));
      for (const f of c.factors) {
        expect(f.text).toMatch(f.effect === 0 ? /: (lowers|raises) it by less than a point$/ : new RegExp(`: ${f.effect > 0 ? '\\+' : '−'}${Math.abs(f.effect)} points?$`));
      }
    }
    // The riskiest customers' reasons are the known drivers.
    const reasons = result.customers.slice(0, 20).flatMap((c) => c.factors.filter((f) => f.effect > 0).map((f) => f.factor));
    expect(reasons.some((f) => f === 'failedPayments' || f === 'mrrChange' || f === 'pauses' || f === 'tenure')).toBe(true);
  });

  it('is the same for the same file: another process opening it scores alike', async () => {
    const { core: other } = makeCore({ dataDir, clock: new FakeClock(new Date('2026-12-01T12:00:00Z')) });
    const c2 = connect();
    await call(other, c2, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    expect(await call(other, c2, 'insights.churn', { asOf: CHURN_BOOK_AS_OF })).toEqual(result);
    other.close();
    expect(await call(core, conn, 'insights.churn', { asOf: CHURN_BOOK_AS_OF, top: 3 })).toEqual({ ...result, customers: result.customers.slice(0, 3) });
  });

  it('a future date is not ready; a bad one is a validation error naming the field', async () => {
    expect(await call(core, conn, 'insights.churn', { asOf: '2026-12-02' })).toMatchObject({ ready: false, model: null, customers: [], reason: expect.stringContaining('is in the future') as string });
    expect(await callError(core, conn, 'insights.churn', { asOf: '2026-13-01' })).toMatchObject({ code: 'validation', field: 'asOf' });
    expect(await callError(core, conn, 'insights.churn', { top: 0 })).toMatchObject({ code: 'validation', field: 'top' });
  });

  it('recurra insights churn / ltv: the JSON of spec/cli.md, and text for people', async () => {
    const env = { RECURRA_DATA_DIR: dataDir, RECURRA_BUSINESS: businessId, RECURRA_USER: 'olivia@example.com', RECURRA_PASSWORD: OWNER_PASSWORD };
    const json = await runIn(env, ['insights', 'churn', '--as-of', CHURN_BOOK_AS_OF, '--top', '2', '--json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(json.stdout) as Output<'insights.churn'>;
    expect(Object.keys(doc)).toEqual(['asOf', 'model', 'ready', 'customers']);
    expect(doc.customers).toEqual(result.customers.slice(0, 2));
    expect(Object.keys(doc.customers[0]!)).toEqual(['customerId', 'name', 'score', 'band', 'factors']);
    expect(Object.keys(doc.customers[0]!.factors[0]!)).toEqual(['factor', 'effect', 'text']);

    const human = await runIn(env, ['insights', 'churn', '--as-of', CHURN_BOOK_AS_OF, '--top', '2']);
    expect(human.stdout).toContain(`Churn risk as of ${CHURN_BOOK_AS_OF}: the chance in % that each paying customer cancels within 90 days.`);
    expect(human.stdout).toContain(result.customers[0]!.factors[0]!.text);

    const top = result.customers[0]!;
    const ltv = await runIn(env, ['insights', 'ltv', '--customer', top.customerId, '--json']);
    expect(ltv).toMatchObject({ code: 0, stderr: '' });
    const ltvDoc = JSON.parse(ltv.stdout) as { asOf: string; customers: { customerId: string; ltv: number | null; currency: string; basis: string }[] };
    expect(Object.keys(ltvDoc)).toEqual(['asOf', 'customers']);
    expect(ltvDoc.customers).toHaveLength(1);
    expect(Object.keys(ltvDoc.customers[0]!)).toEqual(['customerId', 'ltv', 'currency', 'basis']);
    expect(ltvDoc.customers[0]).toMatchObject({ customerId: top.customerId, currency: 'USD' });

    expect(await runIn(env, ['insights', 'churn', '--top', 'x', '--json'])).toMatchObject({ code: 1, stdout: '' });
    expect(await runIn(env, ['insights', 'ltv', '--customer', 'nobody', '--json'])).toMatchObject({ code: 1, stdout: '' });
  });
});
