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
import { bookVersion } from '../../../src-main/core/insights/cache';

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
    const want = churn.customers.map((c) => ({ customerId: c.customerId, score: c.score, band: c.band }));
    // A page at a time (100 by default), riskiest first; the pages together are every scored customer, once.
    expect(risk).toMatchObject({ total: want.length, offset: 0, nextOffset: 100 });
    expect(risk.customers).toEqual(want.slice(0, 100));
    const all = [...risk.customers];
    for (let offset = risk.nextOffset; offset !== null; ) {
      const page = await call(core, conn, 'insights.risk', { offset, limit: 70 });
      expect(page.offset).toBe(offset);
      all.push(...page.customers);
      offset = page.nextOffset;
    }
    expect(all).toEqual(want);
  });

  it('insights.risk of the customers a list shows: only those with a score, riskiest first; limits checked', async () => {
    const churn = await call(core, conn, 'insights.churn', {});
    const list = await call(core, conn, 'customers.list', { limit: 40 });
    const ids = list.rows.map((r) => r.id);
    const page = await call(core, conn, 'insights.risk', { customerIds: ids, limit: 1000 });
    const want = churn.customers.filter((c) => ids.includes(c.customerId)).map((c) => ({ customerId: c.customerId, score: c.score, band: c.band }));
    expect(want.length).toBeGreaterThan(0);
    expect(page).toMatchObject({ total: want.length, nextOffset: null, customers: want });
    expect(await callError(core, conn, 'insights.risk', { limit: 1001 })).toMatchObject({ code: 'validation', field: 'limit' });
    expect(await callError(core, conn, 'insights.risk', { offset: -1 })).toMatchObject({ code: 'validation', field: 'offset' });
    expect(await callError(core, conn, 'insights.risk', { customerIds: Array.from({ length: 1001 }, (_, i) => `c${i}`) })).toMatchObject({ code: 'validation', field: 'customerIds' });
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

  it('the scores sit in a TEMP table of the connection, copied once per answer, and copying them is no change of the books', async () => {
    const sqlite = core.businesses.get(businessId).sqlite;
    await call(core, conn, 'customers.list', { sort: 'risk', limit: 5 });
    const churn = await call(core, conn, 'insights.churn', {});
    const rows = sqlite.prepare('SELECT customer_id AS customerId, score, at_risk AS atRisk FROM temp.customer_risk ORDER BY score DESC, customer_id').all();
    expect(rows).toEqual(churn.customers.map((c) => ({ customerId: c.customerId, score: c.score, atRisk: c.band === 'low' ? 0 : 1 })));
    const version = bookVersion(sqlite);
    const answer = await core.insights.run(core.businesses.get(businessId), { kind: 'churn', asOf: CHURN_BOOK_AS_OF, today: CHURN_BOOK_AS_OF });
    // A change of the books: the next list copies the new answer, and the copy leaves the version where the change put it.
    await call(core, conn, 'customers.create', { name: 'Risky New', email: 'risky-new@example.com' });
    const changed = bookVersion(sqlite);
    expect(changed).not.toBe(version);
    await call(core, conn, 'customers.list', { atRisk: true, limit: 5 });
    expect(bookVersion(sqlite)).toBe(changed);
    expect(await core.insights.run(core.businesses.get(businessId), { kind: 'churn', asOf: CHURN_BOOK_AS_OF, today: CHURN_BOOK_AS_OF })).not.toBe(answer);
  });

  it('a bulk change to everyone "At risk" reaches the customers the list showed', async () => {
    const churn = await call(core, conn, 'insights.churn', {});
    const want = churn.customers.filter((c) => c.band !== 'low').map((c) => c.customerId).sort();
    await call(core, conn, 'customers.list', { atRisk: true, limit: 50 });
    expect(await call(core, conn, 'customers.bulk', { filter: { atRisk: true }, change: { action: 'addTag', tag: 'call-them' } })).toEqual({ updated: want.length });
    const tagged = await call(core, conn, 'customers.list', { tag: 'call-them', limit: 500 });
    expect(tagged.rows.map((r) => r.id).sort()).toEqual(want);
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
