import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { listBusinesses, setSuspended } from '../../src-server/admin/store';
import { buildApp } from '../../src-server/app';
import type { LicenseRates } from '../../src-server/licenses/rate';
import { lookupStatement, runLookup, sha256 } from '../../src-server/licenses/lookup';
import { ensureProjection } from '../../src-server/projection/catch-up';
import { VerdictCache, verdictCacheOf } from '../../src-server/licenses/verdict-cache';
import { writeSnapshotOf } from '../../src-server/db/shared-statement';
import { createInvite, pushChanges, type DeviceIdentity } from '../../src-server/sync/store';
import { addDays, dateInTimeZone, startOfDayInstant } from '@shared/domain/dates';
import { call as coreCall, connect, makeCore, OWNER_PASSWORD, tempDir, openBusinessFile } from '../support/core';
import { businessOnNewPc, type Customer, type Pc } from './pcs';
import { startTestServer, storageKinds, type TestServer } from './support';

// License keys (spec/server.md "License keys"; docs/licenses.md): keys issued
// on a real PC (`subscription create --license`), synced, then validated,
// activated, deactivated and checked out over HTTP by what a business's
// product would send. The whole subscription lifecycle moves the verdict; the
// machines and the last validation come back to the PC on its next sync; the
// file's signature is checked by the recipe the docs give. On PGlite and PostgreSQL.

const TZ = 'America/New_York';
const RECIPE_DOC = path.resolve(import.meta.dirname, '../../docs/licenses.md');

interface Biz {
  pc: Pc;
  businessId: string;
  jane: Customer;
  john: Customer;
  planId: string;
}

