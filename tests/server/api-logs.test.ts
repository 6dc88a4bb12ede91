import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { callRunningServer, readLock } from '../../src-server/operator';
import { startServer } from '../../src-server/server';
import { createInvite } from '../../src-server/sync/store';
import { apiClient, type ApiClient } from './api-support';
import { businessOnNewPc, PAST, type Pc } from './pcs';
import { call, freshDatabase, makeChange, storageKinds, TEST_SERVER_KEY, TestClock, type StorageKind, type TestServer } from './support';

// "No token, key or password in logs" (issue 13, spec/server.md): a real
// server with its request log and its failure log captured runs a session
// that uses every kind of secret (device tokens, invite and pairing codes, API
// keys in Authorization headers, license keys, an admin password) and fails
// with 500s whose database errors carry the request's values (a trigger
// refuses the write, quoting the row in its DETAIL; drizzle's message lists
// every bound parameter). Then every secret is looked for in every line.

/** The real server in this process, both logs captured (the request log and failures). */
async function loggedServer(kind: StorageKind) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-logs-'));
  if (kind === 'pglite') fs.cpSync(inject('pgliteTemplate'), path.join(dataDir, 'pgdata'), { recursive: true });
  const databaseUrl = kind === 'postgres' ? await freshDatabase() : undefined;
  const clock = new TestClock();
  const lines: string[] = [];
  const failures: string[] = [];
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl,
    serverKey: TEST_SERVER_KEY,
    now: clock.now,
    log: (l) => lines.push(l),
    logError: (t) => failures.push(t),
    apiRatePerSecond: 10_000,
  });
  return Object.assign(server, {
    kind,
    clock,
    logLines: lines,
    failures,
    dataDir,
    async stop() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  }) as TestServer & { failures: string[] };
}

