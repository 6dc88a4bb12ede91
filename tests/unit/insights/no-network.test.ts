import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHURN_BOOK_AS_OF, seedChurnBook } from '../../../bench/insights-churn-data';
import { runIn } from '../cli/run-cli';
import { call, FakeClock, makeCore, OWNER_PASSWORD, signUp } from '../../support/core';
import type { Core } from '../../../src-main/core/core';

// Scores never leave the PC (spec/insights.md): the insights run with every way out replaced by a throw.

const calls: string[] = [];
const blocked = (name: string) => () => {
  calls.push(name);
  throw new Error(`network used: ${name}`);
};
const targets: [object, string][] = [
  [globalThis, 'fetch'],
  [net, 'connect'],
  [net, 'createConnection'],
  [tls, 'connect'],
  [http, 'request'],
  [http, 'get'],
  [https, 'request'],
  [https, 'get'],
  [dns, 'lookup'],
  [dns, 'resolve'],
];
const saved = targets.map(([o, k]) => (o as Record<string, unknown>)[k]);

let core: Core;
let dataDir: string;
let businessId: string;
let conn: Awaited<ReturnType<typeof signUp>>['conn'];

beforeAll(async () => {
  ({ core, dataDir } = makeCore({ clock: new FakeClock(new Date('2026-12-01T12:00:00Z')) }));
  ({ conn, businessId } = await signUp(core, { timezone: 'UTC' }));
  seedChurnBook(core.businesses.get(businessId).sqlite, 400);
  for (const [o, k] of targets) (o as Record<string, unknown>)[k] = blocked(k);
  syncBuiltinESMExports();
}, 60_000);
afterAll(() => {
  targets.forEach(([o, k], i) => ((o as Record<string, unknown>)[k] = saved[i]));
  syncBuiltinESMExports();
  core.close();
});

describe('the insights make no network call', () => {
  it('churn, LTV, the forecast, anomalies and products, through the core and the CLI, with networking stubbed to throw', async () => {
    expect(() => fetch('http://127.0.0.1/')).toThrow('network used: fetch');
    expect(() => net.connect(80)).toThrow('network used: connect');
    calls.length = 0;
    const churn = await call(core, conn, 'insights.churn', { asOf: CHURN_BOOK_AS_OF });
    expect(churn.ready).toBe(true);
    expect(churn.customers.length).toBeGreaterThan(0);
    const ltv = await call(core, conn, 'insights.ltv', { asOf: CHURN_BOOK_AS_OF });
    expect(ltv.customers.length).toBeGreaterThan(0);
    const forecast = await call(core, conn, 'insights.forecast', { months: 3, asOf: CHURN_BOOK_AS_OF });
    expect(forecast.asOf).toBe(CHURN_BOOK_AS_OF);
    const anomalies = await call(core, conn, 'insights.anomalies', { to: CHURN_BOOK_AS_OF });
    expect(Array.isArray(anomalies.anomalies)).toBe(true);
    const products = await call(core, conn, 'insights.products', { to: CHURN_BOOK_AS_OF });
    expect(Array.isArray(products.bestSellers)).toBe(true);
    const env = { RECURRA_DATA_DIR: dataDir, RECURRA_BUSINESS: businessId, RECURRA_USER: 'olivia@example.com', RECURRA_PASSWORD: OWNER_PASSWORD };
    expect(await runIn(env, ['insights', 'churn', '--as-of', CHURN_BOOK_AS_OF, '--top', '3', '--json'])).toMatchObject({ code: 0, stderr: '' });
    expect(await runIn(env, ['insights', 'ltv', '--json'])).toMatchObject({ code: 0, stderr: '' });
    expect(calls).toEqual([]);
  });
});
