import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSIGHT_TABLES } from '@shared/contract/insights-lists';
import { toDecimalString } from '@shared/domain/money';
import { CHURN_BOOK_AS_OF, seedChurnBook } from '../../../bench/insights-churn-data';
import path from 'node:path';
import { runIn } from '../cli/run-cli';
import { call, callError, FakeClock, makeCore, OWNER_PASSWORD, signUp } from '../../support/core';
import type { Core } from '../../../src-main/core/core';

// The customers list's risk column, sort and "At risk" filter, and the insight tables as CSV,
// on a business whose churn has a known truth (bench/insights-churn-data.ts), today = its as-of date.

let core: Core;
let dataDir: string;
let businessId: string;
let conn: Awaited<ReturnType<typeof signUp>>['conn'];

beforeAll(async () => {
  ({ core, dataDir } = makeCore({ clock: new FakeClock(new Date(`${CHURN_BOOK_AS_OF}T12:00:00Z`)) }));
  ({ conn, businessId } = await signUp(core, { timezone: 'UTC' }));
  seedChurnBook(core.businesses.get(businessId).sqlite, 300);
}, 60_000);
afterAll(() => core.close());

describe('risk in the customers list', () => {
  it('insights.risk carries insights.churn’s own score and band for every paying customer', async () => {
    const churn = await call(core, conn, 'insights.churn', {});
    const risk = await call(core, conn, 'insights.risk', {});
    expect(churn.ready).toBe(true);
    expect(risk.ready).toBe(true);
    expect(risk.bands).toBe(churn.model!.bands.text);
    expect(risk.customers).toEqual(churn.customers.map((c) => ({ customerId: c.customerId, score: c.score, band: c.band })));
  });

  it('sorts by risk (riskiest first, customers without a score last) and pages through the same order', async () => {
    const churn = await call(core, conn, 'insights.churn', {});
    const score = new Map(churn.customers.map((c) => [c.customerId, c.score]));
    const all = await call(core, conn, 'customers.list', { sort: 'risk', direction: 'desc', limit: 500, withTotal: true });
    const scores = all.rows.map((r) => score.get(r.id) ?? -1);
    expect(all.rows.length).toBe(all.total);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.filter((s) => s >= 0).length).toBe(churn.customers.length);
    const second = await call(core, conn, 'customers.list', { sort: 'risk', direction: 'desc', offset: 10, limit: 10 });
    expect(second.rows.map((r) => r.id)).toEqual(all.rows.slice(10, 20).map((r) => r.id));
    const asc = await call(core, conn, 'customers.list', { sort: 'risk', direction: 'asc', limit: 500 });
    const ascScores = asc.rows.map((r) => score.get(r.id) ?? -1);
    const scored = ascScores.filter((s) => s >= 0);
    expect(scored).toEqual([...scored].sort((a, b) => a - b));
    expect(ascScores.slice(scored.length).every((s) => s === -1)).toBe(true);
  });

  it('the atRisk filter keeps exactly the medium and high bands; false keeps the rest', async () => {
    const churn = await call(core, conn, 'insights.churn', {});
    const want = churn.customers.filter((c) => c.band !== 'low').map((c) => c.customerId).sort();
    expect(want.length).toBeGreaterThan(0);
    const atRisk = await call(core, conn, 'customers.list', { atRisk: true, limit: 500, withTotal: true });
    expect(atRisk.rows.map((r) => r.id).sort()).toEqual(want);
    expect(atRisk.total).toBe(want.length);
    const everyone = await call(core, conn, 'customers.list', { limit: 1, withTotal: true });
    const rest = await call(core, conn, 'customers.list', { atRisk: false, limit: 1, withTotal: true });
    expect(rest.total).toBe(everyone.total! - want.length);
  });

  it('a saved view holds the risk filter and sort', async () => {
    const saved = await call(core, conn, 'customerViews.save', { name: 'Risky', filter: { atRisk: true }, sort: 'risk', direction: 'desc' });
    expect(saved).toMatchObject({ filter: { atRisk: true }, sort: 'risk' });
    // A campaign to that view reaches exactly the customers at risk (who have an email and did not opt out).
    const churn = await call(core, conn, 'insights.churn', {});
    const preview = await call(core, conn, 'campaigns.preview', { audience: { view: 'Risky' } });
    expect(preview.count + preview.optedOut + preview.noEmail).toBe(churn.customers.filter((c) => c.band !== 'low').length);
  });
});

