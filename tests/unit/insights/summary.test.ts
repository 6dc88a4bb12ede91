import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '@shared/contract';
import { buildSummary, type SummaryFact, type SummaryInput } from '@shared/insights/summary';
import { runIn } from '../cli/run-cli';
import { call, callError, FakeClock, makeCore, OWNER_PASSWORD, signUp } from '../../support/core';
import { SPIKE_DAY, SUMMARY_AS_OF, seedSummaryBook } from '../../support/insights-summary-book';
import type { Core } from '../../../src-main/core/core';

// The summary card checked against its facts, and each fact against the command it comes from
// (spec/insights.md: "each fact equals the figure from its source command"), on a built history.

/** The text with every fact's text taken out: no digit may be left (every number in it is a fact). */
function withoutFacts(text: string, facts: readonly SummaryFact[]): string {
  return [...facts].sort((a, b) => b.text.length - a.text.length).reduce((t, f) => (f.text ? t.split(f.text).join('·') : t), text);
}

let core: Core;
let conn: Awaited<ReturnType<typeof signUp>>['conn'];
let env: NodeJS.ProcessEnv;
let summary: Output<'insights.summary'>;

beforeAll(async () => {
  let dataDir: string;
  ({ core, dataDir } = makeCore({ clock: new FakeClock(new Date('2026-12-01T12:00:00Z')) }));
  const s = await signUp(core, { timezone: 'UTC' });
  conn = s.conn;
  seedSummaryBook(core.businesses.get(s.businessId).sqlite);
  env = { RECURRA_DATA_DIR: dataDir, RECURRA_BUSINESS: s.businessId, RECURRA_USER: 'olivia@example.com', RECURRA_PASSWORD: OWNER_PASSWORD };
  summary = await call(core, conn, 'insights.summary', { asOf: SUMMARY_AS_OF });
}, 120_000);
afterAll(() => core.close());

const cli = async <T>(args: string[]): Promise<T> => {
  const r = await runIn(env, [...args, '--json']);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(r.stdout) as T;
};

describe('insights.summary on a built history', () => {
  it('says 6 plain sentences, and every number in them is one of its facts', () => {
    expect(summary.sentences).toHaveLength(6);
    expect(summary.text).toBe(summary.sentences.join(' '));
    expect(withoutFacts(summary.text, summary.facts)).not.toMatch(/\d/);
    for (const f of summary.facts) expect(summary.text).toContain(f.text);
    expect(new Set(summary.facts.map((f) => f.key)).size).toBe(summary.facts.length);
  });

  it('each fact equals the figure from its source command (recurra metrics and insights …)', async () => {
    const fact = (key: string) => {
      const f = summary.facts.find((x) => x.key === key);
      if (!f) throw new Error(`no fact ${key} in ${summary.facts.map((x) => x.key).join(', ')}`);
      return f.value;
    };
    const metrics = await cli<{ mrr: number; activeSubscribers: number; movements: { net: number } }>(['metrics', '--as-of', SUMMARY_AS_OF]);
    expect(fact('metrics.mrr')).toBe(metrics.mrr);
    expect(fact('metrics.activeSubscribers')).toBe(metrics.activeSubscribers);
    expect(fact('metrics.movements.net')).toBe(metrics.movements.net);

    const churn = await cli<Output<'insights.churn'>>(['insights', 'churn', '--as-of', SUMMARY_AS_OF]);
    expect(churn.ready).toBe(true);
    expect(fact('churn.high')).toBe(churn.customers.filter((c) => c.band === 'high').length);
    expect(fact('churn.top.name')).toBe(churn.customers[0]!.name);
    expect(fact('churn.top.score')).toBe(churn.customers[0]!.score);

    const forecast = await cli<Output<'insights.forecast'>>(['insights', 'forecast', '--months', '6', '--as-of', SUMMARY_AS_OF]);
    expect(forecast.ready).toBe(true);
    const next = forecast.months[0]!;
    expect([fact('forecast.month'), fact('forecast.mrr'), fact('forecast.low'), fact('forecast.high')]).toEqual([next.month, next.mrr, next.low, next.high]);

    const anomalies = await cli<Output<'insights.anomalies'>>(['insights', 'anomalies', '--to', SUMMARY_AS_OF]);
    const latest = [...anomalies.anomalies].sort((a, b) => b.date.localeCompare(a.date))[0]!;
    expect(anomalies.anomalies.some((a) => a.date === SPIKE_DAY)).toBe(true);
    expect(fact('anomalies.from')).toBe(anomalies.from);
    expect(fact('anomalies.count')).toBe(anomalies.anomalies.length);
    expect([fact('anomalies.latest.date'), fact('anomalies.latest.value'), fact('anomalies.latest.expected')]).toEqual([latest.date, latest.value, latest.expected]);

    const products = await cli<Output<'insights.products'>>(['insights', 'products', '--to', SUMMARY_AS_OF]);
    expect(fact('products.best.name')).toBe(products.bestSellers[0]!.name);
    expect(fact('products.best.units')).toBe(products.bestSellers[0]!.units);
    expect(fact('products.best.revenue')).toBe(products.bestSellers[0]!.revenue);
    const mat = products.demand.find((d) => d.sku === 'MAT')!;
    expect([fact('stock.name'), fact('stock.days'), fact('stock.left')]).toEqual([mat.name, mat.stockoutInDays, mat.stock]);
  });

  it('recurra insights summary: {text, facts} with --json, the sentences without', async () => {
    const doc = await cli<{ text: string; facts: SummaryFact[] }>(['insights', 'summary', '--as-of', SUMMARY_AS_OF]);
    expect(Object.keys(doc)).toEqual(['text', 'facts']);
    expect(doc).toEqual({ text: summary.text, facts: summary.facts });
    const human = await runIn(env, ['insights', 'summary', '--as-of', SUMMARY_AS_OF]);
    expect(human.stdout).toContain(`Summary as of ${SUMMARY_AS_OF}`);
    expect(human.stdout).toContain(summary.sentences[0]);
    expect(await runIn(env, ['insights', 'summary', '--as-of', '2026-02-30', '--json'])).toMatchObject({ code: 1, stdout: '' });
  });

  it('insights.customer: the churn entry, LTV and next best of the handlers themselves', async () => {
    const churn = await call(core, conn, 'insights.churn', { asOf: SUMMARY_AS_OF });
    const top = churn.customers[0]!;
    const one = await call(core, conn, 'insights.customer', { customerId: top.customerId, asOf: SUMMARY_AS_OF });
    expect(one.churn).toMatchObject({ ready: true, customer: top, rank: 1, scored: churn.customers.length, bands: churn.model!.bands, backtest: churn.model!.backtest });
    const ltv = await call(core, conn, 'insights.ltv', { customerId: top.customerId, asOf: SUMMARY_AS_OF });
    expect(one.ltv).toEqual({ ltv: ltv.customers[0]!.ltv, currency: 'USD', basis: ltv.customers[0]!.basis });
    const products = await call(core, conn, 'insights.products', { customerId: top.customerId, to: SUMMARY_AS_OF });
    expect(one.products.nextBest).toEqual(products.nextBest);
    expect(await callError(core, conn, 'insights.customer', { customerId: 'nobody' })).toMatchObject({ code: 'not_found', field: 'customerId' });
  });
});