describe.each(storageKinds)('license keys on %s', (kind) => {
  let server: TestServer;
  let lic: { app: FastifyInstance; url: string };
  let ajv: Ajv2020;
  let openapi: { paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { content: { 'application/json': { schema: unknown } } }> }>>; components: { schemas: Record<string, unknown> } };
  let a: Biz;
  let b: Biz;
  const today = () => dateInTimeZone(server.clock.now(), TZ);

  /** A second app on the same database (servers are stateless) with the license rates a test wants. */
  async function appWith(rates: Partial<LicenseRates>, options: { now?: () => Date; db?: typeof server.storage.db } = {}) {
    const app = await buildApp({ db: options.db ?? server.storage.db, now: options.now ?? server.clock.now, serverKey: server.serverKey }, { licenseRates: rates, log: () => undefined });
    await app.listen({ host: '127.0.0.1', port: 0 });
    return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
  }

  /** One HTTP call to the license app; its answer is checked against the served OpenAPI document. */
  async function api(method: string, route: string, options: { body?: unknown; raw?: string; headers?: Record<string, string>; url?: string } = {}) {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if ((options.body !== undefined || options.raw !== undefined) && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(`${options.url ?? lic.url}${route}`, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
    const text = await response.text();
    const body = text ? JSON.parse(text) : null;
    const operation = openapi.paths[route.split('?')[0]!]?.[method.toLowerCase()];
    const documented = operation?.responses[String(response.status)];
    expect(documented, `${method} ${route} answered ${response.status}, which the OpenAPI document does not list`).toBeDefined();
    const validate = ajv.compile({ ...(documented!.content['application/json'].schema as object), components: openapi.components });
    expect(validate(body), `${method} ${route} ${response.status}: ${JSON.stringify(validate.errors)}`).toBe(true);
    return { status: response.status, body, headers: response.headers };
  }
  const validate = (body: Record<string, unknown>) => api('POST', '/v1/licenses/validate', { body });

  async function business(name: string): Promise<Biz> {
    const { a: pc, businessId, jane, john } = await businessOnNewPc(name);
    const plan = await pc.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Pro', '--price', '30.00', '--interval', 'month', '--features', 'Export,Sync', '--max-machines', '2']);
    await pc.ok(['sync', 'connect', '--server', server.url, '--invite', (await createInvite(server.storage.db, server.clock.now())).code]);
    return { pc, businessId, jane, john, planId: plan.plan.id };
  }

  async function subscribe(biz: Biz, customerId: string, args: string[]): Promise<{ id: string; licenseKey: string }> {
    const created = await biz.pc.ok<{ subscription: { id: string; licenseKey: string } }>(['subscription', 'create', '--customer', customerId, '--plan', biz.planId, ...args]);
    return created.subscription;
  }

  async function customer(biz: Biz, name: string, method = 'manual'): Promise<string> {
    const email = `${name.toLowerCase().replace(/\W/g, '')}@${biz.businessId}.example`;
    return (await biz.pc.ok<{ customer: { id: string } }>(['customer', 'create', '--name', name, '--email', email, '--payment-method', method])).customer.id;
  }

  const changeCount = async (businessId: string) =>
    Number(((await server.storage.db.execute(sql`select count(*) as n from changes where business_id = ${businessId}`)) as unknown as { rows: { n: string }[] }).rows[0]!.n);

  function pcFile(biz: Biz) {
    return openBusinessFile(path.join(biz.pc.dataDir, 'businesses', `${biz.businessId}.sqlite`), { readonly: true });
  }

  beforeAll(async () => {
    server = await startTestServer(kind);
    lic = await appWith({ perIpPerMinute: 100_000, perKeyPerMinute: 100_000 });
    ajv = new Ajv2020({ strict: false });
    openapi = (await (await fetch(`${server.url}/v1/openapi.json`)).json()) as typeof openapi;
    a = await business('Sunrise Software');
    b = await business('Harbor Apps');
  });
  afterAll(async () => {
    await lic?.app.close();
    await server?.stop();
  });

  it('documents the license endpoints in the OpenAPI document, without an API key', () => {
    for (const route of ['/v1/licenses/validate', '/v1/licenses/activate', '/v1/licenses/deactivate', '/v1/licenses/checkout']) {
      expect(openapi.paths[route]?.post?.security, route).toEqual([]);
    }
    expect(openapi.paths['/v1/licenses/public-key']?.get?.security).toEqual([]);
  });

  it('follows the subscription: trial, active, past_due within the dunning days, canceled, reactivated', async () => {
    // Dates are set around the server's today (no clock moves: a server-made change stamped in a moved clock's future would stop the PC's next push).
    const t = today();
    const trial = await subscribe(a, a.jane.id, ['--start', addDays(t, -13), '--trial-days', '14', '--license']);
    const trialOver = await subscribe(a, await customer(a, 'Tess Trial'), ['--start', addDays(t, -14), '--trial-days', '14', '--license']);
    const active = await subscribe(a, a.john.id, ['--start', addDays(t, -5), '--trial-days', '0', '--license']);
    const pastDue = await subscribe(a, await customer(a, 'Dana Declined', 'card_declining'), ['--start', addDays(t, -3), '--trial-days', '0', '--license']);
    await a.pc.ok(['billing', 'run', '--as-of', addDays(t, -2)]);
    await a.pc.ok(['sync', 'now']);
    // Business two: a card that failed 9 days ago, past the last dunning day (7) today, its retries not run yet.
    const lapsed = await subscribe(b, await customer(b, 'Lars Lapsed', 'card_declining'), ['--start', addDays(t, -9), '--trial-days', '0', '--license']);
    await b.pc.ok(['billing', 'run', '--as-of', addDays(t, -8)]);
    await b.pc.ok(['sync', 'now']);
    expect(trial.licenseKey).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){4}$/);

    const license = { entitlements: ['Export', 'Sync'], machines: 0, maxMachines: 2 };
    expect(await validate({ key: trial.licenseKey })).toMatchObject({
      status: 200,
      body: { valid: true, code: 'VALID', license: { key: trial.licenseKey, status: 'trialing', expiresOn: addDays(t, 1), ...license } },
    });
    // Expires on the trial's end: today is that day.
    expect((await validate({ key: trialOver.licenseKey })).body).toMatchObject({ valid: false, code: 'EXPIRED', license: { status: 'trialing', expiresOn: t } });

    const activeOnPc = (await a.pc.ok<{ subscription: { status: string; licenseExpiresOn: string } }>(['subscription', 'show', active.id])).subscription;
    expect(activeOnPc.status).toBe('active');
    expect(activeOnPc.licenseExpiresOn > t).toBe(true);
    expect((await validate({ key: active.licenseKey })).body).toMatchObject({ valid: true, code: 'VALID', license: { status: 'active', expiresOn: activeOnPc.licenseExpiresOn } });

    // past_due: the failed first invoice (issued 3 days ago) keeps the license through the last dunning day (7 by default); 9 days ago, no longer.
    const failing = (await a.pc.ok<{ subscription: { status: string; licenseExpiresOn: string } }>(['subscription', 'show', pastDue.id])).subscription;
    expect(failing).toMatchObject({ status: 'past_due', licenseExpiresOn: addDays(t, 4) });
    expect((await validate({ key: pastDue.licenseKey })).body).toMatchObject({ valid: true, code: 'VALID', license: { status: 'past_due', expiresOn: addDays(t, 4) } });
    expect((await validate({ key: lapsed.licenseKey })).body).toMatchObject({ valid: false, code: 'EXPIRED', license: { status: 'past_due', expiresOn: addDays(t, -2) } });

    // Canceled on the PC: expired as soon as the PC has synced (the server folds what was pushed before answering).
    await a.pc.ok(['subscription', 'cancel', active.id, '--on', t]);
    await a.pc.ok(['sync', 'now']);
    expect((await validate({ key: active.licenseKey })).body).toMatchObject({ valid: false, code: 'EXPIRED', license: { status: 'canceled', expiresOn: t } });

    // Reactivated (the app's action; the CLI has no command for it): valid again through its first new period.
    const { core } = makeCore({ dataDir: a.pc.dataDir });
    try {
      const conn = connect();
      await coreCall(core, conn, 'auth.login', { businessId: a.businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
      await coreCall(core, conn, 'subscriptions.reactivate', { id: active.id, on: t });
    } finally {
      core.close();
    }
    await a.pc.ok(['sync', 'now']);
    const back = (await a.pc.ok<{ subscription: { status: string; licenseExpiresOn: string } }>(['subscription', 'show', active.id])).subscription;
    expect(back.status).toBe('active');
    expect((await validate({ key: active.licenseKey })).body).toMatchObject({ valid: true, code: 'VALID', license: { status: 'active', expiresOn: back.licenseExpiresOn } });

    // Unknown keys: the verdict with no license.
    expect((await validate({ key: 'ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ' })).body).toEqual({ valid: false, code: 'NOT_FOUND', license: null });
  });

  it('activates machines up to the plan\'s limit, once under a race, deactivates them, and the PC gets them with the last validation', async () => {
    const t = today();
    const sub = await subscribe(a, a.jane.id, ['--start', t, '--trial-days', '30', '--license']);
    await a.pc.ok(['sync', 'now']);
    const key = sub.licenseKey;
    const activate = (fingerprint: string, name?: string) => api('POST', '/v1/licenses/activate', { body: { key, fingerprint, ...(name ? { name } : {}) } });
    const deactivate = (fingerprint: string) => api('POST', '/v1/licenses/deactivate', { body: { key, fingerprint } });

    const first = await activate('fp-1', 'Reception PC');
    expect(first).toMatchObject({ status: 200, body: { machine: { fingerprint: 'fp-1', name: 'Reception PC', deactivatedAt: null }, license: { machines: 1, maxMachines: 2 } } });
    expect((await activate('fp-1')).body.license.machines).toBe(1); // again: nothing new
    expect((await validate({ key, fingerprint: 'fp-1' })).body).toMatchObject({ valid: true, code: 'VALID' });
    expect((await validate({ key, fingerprint: 'fp-9' })).body).toMatchObject({ valid: false, code: 'FINGERPRINT_NOT_ACTIVATED', license: { machines: 1 } });

    // One place left, five machines at once: exactly one gets it. (First the validations' write-backs are folded, so no
    // request waits for a fold and the five really run side by side.)
    await lic.app.settleLicenseWrites();
    await validate({ key });
    const racers = await Promise.all(['fp-a', 'fp-b', 'fp-c', 'fp-d', 'fp-e'].map((fp) => activate(fp)));
    expect(racers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const winner = racers.find((r) => r.status === 200)!.body.machine.fingerprint as string;
    for (const loser of racers.filter((r) => r.status === 409)) expect(loser.body.error).toMatchObject({ type: 'conflict', code: 'too_many_machines', param: 'fingerprint' });
    expect((await validate({ key })).body.license.machines).toBe(2);

    expect(await deactivate(winner)).toMatchObject({ status: 200, body: { machine: { fingerprint: winner }, license: { machines: 1 } } });
    expect(await deactivate(winner)).toMatchObject({ status: 404, body: { error: { code: 'machine_not_found', param: 'fingerprint' } } });
    expect((await activate('fp-2', 'Laptop')).status).toBe(200);
    expect((await activate(winner)).status).toBe(409);
    expect((await deactivate('fp-2')).status).toBe(200);
    const again = await activate(winner, 'Back again');
    expect(again).toMatchObject({ status: 200, body: { machine: { fingerprint: winner, name: 'Back again', deactivatedAt: null } } });

    // The plan now allows one machine: two are active, so the license says so until one goes.
    await a.pc.ok(['plan', 'update', a.planId, '--max-machines', '1']);
    await a.pc.ok(['sync', 'now']);
    expect((await validate({ key, fingerprint: 'fp-1' })).body).toMatchObject({ valid: false, code: 'TOO_MANY_MACHINES', license: { machines: 2, maxMachines: 1 } });
    await a.pc.ok(['plan', 'update', a.planId, '--max-machines', '2']);

    // Once a day: the validation date and the machine's last day seen are written back, then not again today.
    await server.app.settleLicenseWrites();
    await lic.app.settleLicenseWrites();
    const count = await changeCount(a.businessId);
    for (let i = 0; i < 3; i++) await validate({ key, fingerprint: 'fp-1' });
    await lic.app.settleLicenseWrites();
    expect(await changeCount(a.businessId)).toBe(count);

    await a.pc.ok(['sync', 'now']);
    const file = pcFile(a);
    try {
      const machines = file.prepare('SELECT fingerprint, name, deactivated_at IS NOT NULL AS off, last_seen_on FROM license_machines WHERE subscription_id = ? ORDER BY fingerprint').all(sub.id);
      expect(machines).toEqual([
        { fingerprint: 'fp-1', name: 'Reception PC', off: 0, last_seen_on: t },
        { fingerprint: 'fp-2', name: 'Laptop', off: 1, last_seen_on: null },
        { fingerprint: winner, name: 'Back again', off: 0, last_seen_on: null },
      ]);
      expect(file.prepare('SELECT license_validated_on FROM subscriptions WHERE id = ?').pluck().get(sub.id)).toBe(t);
    } finally {
      file.close();
    }
    const served = await api('GET', `/v1/licenses/public-key?business=${a.businessId}`);
    const shown = pcFile(a);
    try {
      expect(shown.prepare('SELECT license_public_key FROM business').pluck().get()).toBe(served.body.publicKey);
    } finally {
      shown.close();
    }
  });

  it('coalesces what validations write: each one counted as used, one change a key a day, written within the window, flushed by a graceful stop', async () => {
    const t = today();
    const sub = await subscribe(a, await customer(a, 'Wendy Writes'), ['--start', t, '--trial-days', '0', '--license']);
    await a.pc.ok(['sync', 'now']);
    await server.app.settleLicenseWrites();
    await lic.app.settleLicenseWrites();
    const validationChanges = async (subscriptionId: string) =>
      Number(
        ((await server.storage.db.execute(sql`
          select count(*) as n from changes where business_id = ${a.businessId} and table_name = 'subscriptions' and row_id = ${subscriptionId} and fields->>'license_validated_on' = ${t}`)) as unknown as {
          rows: { n: string }[];
        }).rows[0]!.n,
      );
    const usage = async () => {
      await lic.app.flushApiUsage();
      return (await listBusinesses(server.storage.db, server.clock.now())).find((r) => r.id === a.businessId)!.apiRequests.today;
    };
    const before = await usage();

    // Twenty validations at once: all answered, all counted in the business's API usage, one change for the day.
    const answers = await Promise.all(Array.from({ length: 20 }, () => validate({ key: sub.licenseKey })));
    expect(answers.map((r) => `${r.status} ${r.body.code}`)).toEqual(Array.from({ length: 20 }, () => '200 VALID'));
    expect(await usage()).toBe(before + 20);
    // Written after the answers by the write-back's own timer (250 ms), nobody waiting for it.
    for (let i = 0; i < 100 && (await validationChanges(sub.id)) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await validationChanges(sub.id)).toBe(1);
    for (let i = 0; i < 5; i++) await validate({ key: sub.licenseKey });
    await lic.app.settleLicenseWrites();
    expect(await validationChanges(sub.id)).toBe(1);
    await a.pc.ok(['sync', 'now']);
    expect((await a.pc.ok<{ license: { validatedOn: string | null } }>(['subscription', 'show', sub.id])).license.validatedOn).toBe(t);

    // A server stopped gracefully writes what it still held: validated, then closed at once.
    const later = await subscribe(a, await customer(a, 'Gary Graceful'), ['--start', t, '--trial-days', '0', '--license']);
    await a.pc.ok(['sync', 'now']);
    const other = await appWith({ perIpPerMinute: 100, perKeyPerMinute: 100 });
    expect((await api('POST', '/v1/licenses/validate', { body: { key: later.licenseKey }, url: other.url })).body.code).toBe('VALID');
    await other.app.close();
    expect(await validationChanges(later.id)).toBe(1);
  });

  it('runs the same statements for an unknown key as for a known one', async () => {
    const sub = await subscribe(a, await customer(a, 'Stella Same'), ['--start', today(), '--trial-days', '0', '--license']);
    await a.pc.ok(['sync', 'now']);
    await validate({ key: sub.licenseKey });
    await server.app.settleLicenseWrites();
    await lic.app.settleLicenseWrites();
    // Every statement the requests send through the database handle (pg's pool, PGlite's query), the key's hash blanked.
    type Query = (...args: unknown[]) => Promise<unknown>;
    const client = (server.storage.db as unknown as { $client: { query: Query } }).$client;
    const original = client.query;
    const seen: string[] = [];
    client.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text);
      // The API usage counter's periodic write is not the request's.
      // (PGlite's EXECUTE of the verdict cache's check carries JSON lists of hashes and business ids: blanked too.)
      if (!text.startsWith('insert into "api_usage"')) seen.push(text.replace(/'[0-9a-f]{64}'/g, "'<hash>'").replace(/'\[[^']*\]'/g, "'[…]'"));
      return original.apply(this, args);
    };
    try {
      const statements = async (body: Record<string, unknown>) => {
        seen.length = 0;
        const reply = await validate(body);
        expect(reply.status).toBe(200);
        return { code: reply.body.code as string, statements: [...seen] };
      };
      const unknownKey = 'QQQQQ-QQQQQ-QQQQQ-QQQQQ-QQQQQ';
      // Read (nothing kept), then answered from the verdict cache after its check: the same statements for both kinds each time.
      const cache = verdictCacheOf(server.storage.db);
      cache.clear();
      const known = await statements({ key: sub.licenseKey });
      const unknown = await statements({ key: unknownKey });
      expect([known.code, unknown.code]).toEqual(['VALID', 'NOT_FOUND']);
      expect(known.statements.length).toBeGreaterThan(0);
      expect(unknown.statements).toEqual(known.statements);
      const knownKept = await statements({ key: sub.licenseKey });
      const unknownKept = await statements({ key: unknownKey });
      expect([knownKept.code, unknownKept.code]).toEqual(['VALID', 'NOT_FOUND']);
      expect(knownKept.statements).toHaveLength(1);
      expect(knownKept.statements).not.toEqual(known.statements);
      expect(unknownKept.statements).toEqual(knownKept.statements);
      const knownIn = await statements({ key: sub.licenseKey, business: a.businessId });
      const unknownIn = await statements({ key: unknownKey, business: a.businessId });
      expect([knownIn.code, unknownIn.code]).toEqual(['VALID', 'NOT_FOUND']);
      expect(unknownIn.statements).toEqual(knownIn.statements);
    } finally {
      client.query = original;
    }
  });

  it('honours a cancellation pushed and not folded yet, and reads the log past the projection through its own indexes, never the business\'s whole log', async () => {
    const t = today();
    const sub = await subscribe(a, await customer(a, 'Nora Notyet'), ['--start', t, '--trial-days', '0', '--license']);
    await a.pc.ok(['sync', 'now']);
    expect((await validate({ key: sub.licenseKey })).body.code).toBe('VALID');
    await server.app.settleLicenseWrites();
    await lic.app.settleLicenseWrites();
    expect((await ensureProjection(server.storage.db, a.businessId)).ready).toBe(true);
    const db = server.storage.db;
    const [row] = ((await db.execute(sql`
      select data->>'license_expires_on' as expires, stamps from synced_rows where business_id = ${a.businessId} and tbl = 'subscriptions' and row_id = ${sub.id}`)) as unknown as {
      rows: { expires: string; stamps: Record<string, string> }[];
    }).rows;
    // Another PC cancels it: stored as a push stores it, and no fold scheduled (the push route would fold 300 ms later).
    const latest = Math.max(Date.now(), ...Object.values(row!.stamps).map((stamp) => Number(stamp.slice(0, 13)) + 1));
    const hlc = `${String(latest).padStart(13, '0')}-000000000-test-other-pc`;
    const other: DeviceIdentity = { deviceId: 'test-other-pc', deviceName: 'Other PC', businessId: a.businessId, businessName: 'Sunrise Software', suspended: false, revoked: false };
    const fields = { status: 'canceled', license_expires_on: t, '@base': { status: 'active', license_expires_on: row!.expires } };
    await pushChanges(db, other, [{ id: hlc, hlc, table: 'subscriptions', rowId: sub.id, op: 'upsert', fields }], server.clock.now());

    // The lookup statement says the key's business is behind on what a verdict depends on.
    const found = ((await runLookup(db, sha256(sub.licenseKey), undefined)).rows[0] as { found: { row_id: string; behind: boolean }[] }).found;
    expect(found.find((f) => f.row_id === sub.id)?.behind).toBe(true);
    // Its plan, the log past the cursor not empty: the log and the machines read through the indexes made for them (a
    // range of the changes each part wants), never by a scan of a table or of the business's log (its primary key).
    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const explained = (await tx.execute(sql`explain ${lookupStatement(sha256(sub.licenseKey), undefined)}`)) as unknown as { rows: Record<string, string>[] };
      return explained.rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).not.toMatch(/Seq Scan|changes_business_id_seq_pk/);
    for (const index of ['changes_license_verdict', 'changes_license_machines', 'changes_license_key', 'synced_rows_license_machines', 'synced_rows_license_hash']) expect(plan).toContain(index);

    // Validated now: the server folds first, and the license is canceled.
    expect((await validate({ key: sub.licenseKey })).body).toMatchObject({ valid: false, code: 'EXPIRED', license: { status: 'canceled', expiresOn: t } });
    const after = ((await runLookup(db, sha256(sub.licenseKey), undefined)).rows[0] as { found: { row_id: string; behind: boolean }[] }).found;
    expect(after.find((f) => f.row_id === sub.id)?.behind).toBe(false);
  });

  it.runIf(kind === 'postgres')('looks up with a named statement, and without one once a connection has lost it (a pooler in transaction mode)', async () => {
    const sub = await subscribe(a, await customer(a, 'Pat Pooled'), ['--start', today(), '--trial-days', '0', '--license']);
    await a.pc.ok(['sync', 'now']);
    expect((await validate({ key: sub.licenseKey })).body.code).toBe('VALID');
    const pool = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
    try {
      const db = drizzle(pool) as unknown as typeof server.storage.db;
      const found = async () => ((await runLookup(db, sha256(sub.licenseKey), a.businessId)).rows[0] as { found: { row_id: string }[] }).found.map((f) => f.row_id);
      expect(await found()).toContain(sub.id);
      const prepared = async () => (await pool.query(`select name from pg_prepared_statements`)).rows.map((r: { name: string }) => r.name);
      expect(await prepared()).toEqual(['recurra_license_lookup_in']);
      // The connection's statements gone, as behind PgBouncer when the next transaction lands on another server connection.
      await pool.query('deallocate all');
      expect(await found()).toContain(sub.id);
      expect(await found()).toContain(sub.id);
      expect(await prepared()).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('checks out a license file that the docs\' recipe verifies offline, and refuses a tampered one', async () => {
    const t = today();
    const sub = await subscribe(a, a.john.id, ['--start', t, '--trial-days', '10', '--license']);
    await a.pc.ok(['sync', 'now']);
    const key = sub.licenseKey;
    expect(await api('POST', '/v1/licenses/checkout', { body: { key, fingerprint: 'laptop-7' } })).toMatchObject({ status: 403, body: { error: { code: 'fingerprint_not_activated', param: 'fingerprint' } } });
    expect((await api('POST', '/v1/licenses/activate', { body: { key, fingerprint: 'laptop-7', name: 'Laptop' } })).status).toBe(200);
    const out = await api('POST', '/v1/licenses/checkout', { body: { key, fingerprint: 'laptop-7' } });
    expect(out.status).toBe(200);
    const publicKey = (await api('GET', `/v1/licenses/public-key?business=${a.businessId}`)).body.publicKey as string;
    const otherKey = (await api('GET', `/v1/licenses/public-key?business=${b.businessId}`)).body.publicKey as string;
    expect(otherKey).not.toBe(publicKey);

    // The recipe, taken from the docs as a business would copy it.
    const doc = fs.readFileSync(RECIPE_DOC, 'utf8');
    const recipe = /<!-- recipe -->\s*```js\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(recipe, 'docs/licenses.md has the recipe between <!-- recipe --> and a js fence').toBeDefined();
    expect(recipe!.trim().split('\n').length).toBeLessThanOrEqual(14);
    const dir = tempDir('recurra-recipe-');
    fs.writeFileSync(path.join(dir, 'recipe.mjs'), recipe!);
    const { readLicenseFile } = (await import(pathToFileURL(path.join(dir, 'recipe.mjs')).href)) as {
      readLicenseFile(text: string, publicKey: string, fingerprint: string, now?: Date): Record<string, unknown> | null;
    };
    const text = JSON.stringify(out.body.file);
    const read = readLicenseFile(text, publicKey, 'laptop-7');
    expect(read).toMatchObject({ business: a.businessId, key, fingerprint: 'laptop-7', status: 'trialing', entitlements: ['Export', 'Sync'], maxMachines: 2, expiresOn: addDays(t, 10) });
    expect(read!.expiresAt).toBe(out.body.expiresAt);
    // Offline until it expires, not after; not on another machine; not with another business's key; not tampered.
    expect(readLicenseFile(text, publicKey, 'laptop-7', new Date(Date.parse(out.body.expiresAt) - 1000))).not.toBeNull();
    expect(readLicenseFile(text, publicKey, 'laptop-7', new Date(out.body.expiresAt))).toBeNull();
    expect(readLicenseFile(text, publicKey, 'other-pc')).toBeNull();
    expect(readLicenseFile(text, otherKey, 'laptop-7')).toBeNull();
    const payload = JSON.parse(Buffer.from(out.body.file.payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, entitlements: ['Export', 'Sync', 'Enterprise'], expiresAt: '2099-01-01T00:00:00.000Z' })).toString('base64url');
    expect(readLicenseFile(JSON.stringify({ ...out.body.file, payload: forged }), publicKey, 'laptop-7')).toBeNull();
    const sig = Buffer.from(out.body.file.signature, 'base64url');
    sig[0] = sig[0]! ^ 1;
    expect(readLicenseFile(JSON.stringify({ ...out.body.file, signature: sig.toString('base64url') }), publicKey, 'laptop-7')).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never answers with another business\'s license; a suspended business\'s licenses say so', async () => {
    const t = today();
    // The same key chosen by both businesses for their own customers.
    const mine = await subscribe(a, a.jane.id, ['--start', t, '--trial-days', '5', '--license-key', 'SHARED-KEY-2026']);
    const theirs = await subscribe(b, b.jane.id, ['--start', t, '--trial-days', '9', '--license-key', 'SHARED-KEY-2026']);
    const only = await subscribe(b, b.john.id, ['--start', t, '--trial-days', '9', '--license']);
    await a.pc.ok(['sync', 'now']);
    await b.pc.ok(['sync', 'now']);
    expect(mine.licenseKey).toBe(theirs.licenseKey);
    expect((await validate({ key: 'SHARED-KEY-2026', business: a.businessId })).body).toMatchObject({ valid: true, license: { expiresOn: addDays(t, 5) } });
    expect((await validate({ key: 'SHARED-KEY-2026', business: b.businessId })).body).toMatchObject({ valid: true, license: { expiresOn: addDays(t, 9) } });
    // Without a business it is ambiguous: neither is answered.
    expect((await validate({ key: 'SHARED-KEY-2026' })).body).toEqual({ valid: false, code: 'NOT_FOUND', license: null });
    expect((await validate({ key: only.licenseKey, business: a.businessId })).body).toEqual({ valid: false, code: 'NOT_FOUND', license: null });
    expect(await api('POST', '/v1/licenses/activate', { body: { key: only.licenseKey, fingerprint: 'x', business: a.businessId } })).toMatchObject({ status: 404, body: { error: { code: 'license_not_found' } } });
    expect(await api('GET', '/v1/licenses/public-key?business=no-such-business')).toMatchObject({ status: 404, body: { error: { code: 'business_not_found', param: 'business' } } });

    // A business with a single license: its lookup wraps round to that same row (which must count once).
    const c = await business('Solo Tools');
    const solo = await subscribe(c, c.jane.id, ['--start', t, '--trial-days', '3', '--license']);
    await c.pc.ok(['sync', 'now']);
    expect((await validate({ key: solo.licenseKey, business: c.businessId })).body).toMatchObject({ valid: true, code: 'VALID', license: { key: solo.licenseKey, expiresOn: addDays(t, 3) } });

    await setSuspended(server.storage.db, b.businessId, true, server.clock.now());
    try {
      expect((await validate({ key: only.licenseKey })).body).toMatchObject({ valid: false, code: 'SUSPENDED', license: { key: only.licenseKey } });
      expect(await api('POST', '/v1/licenses/activate', { body: { key: only.licenseKey, fingerprint: 'x' } })).toMatchObject({ status: 403, body: { error: { code: 'business_suspended' } } });
      expect(await api('GET', `/v1/licenses/public-key?business=${b.businessId}`)).toMatchObject({ status: 403 });
    } finally {
      await setSuspended(server.storage.db, b.businessId, false, server.clock.now());
    }
    expect((await validate({ key: only.licenseKey })).body).toMatchObject({ valid: true, code: 'VALID' });

    // License requests count in the admin page's API usage of the business whose license they named; unknown keys count for nobody.
    const usageOf = async () => {
      await lic.app.flushApiUsage();
      const rows = await listBusinesses(server.storage.db, server.clock.now());
      return Object.fromEntries([a, b].map((x) => [x.businessId, rows.find((r) => r.id === x.businessId)!.apiRequests.today]));
    };
    const before = await usageOf();
    await validate({ key: only.licenseKey });
    await validate({ key: only.licenseKey, fingerprint: 'nowhere' });
    await api('POST', '/v1/licenses/deactivate', { body: { key: only.licenseKey, fingerprint: 'nowhere' } });
    await validate({ key: 'NO-SUCH-LICENSE-KEY' });
    expect(await usageOf()).toEqual({ [a.businessId]: before[a.businessId], [b.businessId]: before[b.businessId]! + 3 });
  });

  it('limits the rate per license key and per address with 429 and Retry-After', async () => {
    const perKey = await appWith({ perKeyPerMinute: 3, perIpPerMinute: 1000 });
    try {
      const replies = [];
      for (let i = 0; i < 5; i++) replies.push(await api('POST', '/v1/licenses/validate', { body: { key: 'RATE-LIMITED-KEY' }, url: perKey.url }));
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
      expect(Number(replies[3]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(replies[3]!.body.error).toMatchObject({ type: 'rate_limit', code: 'rate_limited' });
      // Another key from the same address is still answered.
      expect((await api('POST', '/v1/licenses/validate', { body: { key: 'ANOTHER-KEY' }, url: perKey.url })).status).toBe(200);
    } finally {
      await perKey.app.close();
    }
    const perIp = await appWith({ perKeyPerMinute: 1000, perIpPerMinute: 3 });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await api('POST', '/v1/licenses/validate', { body: { key: `KEY-${i}-ABC` }, url: perIp.url })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await api('GET', `/v1/licenses/public-key?business=${a.businessId}`, { url: perIp.url })).status).toBe(429);
    } finally {
      await perIp.app.close();
    }
  });

  it('answers bad input with 400 naming the param, and writes nothing', async () => {
    const count = await changeCount(a.businessId);
    const bad: [string, string, { body?: unknown; raw?: string; headers?: Record<string, string> }, string][] = [
      ['POST', '/v1/licenses/validate', { body: {} }, 'key'],
      ['POST', '/v1/licenses/validate', { body: { key: 5 } }, 'key'],
      ['POST', '/v1/licenses/validate', { body: { key: 'has spaces in it' } }, 'key'],
      ['POST', '/v1/licenses/validate', { body: { key: 'K'.repeat(100_000) } }, 'key'],
      ['POST', '/v1/licenses/validate', { body: { key: 'ABCD-1234', fingerprint: '' } }, 'fingerprint'],
      ['POST', '/v1/licenses/validate', { body: { key: 'ABCD-1234', admin: true } }, 'admin'],
      ['POST', '/v1/licenses/validate', { body: [] }, 'body'],
      ['POST', '/v1/licenses/validate', { raw: '{"key": ' }, 'body'],
      ['POST', '/v1/licenses/validate', { raw: '{}', headers: { 'content-type': 'text/plain' } }, 'Content-Type'],
      ['POST', '/v1/licenses/activate', { body: { key: 'ABCD-1234' } }, 'fingerprint'],
      ['POST', '/v1/licenses/activate', { body: { key: 'ABCD-1234', fingerprint: 'x', name: 'n'.repeat(500) } }, 'name'],
      ['POST', '/v1/licenses/deactivate', { body: { fingerprint: 'x' } }, 'key'],
      ['POST', '/v1/licenses/checkout', { body: { key: 'ABCD-1234', fingerprint: 7 } }, 'fingerprint'],
      ['GET', '/v1/licenses/public-key', {}, 'business'],
      ['GET', '/v1/licenses/public-key?business=x&extra=1', {}, 'extra'],
    ];
    for (const [method, route, options, param] of bad) {
      const reply = await api(method, route, options);
      expect({ route, status: reply.status, param: reply.body?.error?.param }).toEqual({ route, status: 400, param });
      expect(reply.body.error.type).toBe('invalid_request');
    }
    expect(await changeCount(a.businessId)).toBe(count);
  });

  it('keeps verdicts in the cache, and a kept one follows a cancel, a plan\'s limit, a deactivation, a suspension, a key that appears, and the clock', async () => {
    const t = today();
    const cache = verdictCacheOf(server.storage.db);
    const sub = await subscribe(a, await customer(a, 'Cora Cached'), ['--start', t, '--trial-days', '0', '--license']);
    await a.pc.ok(['sync', 'now']);
    const key = sub.licenseKey;
    // Settled: the first validation's write-back (and its fold) behind us, so what follows is kept.
    await validate({ key });
    await lic.app.settleLicenseWrites();
    expect((await ensureProjection(server.storage.db, a.businessId)).ready).toBe(true);
    const kept = async (body: Record<string, unknown>, url?: string) => {
      const reads = cache.reads;
      const reply = await api('POST', '/v1/licenses/validate', { body, url });
      return { body: reply.body, read: cache.reads - reads };
    };
    await validate({ key });
    expect(await kept({ key })).toMatchObject({ read: 0, body: { valid: true, code: 'VALID', license: { machines: 0, maxMachines: 2 } } });

    // A machine activated, then deactivated: each is a server-made change in the business's log, and the kept answer goes.
    expect((await api('POST', '/v1/licenses/activate', { body: { key, fingerprint: 'fp-cache' } })).status).toBe(200);
    expect(await kept({ key, fingerprint: 'fp-cache' })).toMatchObject({ read: 1, body: { code: 'VALID', license: { machines: 1 } } });
    expect(await kept({ key, fingerprint: 'fp-cache' })).toMatchObject({ read: 0, body: { code: 'VALID', license: { machines: 1 } } });
    expect((await api('POST', '/v1/licenses/deactivate', { body: { key, fingerprint: 'fp-cache' } })).status).toBe(200);
    expect(await kept({ key, fingerprint: 'fp-cache' })).toMatchObject({ read: 1, body: { code: 'FINGERPRINT_NOT_ACTIVATED', license: { machines: 0 } } });
    for (const fingerprint of ['fp-cache', 'fp-cache-2']) expect((await api('POST', '/v1/licenses/activate', { body: { key, fingerprint } })).status).toBe(200);
    await validate({ key, fingerprint: 'fp-cache' });
    await validate({ key, fingerprint: 'fp-cache-2' });
    await lic.app.settleLicenseWrites();
    await ensureProjection(server.storage.db, a.businessId);
    await validate({ key, fingerprint: 'fp-cache' });
    expect(await kept({ key, fingerprint: 'fp-cache' })).toMatchObject({ read: 0, body: { code: 'VALID', license: { machines: 2 } } });

    // The plan's limit lowered on the PC and synced.
    await a.pc.ok(['plan', 'update', a.planId, '--max-machines', '1']);
    await a.pc.ok(['sync', 'now']);
    expect(await kept({ key })).toMatchObject({ read: 1, body: { valid: false, code: 'TOO_MANY_MACHINES', license: { machines: 2, maxMachines: 1 } } });
    expect(await kept({ key })).toMatchObject({ read: 0, body: { code: 'TOO_MANY_MACHINES' } });
    await a.pc.ok(['plan', 'update', a.planId, '--max-machines', '2']);
    await a.pc.ok(['sync', 'now']);
    expect(await kept({ key })).toMatchObject({ read: 1, body: { valid: true, license: { maxMachines: 2 } } });

    // The business suspended on this server (nothing in its log), then resumed.
    await setSuspended(server.storage.db, a.businessId, true, server.clock.now());
    try {
      expect(await kept({ key })).toMatchObject({ read: 1, body: { valid: false, code: 'SUSPENDED' } });
    } finally {
      await setSuspended(server.storage.db, a.businessId, false, server.clock.now());
    }
    expect((await kept({ key })).body).toMatchObject({ valid: true, code: 'VALID' });

    // An unknown key is kept too, until a subscription with that key appears (here in the other business).
    const later = `LATER-${kind.toUpperCase()}-CACHE-KEY`;
    expect((await validate({ key: later })).body).toEqual({ valid: false, code: 'NOT_FOUND', license: null });
    expect(await kept({ key: later })).toMatchObject({ read: 0, body: { code: 'NOT_FOUND' } });
    await subscribe(b, await customer(b, 'Lena Later'), ['--start', t, '--trial-days', '0', '--license-key', later]);
    await b.pc.ok(['sync', 'now']);
    expect(await kept({ key: later })).toMatchObject({ read: 1, body: { valid: true, code: 'VALID', license: { key: later } } });

    // Canceled on the PC and synced: expired at once.
    await a.pc.ok(['subscription', 'cancel', sub.id, '--on', t]);
    await a.pc.ok(['sync', 'now']);
    expect(await kept({ key })).toMatchObject({ read: 1, body: { valid: false, code: 'EXPIRED', license: { status: 'canceled' } } });

    // A trial ends at midnight in the business's time zone: an app whose clock is a millisecond before, then there, the
    // answer kept throughout. (A business of its own: the write-back stamped in that clock's future would stop its PC's pushes.)
    const c = await business('Midnight Tools');
    const trial = await subscribe(c, c.jane.id, ['--start', t, '--trial-days', '1', '--license']);
    await c.pc.ok(['sync', 'now']);
    let at = new Date(startOfDayInstant(addDays(t, 1), TZ).getTime() - 1);
    const clocked = await appWith({ perIpPerMinute: 100_000, perKeyPerMinute: 100_000 }, { now: () => at });
    try {
      expect((await kept({ key: trial.licenseKey }, clocked.url)).body).toMatchObject({ valid: true, code: 'VALID', license: { status: 'trialing', expiresOn: addDays(t, 1) } });
      await clocked.app.settleLicenseWrites();
      await ensureProjection(server.storage.db, c.businessId);
      await kept({ key: trial.licenseKey }, clocked.url);
      expect(await kept({ key: trial.licenseKey }, clocked.url)).toMatchObject({ read: 0, body: { valid: true, code: 'VALID' } });
      at = new Date(at.getTime() + 1);
      expect(await kept({ key: trial.licenseKey }, clocked.url)).toMatchObject({ read: 0, body: { valid: false, code: 'EXPIRED', license: { expiresOn: addDays(t, 1) } } });
    } finally {
      await clocked.app.close();
    }
  });

  it('keeps at most its bound of answers, the least recently used going first', async () => {
    const small = new VerdictCache(server.storage.db, 2);
    for (const key of ['BOUND-ONE', 'BOUND-TWO', 'BOUND-THREE']) expect(await small.find(key, undefined)).toBeNull();
    expect(small.size).toEqual({ known: 0, unknown: 2 });
    const reads = small.reads;
    expect(await small.find('BOUND-THREE', undefined)).toBeNull();
    expect(small.reads).toBe(reads);
    expect(await small.find('BOUND-ONE', undefined)).toBeNull();
    expect(small.reads).toBe(reads + 1);
  });

  it.runIf(kind === 'pglite')('on PGlite, answers a kept verdict with no check while nothing at all was written, and checks it once after any write', async () => {
    const db = server.storage.db;
    const snapshot = () => writeSnapshotOf(db)!.ask(null);
    // The premise (db/shared-statement.ts): the write snapshot stands through reads and moves with every kind of write.
    const moves = async (what: () => Promise<unknown>) => {
      const before = await snapshot();
      await what();
      return (await snapshot()) !== before;
    };
    await db.execute(sql`create temp table if not exists snapshot_probe (id int primary key, n int not null)`);
    expect(await moves(() => db.execute(sql`select count(*) from synced_rows`))).toBe(false);
    expect(await moves(() => runLookup(db, sha256('PROBE-PROBE'), undefined))).toBe(false);
    expect(await moves(() => db.transaction(async (tx) => tx.execute(sql`select count(*) from changes`)))).toBe(false);
    expect(await moves(() => db.execute(sql`update snapshot_probe set n = n + 1 where false`))).toBe(false); // nothing written
    expect(await moves(() => db.execute(sql`insert into snapshot_probe values (1, 0)`))).toBe(true);
    expect(await moves(() => db.execute(sql`insert into snapshot_probe values (1, 0) on conflict (id) do update set n = snapshot_probe.n + 1`))).toBe(true);
    expect(await moves(() => db.execute(sql`update snapshot_probe set n = n + 1`))).toBe(true);
    // A write inside a SELECT (as the sync pull's last_sync_at): its command tag says SELECT, the snapshot still moves.
    expect(await moves(() => db.execute(sql`with t as (update snapshot_probe set n = n + 1 returning id) select count(*) from t`))).toBe(true);
    expect(await moves(() => db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      await tx.execute(sql`update snapshot_probe set n = 0`);
    }))).toBe(true);
    expect(await moves(() => db.execute(sql`delete from snapshot_probe`))).toBe(true);

    const t = today();
    const sub = await subscribe(a, await customer(a, 'Quinn Quick'), ['--start', t, '--trial-days', '0', '--license']);
    await a.pc.ok(['sync', 'now']);
    await validate({ key: sub.licenseKey });
    await lic.app.settleLicenseWrites();
    await ensureProjection(db, a.businessId);
    await validate({ key: sub.licenseKey });
    await validate({ key: 'QUICK-QUICK-QUICK-QUICK-QUICK' });
    const cache = verdictCacheOf(db);
    // Kept answers, nothing written meanwhile: no check, no read. (The API usage counts are written every 5 s: a
    // round that saw the snapshot move is run again.)
    let quiet = false;
    for (let round = 0; round < 5 && !quiet; round++) {
      const [checks, reads, before] = [cache.checks, cache.reads, await snapshot()];
      for (const key of [sub.licenseKey, 'QUICK-QUICK-QUICK-QUICK-QUICK', sub.licenseKey]) await validate({ key });
      if ((await snapshot()) !== before) continue;
      quiet = true;
      expect([cache.checks - checks, cache.reads - reads]).toEqual([0, 0]);
    }
    expect(quiet).toBe(true);
    // A write that does not touch the license (another business's API usage): one check, no read, then quick again.
    await db.execute(sql`insert into api_usage (business_id, day, requests) values (${b.businessId}, ${t}, 1)
      on conflict (business_id, day) do update set requests = api_usage.requests + 1`);
    const [checks, reads] = [cache.checks, cache.reads];
    expect((await validate({ key: sub.licenseKey })).body).toMatchObject({ valid: true, code: 'VALID' });
    expect([cache.checks - checks, cache.reads - reads]).toEqual([1, 0]);
    // A write that does: canceled on the PC and synced, the kept answer is checked, read again, and right.
    await a.pc.ok(['subscription', 'cancel', sub.id, '--on', t]);
    await a.pc.ok(['sync', 'now']);
    expect((await validate({ key: sub.licenseKey })).body).toMatchObject({ valid: false, code: 'EXPIRED', license: { status: 'canceled' } });
    expect(cache.reads - reads).toBe(1);
  });

  it.runIf(kind === 'postgres')('keeps verdicts exact when another server process takes the push (its own cache, checked against the database)', async () => {
    const t = today();
    const sub = await subscribe(a, await customer(a, 'Otto Other'), ['--start', t, '--trial-days', '0', '--license']);
    await a.pc.ok(['sync', 'now']);
    // A second process: its own pool, so its own verdict cache; the PC pushes through the first.
    const pool = new pg.Pool({ connectionString: server.databaseUrl, max: 4 });
    const otherDb = drizzle(pool) as unknown as typeof server.storage.db;
    const other = await appWith({ perIpPerMinute: 100_000, perKeyPerMinute: 100_000 }, { db: otherDb });
    const theirs = verdictCacheOf(otherDb);
    expect(theirs).not.toBe(verdictCacheOf(server.storage.db));
    try {
      const there = async () => (await api('POST', '/v1/licenses/validate', { body: { key: sub.licenseKey }, url: other.url })).body;
      expect(await there()).toMatchObject({ valid: true, code: 'VALID' });
      await other.app.settleLicenseWrites();
      await ensureProjection(server.storage.db, a.businessId);
      await there();
      const reads = theirs.reads;
      expect(await there()).toMatchObject({ valid: true, code: 'VALID' });
      expect(theirs.reads).toBe(reads);
      await a.pc.ok(['subscription', 'cancel', sub.id, '--on', t]);
      await a.pc.ok(['sync', 'now']);
      expect(await there()).toMatchObject({ valid: false, code: 'EXPIRED', license: { status: 'canceled' } });
      expect(theirs.reads).toBe(reads + 1);
    } finally {
      await other.app.close();
      await pool.end();
    }
  });

  it('carries the plan\'s features as entitlements: Basic has insights, Pro has predictions too (docs/plan-gating.md), and follows a change of the plan', async () => {
    const t = today();
    const basic = await b.pc.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Basic', '--price', '10.00', '--interval', 'month', '--features', 'insights']);
    const pro = await b.pc.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Pro insights', '--price', '25.00', '--interval', 'month', '--features', 'insights,predictions']);
    const onBasic = await b.pc.ok<{ subscription: { licenseKey: string } }>(['subscription', 'create', '--customer', await customer(b, 'Bea Basic'), '--plan', basic.plan.id, '--start', t, '--trial-days', '0', '--license']);
    const onPro = await b.pc.ok<{ subscription: { licenseKey: string } }>(['subscription', 'create', '--customer', await customer(b, 'Paul Pro'), '--plan', pro.plan.id, '--start', t, '--trial-days', '0', '--license']);
    await b.pc.ok(['sync', 'now']);
    expect((await validate({ key: onBasic.subscription.licenseKey })).body).toMatchObject({ valid: true, license: { entitlements: ['insights'] } });
    expect((await validate({ key: onPro.subscription.licenseKey })).body).toMatchObject({ valid: true, license: { entitlements: ['insights', 'predictions'] } });
    // The owner ticks "predictions" on Basic: the next validation says so.
    await b.pc.ok(['plan', 'update', basic.plan.id, '--features', 'insights,predictions']);
    await b.pc.ok(['sync', 'now']);
    expect((await validate({ key: onBasic.subscription.licenseKey })).body).toMatchObject({ valid: true, license: { entitlements: ['insights', 'predictions'] } });
  });
});