describe.each(storageKinds)('the server logs no secret on %s', (kind) => {
  let server: TestServer & { failures: string[] };
  let client: ApiClient;
  let pc: Pc;
  let businessId: string;
  const secrets = new Map<string, string>();
  const keep = (what: string, value: string) => {
    expect(value.length, what).toBeGreaterThan(5);
    secrets.set(what, value);
    return value;
  };

  beforeAll(async () => {
    server = await loggedServer(kind);
    client = await apiClient(server);
    const made = await businessOnNewPc('Quiet Studio');
    pc = made.a;
    businessId = made.businessId;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps every token, code, key, license key and password out of the request log and the failure log, 500s included', async () => {
    const { api } = client;
    // Enrollment: an invite code spent by a PC, and one spent over HTTP (whose device token and pairing code we hold).
    const invite = keep('invite code', (await createInvite(server.storage.db, server.clock.now())).code);
    await pc.ok(['sync', 'connect', '--server', server.url, '--invite', invite]);
    const other = keep('second invite code', (await createInvite(server.storage.db, server.clock.now())).code);
    const connected = await call(server, 'POST', '/sync/v1/connect', { body: { inviteCode: other, businessId: `biz-logs-${kind}`, businessName: 'Other', deviceName: 'Desk' } });
    expect(connected.status).toBe(200);
    const token = keep('device token', connected.body.token as string);
    const pairing = await call(server, 'POST', '/sync/v1/pair', { token });
    const code = keep('pairing code', pairing.body.code as string);
    const joined = await call(server, 'POST', '/sync/v1/join', { body: { code, deviceName: 'Laptop' } });
    keep('joined device token', joined.body.token as string);
    expect((await call(server, 'POST', '/sync/v1/push', { token, body: { changes: [makeChange(connected.body.deviceId as string, 1)] } })).status).toBe(200);
    expect((await call(server, 'GET', '/sync/v1/pull?after=0', { token })).status).toBe(200);

    // API keys, in Authorization headers; a made-up one too.
    const read = keep('read API key', (await pc.ok<{ key: string }>(['api-key', 'create', '--name', 'Website', '--scope', 'read'])).key);
    const write = keep('write API key', (await pc.ok<{ key: string }>(['api-key', 'create', '--name', 'Zapier', '--scope', 'write'])).key);
    keep('write API key hash', createHash('sha256').update(write).digest('hex'));
    const plan = (await pc.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Monthly', '--price', '30.00', '--interval', 'month'])).plan;
    const customer = (await pc.ok<{ customer: { id: string } }>(['customer', 'create', '--name', 'Lic Holder', '--email', 'holder@example.com'])).customer;
    await pc.ok(['sync', 'now']);
    expect((await api('GET', '/v1/customers?limit=5', { key: read })).status).toBe(200);
    expect((await api('GET', '/v1/customers', { headers: { authorization: `Bearer ${keep('bogus bearer', 'sekret-bogus-token-123')}` } })).status).toBe(401);
    expect((await api('GET', '/v1/customers', { key: `rk_${keep('bogus API key', 'NotAKeyButSecretAnyway0000')}` })).status).toBe(401);

    // License keys: one given, one generated.
    const given = keep('license key', 'QUIET-LICENSE-0042');
    const licensed = await api('POST', '/v1/subscriptions', { key: write, body: { customerId: customer.id, planId: plan.id, startDate: PAST, licenseKey: given } });
    expect(licensed.status).toBe(201);
    const generated = await api('POST', '/v1/subscriptions', { key: write, body: { customerId: customer.id, planId: plan.id, startDate: PAST, withLicenseKey: true } });
    keep('generated license key', generated.body.licenseKey as string);

    // An admin made through the operator route (the password in its body), signing in wrong and right.
    const password = keep('admin password', 'correct horse battery staple 9');
    if (kind === 'pglite') await callRunningServer(readLock(server.dataDir)!, '/_operator/admins', { email: 'ops@example.com', password });
    else await (await import('../../src-server/admin/store')).createAdmin(server.storage.db, 'ops@example.com', password, server.clock.now());
    for (const attempt of [keep('wrong admin password', 'not the password at all'), password]) {
      const response = await fetch(`${server.url}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
        body: new URLSearchParams({ email: 'ops@example.com', password: attempt }).toString(),
      });
      await response.text();
      const cookie = response.headers.get('set-cookie');
      if (cookie) keep('admin session cookie', /=([^;]+)/.exec(cookie)![1]!);
    }

    // 500s whose database errors carry the values: a trigger refuses every new change, quoting it.
    await server.storage.db.execute(sql.raw(`
      create function refuse_change() returns trigger language plpgsql as $$
      begin raise exception 'refused by the test' using detail = 'the change: ' || new.fields::text, hint = new.row_id; end $$`));
    await server.storage.db.execute(sql.raw('create trigger refuse_change before insert on changes for each row execute function refuse_change()'));
    try {
      const failing = [
        await call(server, 'POST', '/v1/customers', { token: write, body: { name: 'Secret Person', email: keep('customer email', 'secret.person@example.com'), notes: keep('customer notes', 'SECRETNOTE-123') } }),
        await call(server, 'POST', '/v1/subscriptions', { token: write, body: { customerId: customer.id, planId: plan.id, startDate: PAST, licenseKey: keep('license key of a failed write', 'FAILED-LICENSE-0500') } }),
        await call(server, 'POST', '/sync/v1/push', { token, body: { changes: [makeChange(connected.body.deviceId as string, 2, { name: keep('pushed value', 'SECRETPUSH-1') })] } }),
      ];
      expect(failing.map((r) => r.status)).toEqual([500, 500, 500]);
    } finally {
      await server.storage.db.execute(sql.raw('drop trigger refuse_change on changes'));
      await server.storage.db.execute(sql.raw('drop function refuse_change()'));
    }

    const log = [...server.logLines, ...server.failures].join('\n');
    const found = [...secrets].filter(([, value]) => log.includes(value)).map(([what]) => what);
    expect(found).toEqual([]);
    // The failures were logged, usefully: the route, the database's code and message, where in the code.
    expect(server.failures.filter((f) => /error on POST \/(v1\/customers|v1\/subscriptions|sync\/v1\/push)/.test(f))).toHaveLength(3);
    expect(server.failures.join('\n')).toContain('P0001');
    expect(server.failures.join('\n')).toContain('refused by the test');
    expect(server.failures.join('\n')).toMatch(/\n\s+at /);
    expect(server.logLines.length).toBeGreaterThan(15);
    // Nor the whole Authorization header, nor the body of any request.
    expect(log).not.toMatch(/authorization|bearer/i);
    expect(businessId).toBeTruthy();
  });
});