describe('insights.export', () => {
  it.each(INSIGHT_TABLES)('%s: a CSV with a header and the rows the screen shows', async (table) => {
    const result = await call(core, conn, 'insights.export', { table });
    const [header, ...rows] = parse(fs.readFileSync(result.path!), { bom: true }) as string[][];
    expect(header!.length).toBeGreaterThan(2);
    expect(rows.length).toBe(result.rows);
    if (table === 'churn') {
      const churn = await call(core, conn, 'insights.churn', {});
      expect(rows.length).toBe(churn.customers.length);
      expect(rows[0]!.slice(1, 4)).toEqual([churn.customers[0]!.customerId, String(churn.customers[0]!.score), churn.customers[0]!.band]);
      expect(rows[0]![4]).toBe(churn.customers[0]!.factors.map((f) => f.text).join('; '));
    }
    if (table === 'ltv') {
      const ltv = await call(core, conn, 'insights.ltv', {});
      const first = ltv.customers[0]!;
      expect(rows[0]!.slice(1, 4)).toEqual([first.customerId, first.ltv === null ? '' : toDecimalString(first.ltv, 'USD'), first.currency]);
    }
    if (table === 'forecast') {
      const f = await call(core, conn, 'insights.forecast', {});
      expect(rows.length).toBe(f.history.length + f.months.length);
      const last = f.months.at(-1);
      if (last) expect(rows.at(-1)).toEqual([last.month, 'forecast', toDecimalString(last.mrr, 'USD'), toDecimalString(last.low, 'USD'), toDecimalString(last.high, 'USD'), 'USD']);
    }
  });

  it('the CLI writes the same table: recurra export insights-churn --out FILE (its own today: the real clock)', async () => {
    const inApp = await call(core, conn, 'insights.export', { table: 'churn' });
    const out = path.join(dataDir, 'cli-churn.csv');
    const env = { RECURRA_DATA_DIR: dataDir, RECURRA_BUSINESS: businessId, RECURRA_USER: 'olivia@example.com', RECURRA_PASSWORD: OWNER_PASSWORD };
    const result = await runIn(env, ['export', 'insights-churn', '--out', out, '--json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = parse(fs.readFileSync(out), { bom: true }) as string[][];
    expect(header).toEqual((parse(fs.readFileSync(inApp.path!), { bom: true }) as string[][])[0]);
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'insights-churn', rows: rows.length });
    expect(rows.length).toBeGreaterThan(0);
    expect(await runIn(env, ['export', 'insights-churn', '--from', '2026-01-01', '--out', out])).toMatchObject({ code: 2 });
  });

  it('an unknown table is a validation error naming the field', async () => {
    expect(await callError(core, conn, 'insights.export', { table: 'nope' })).toMatchObject({ code: 'validation', field: 'table' });
  });
});

describe('insights.days', () => {
  it('every day of the anomalies’ period, zeros included, and each anomaly’s value is its day’s figure', async () => {
    const to = CHURN_BOOK_AS_OF;
    const days = await call(core, conn, 'insights.days', { to });
    const anomalies = await call(core, conn, 'insights.anomalies', { to });
    expect(days.from).toBe(anomalies.from);
    expect(days.days.length).toBe(90);
    expect(days.days[0]!.date).toBe(days.from);
    expect(days.days.at(-1)!.date).toBe(to);
    const byDate = new Map(days.days.map((d) => [d.date, d]));
    for (const a of anomalies.anomalies) expect(byDate.get(a.date)![a.metric]).toBe(a.value);
  });
});