describe('buildSummary (pure): thin books say why, never a zero from nothing', () => {
  const empty: SummaryInput = {
    asOf: '2026-03-10',
    currency: 'USD',
    metrics: { mrr: 0, activeSubscribers: 0, movements: { net: 0 } },
    churn: { ready: false, reason: 'Needs 6 months of history and 20 customers who left; you have 2 months and 0.', customers: [] },
    forecast: { ready: false, reason: 'Needs 6 complete months of revenue history; you have 2.', months: [] },
    anomalies: { ready: false, from: '2025-12-11', anomalies: [] },
    products: { ready: false, from: '2025-12-11', bestSellers: [], demand: [] },
  };

  it('a new business: 3 sentences, the reasons as facts, no stray number', () => {
    const s = buildSummary(empty);
    expect(s.sentences).toEqual([
      'Monthly recurring revenue is $0.00 from 0 active subscribers, unchanged since the month began.',
      'Churn risk is not ready yet: Needs 6 months of history and 20 customers who left; you have 2 months and 0.',
      'The revenue forecast is not ready yet: Needs 6 complete months of revenue history; you have 2.',
    ]);
    expect(withoutFacts(s.text, s.facts)).not.toMatch(/\d/);
    expect(s.text).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('down, nobody at high risk, an out-of-stock product, a count anomaly', () => {
    const s = buildSummary({
      ...empty,
      metrics: { mrr: 123_450, activeSubscribers: 1, movements: { net: -2900 } },
      churn: { ready: true, customers: [{ customerId: 'a', name: 'Ann 2', score: 12, band: 'medium' }] },
      anomalies: { ready: true, from: '2026-01-01', anomalies: [{ date: '2026-02-03', metric: 'failedPayments', value: 9, expected: 1, direction: 'up' }] },
      products: { ready: true, from: '2026-01-01', bestSellers: [], demand: [{ productId: 'p', name: 'Mat', stock: 0, stockoutInDays: null }, { productId: 'q', name: 'Tea', stock: 40, stockoutInDays: 100 }] },
    });
    expect(s.sentences[0]).toBe('Monthly recurring revenue is $1,234.50 from 1 active subscriber, down $29.00 since the month began.');
    expect(s.sentences[1]).toBe('No paying customer is at high risk of leaving in the next three months; 1 is at medium risk.');
    expect(s.sentences[3]).toBe('Since 1 January 2026, 1 day looked unusual; the latest, 3 February 2026, had failed payments of 9 where about 1 is usual.');
    expect(s.sentences[4]).toBe('Mat is out of stock.');
    expect(s.facts.find((f) => f.key === 'metrics.movements.net')).toEqual({ key: 'metrics.movements.net', value: -2900, text: '$29.00' });
    expect(withoutFacts(s.text, s.facts)).not.toMatch(/\d/);
  });
});
