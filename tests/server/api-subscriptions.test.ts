import path from 'node:path';
import { openBusinessFile } from '../support/core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import { appendServerChanges } from '../../src-server/projection/writer';
import { PAST } from './pcs';
import { apiClient, businessState, changeCount, keyedBusiness, type ApiClient, type KeyedBusiness } from './api-support';
import { startTestServer, storageKinds, type TestServer } from './support';

// POST /v1/subscriptions (spec/server.md "REST API"): a subscription made over
// the API is the one `recurra subscription create` makes: the same rows on
// the PC after its next sync (but for ids, customer and who), billed by the
// billing PC to the cent like its twin made with the CLI, and answered in the
// CLI's shape. The server itself never invoices. On PGlite and on PostgreSQL.

type Row = Record<string, unknown>;

/** A row without the columns that differ between twins by nature. */
const twinOf = (row: Row, drop: string[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !drop.includes(k)));

describe.each(storageKinds)('POST /v1/subscriptions on %s', (kind) => {
  let server: TestServer;
  let client: ApiClient;
  let one: KeyedBusiness;
  let two: KeyedBusiness;
  const api = (...args: Parameters<ApiClient['api']>) => client.api(...args);

  beforeAll(async () => {
    server = await startTestServer(kind, { apiRatePerSecond: 10_000 });
    client = await apiClient(server);
    one = await keyedBusiness(server, 'Sunrise Yoga', 'jane@sunrise.example');
    two = await keyedBusiness(server, 'Harbor Gym', 'jane@harbor.example');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('makes the subscription the CLI makes: the same rows on the PC after its sync, billed alike by the billing PC, answered in the CLI shape', async () => {
    const pc = one.pc;
    const monthly = (await pc.ok<{ plan: { id: string; code: string } }>(['plan', 'create', '--name', 'Monthly', '--price', '30.00', '--interval', 'month', '--setup-fee', '5.00', '--code', 'MONTHLY'])).plan;
    const seats = (await pc.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Seats', '--tiers', '2:10.00,*:7.50', '--interval', 'month', '--trial-days', '14'])).plan;
    await pc.ok(['coupon', 'create', '--code', 'HALF', '--percent-off', '50', '--duration', 'repeating', '--months', '2']);
    const ann = (await pc.ok<{ customer: { id: string } }>(['customer', 'create', '--name', 'Ann Api', '--email', 'ann@example.com'])).customer;
    const cal = (await pc.ok<{ customer: { id: string } }>(['customer', 'create', '--name', 'Cal Cli', '--email', 'cal@example.com'])).customer;
    await pc.ok(['sync', 'now']);
    const start = addDays(PAST, -70);

    // Pair 1: by plan code, a coupon, quantity 2, a generated license key. Pair 2: a tiered plan with its trial, by id, the key given.
    const viaApi = await api('POST', '/v1/subscriptions', {
      key: one.write,
      headers: { 'idempotency-key': 'signup-1' },
      body: { customerId: one.jane.id, planCode: monthly.code.toLowerCase(), startDate: start, quantity: 2, couponCode: 'half', withLicenseKey: true },
    });
    expect(viaApi.status).toBe(201);
    const viaCli = (await pc.ok<{ subscription: Row }>(['subscription', 'create', '--customer', one.john.id, '--plan', monthly.id, '--start', start, '--quantity', '2', '--coupon', 'HALF', '--license'])).subscription;
    const trialApi = await api('POST', '/v1/subscriptions', { key: one.write, body: { customerId: ann.id, planId: seats.id, startDate: start, quantity: 5, licenseKey: 'ANN-KEY-0001' } });
    expect(trialApi.status).toBe(201);
    const trialCli = (await pc.ok<{ subscription: Row }>(['subscription', 'create', '--customer', cal.id, '--plan', seats.id, '--start', start, '--quantity', '5', '--license-key', 'CAL-KEY-0001'])).subscription;

    // The answer is the CLI's object, but for what differs between twins.
    const differ = ['id', 'customerId', 'customerName', 'licenseKey', 'createdAt'];
    expect(twinOf(viaApi.body, differ)).toEqual(twinOf(viaCli, differ));
    expect(twinOf(trialApi.body, differ)).toEqual(twinOf(trialCli, differ));
    expect(viaApi.body).toMatchObject({ status: 'active', couponCode: 'HALF', customerId: one.jane.id, customerName: 'Jane Doe', licenseKey: expect.stringMatching(/^([A-Z2-9]{5}-){4}[A-Z2-9]{5}$/) });
    expect(trialApi.body).toMatchObject({ status: 'trialing', trialEnd: addDays(start, 14), licenseKey: 'ANN-KEY-0001', licenseExpiresOn: addDays(start, 14) });
    // The same key again replays the first answer.
    const again = await api('POST', '/v1/subscriptions', {
      key: one.write,
      headers: { 'idempotency-key': 'signup-1' },
      body: { customerId: one.jane.id, planCode: monthly.code.toLowerCase(), startDate: start, quantity: 2, couponCode: 'half', withLicenseKey: true },
    });
    expect(again).toMatchObject({ status: 201, body: viaApi.body });
    // The server wrote no invoice, line or payment: billing is the billing PC's.
    const serverMade = (await server.storage.db.execute(sql`
      select table_name, count(*)::int as n from changes where business_id = ${one.businessId} and device_id = 'server' group by 1 order by 1`)) as unknown as { rows: { table_name: string; n: number }[] };
    expect(serverMade.rows.filter((r) => !['api_keys'].includes(r.table_name))).toEqual([
      { table_name: 'audit_log', n: 2 },
      { table_name: 'coupons', n: 1 },
      { table_name: 'customer_events', n: 2 },
      { table_name: 'subscription_history', n: 2 },
      { table_name: 'subscriptions', n: 2 },
    ]);
    // The server reads it back as it answered.
    expect((await api('GET', `/v1/subscriptions/${viaApi.body.id}`, { key: one.read })).body).toEqual(viaApi.body);

    // On the PC after its next sync: the CLI shows the same object, and the rows are the CLI twin's.
    await pc.ok(['sync', 'now']);
    const listed = await pc.ok<Row[]>(['subscription', 'list']);
    expect(listed.find((s) => s.id === viaApi.body.id)).toEqual(viaApi.body);
    expect(listed.find((s) => s.id === trialApi.body.id)).toEqual(trialApi.body);
    const db = openBusinessFile(path.join(pc.dataDir, 'businesses', `${one.businessId}.sqlite`), { readonly: true });
    try {
      const sub = (id: unknown) => db.prepare('SELECT * FROM subscriptions WHERE id = ?').get(id) as Row;
      const subDiffer = ['id', 'customer_id', 'license_key', 'created_at', 'updated_at'];
      expect(twinOf(sub(viaApi.body.id), subDiffer)).toEqual(twinOf(sub(viaCli.id), subDiffer));
      expect(twinOf(sub(trialApi.body.id), subDiffer)).toEqual(twinOf(sub(trialCli.id), subDiffer));
      const history = (id: unknown) => db.prepare('SELECT * FROM subscription_history WHERE subscription_id = ? ORDER BY seq').all(id) as Row[];
      const historyDiffer = ['id', 'subscription_id', 'customer_id', 'recorded_at'];
      expect(history(viaApi.body.id).map((h) => twinOf(h, historyDiffer))).toEqual(history(viaCli.id).map((h) => twinOf(h, historyDiffer)));
      expect(history(trialApi.body.id).map((h) => twinOf(h, historyDiffer))).toEqual(history(trialCli.id).map((h) => twinOf(h, historyDiffer)));
      const event = (id: unknown) => db.prepare("SELECT kind, subtype, title, body, occurred_at, ref_type FROM customer_events WHERE ref_id = ? AND subtype = 'subscribed'").get(id) as Row;
      expect(event(viaApi.body.id)).toEqual({ ...event(viaCli.id), title: 'Subscribed to Monthly (API key "Zapier")' });
      expect(db.prepare("SELECT times_redeemed FROM coupons WHERE code = 'HALF'").pluck().get()).toBe(2);
      const audit = db.prepare('SELECT user_email, user_id, action, entity, before, after FROM audit_log WHERE entity_id = ?').all(viaApi.body.id) as Row[];
      expect(audit).toEqual([{ user_email: 'API key "Zapier"', user_id: null, action: 'subscriptions.create', entity: 'subscription', before: null, after: JSON.stringify(viaApi.body) }]);
    } finally {
      db.close();
    }

    // Billed by the billing PC like its twin, to the cent.
    await pc.ok(['billing', 'run', '--as-of', PAST]);
    const invoices = await pc.ok<{ subscriptionId: string; id: string; number: string; customerId: string; customerName: string; dueDate: string }[]>(['invoice', 'list']);
    const billed = (subscriptionId: unknown) =>
      invoices
        .filter((i) => i.subscriptionId === subscriptionId)
        .map((i) => twinOf(i, ['id', 'number', 'customerId', 'customerName', 'subscriptionId']))
        .sort((x, y) => String(x.periodStart).localeCompare(String(y.periodStart)));
    expect(billed(viaApi.body.id).length).toBeGreaterThanOrEqual(2);
    expect(billed(viaApi.body.id)).toEqual(billed(viaCli.id));
    expect(billed(trialApi.body.id).length).toBeGreaterThanOrEqual(1);
    expect(billed(trialApi.body.id)).toEqual(billed(trialCli.id));
    const after = await pc.ok<Row[]>(['subscription', 'list']);
    const shown = (id: unknown) => twinOf(after.find((s) => s.id === id)!, differ);
    expect(shown(viaApi.body.id)).toEqual(shown(viaCli.id));
    expect(shown(trialApi.body.id)).toEqual(shown(trialCli.id));
  });

  it('refuses what the PC refuses, naming the field, and writes nothing', async () => {
    const pc = two.pc;
    const plan = (await pc.ok<{ plan: { id: string; code: string } }>(['plan', 'create', '--name', 'Gym Monthly', '--price', '40.00', '--interval', 'month'])).plan;
    const old = (await pc.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Old Plan', '--price', '20.00', '--interval', 'month'])).plan;
    await pc.ok(['plan', 'archive', old.id]);
    await pc.ok(['coupon', 'create', '--code', 'ONCE', '--amount-off', '5.00', '--duration', 'once', '--max-redemptions', '1']);
    await pc.ok(['subscription', 'create', '--customer', two.john.id, '--plan', plan.id, '--start', PAST, '--coupon', 'ONCE', '--license-key', 'TAKEN-KEY']);
    const inactive = (await pc.ok<{ customer: { id: string } }>(['customer', 'create', '--name', 'Gone', '--email', 'gone@example.com'])).customer;
    await pc.ok(['customer', 'update', inactive.id, '--status', 'inactive']);
    // A plan in another currency can only come from a damaged or foreign row: written here straight into the log.
    const euroPlanId = '01a00000-0000-7000-8000-00000000e0e0';
    await server.storage.db.transaction((tx) =>
      appendServerChanges(tx as never, two.businessId, [{
        table: 'plans', rowId: euroPlanId, op: 'upsert',
        fields: { id: euroPlanId, code: 'euro', name: 'Euro Plan', description: '', currency: 'EUR', pricing_model: 'flat', unit_amount: 1000, interval: 'month', interval_count: 1, trial_days: 0, setup_fee: 0, features: '[]', archived_at: null, created_at: new Date().toISOString(), updated_at: new Date().toISOString(), max_machines: null },
      }], new Date()),
    );
    await pc.ok(['sync', 'now']);
    const oneCustomer = one.jane.id;
    const good = { customerId: two.jane.id, planId: plan.id, startDate: PAST };
    // Each key's first use of the day writes its last_used_on: done before counting.
    for (const key of [two.read, two.write]) expect((await api('GET', '/v1/plans', { key })).status).toBe(200);
    const before = await businessState(server, two.businessId);
    const count = await changeCount(server, two.businessId);
    const cases: [unknown, number, string, string?][] = [
      [{ ...good, customerId: 'no-such-customer' }, 404, 'customerId', 'customer_not_found'],
      [{ ...good, customerId: oneCustomer }, 404, 'customerId', 'customer_not_found'], // another business's customer
      [{ ...good, customerId: inactive.id }, 400, 'customerId'],
      [{ ...good, planId: 'no-such-plan' }, 404, 'planId', 'plan_not_found'],
      [{ customerId: two.jane.id, planCode: 'NOPE', startDate: PAST }, 404, 'planCode', 'plan_not_found'],
      [{ ...good, planId: old.id }, 400, 'planId'],
      [{ ...good, planId: euroPlanId }, 400, 'planId'],
      [{ customerId: two.jane.id, startDate: PAST }, 400, 'planId'],
      [{ ...good, planCode: plan.code }, 400, 'planCode'],
      [{ ...good, couponCode: 'NOSUCH' }, 404, 'couponCode', 'coupon_not_found'],
      [{ ...good, couponCode: 'ONCE' }, 400, 'couponCode'],
      [{ ...good, licenseKey: 'TAKEN-KEY' }, 409, 'licenseKey', 'license_key_taken'],
      [{ ...good, quantity: 0 }, 400, 'quantity'],
      [{ ...good, quantity: 1.5 }, 400, 'quantity'],
      [{ ...good, startDate: '2026-02-30' }, 400, 'startDate'],
      [{ ...good, startDate: '2990-01-01' }, 400, 'startDate'],
      [{ ...good, trialDays: -1 }, 400, 'trialDays'],
      [{ ...good, licenseKey: 'bad key!' }, 400, 'licenseKey'],
      [{ ...good, anchorDate: PAST }, 400, 'anchorDate'],
    ];
    for (const [body, status, param, code] of cases) {
      const reply = await api('POST', '/v1/subscriptions', { key: two.write, body });
      expect({ body, status: reply.status, param: reply.body.error?.param }).toEqual({ body, status, param });
      if (code) expect(reply.body.error.code).toBe(code);
    }
    expect(await api('POST', '/v1/subscriptions', { key: two.read, body: good })).toMatchObject({ status: 403, body: { error: { code: 'insufficient_scope' } } });
    expect(await changeCount(server, two.businessId)).toBe(count);
    expect(await businessState(server, two.businessId)).toBe(before);
    // And the good one goes through.
    expect(await api('POST', '/v1/subscriptions', { key: two.write, body: good })).toMatchObject({ status: 201, body: { customerId: two.jane.id, planName: 'Gym Monthly', status: 'active' } });
  });
});
