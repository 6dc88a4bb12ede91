import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createInvite } from '../../src-server/sync/store';
import { Core, type CoreDeps } from '../../src-main/core/core';
import { fileKind, keyAccount } from '../../src-main/core/db/keyring';
import { FileSecretStore } from '../../src-main/core/file-secret-store';
import { silentLogger, systemClock, type Scheduler } from '../../src-main/core/ports';
import { readSyncState, writeSyncState } from '../../src-main/core/sync';
import type { FetchLike } from '../../src-main/core/sync-client/http';
import { call, callError, connect, MIGRATIONS_DIR, OWNER_PASSWORD, signUp, tempDir, openBusinessFile } from '../support/core';
import { startTestServer, type TestServer } from './support';

// The sync client in the core, against the real server, with the network
// failing on purpose (a fetch that passes calls to the real one until told to
// drop them): a join or a sync stopped midway, a lost answer, a server behind
// the PC. Nothing is lost, nothing half written, and the next sync converges.

/** Node's fetch, failing like a dropped connection on the calls `fail` picks (by route and count). */
class Network {
  calls: string[] = [];
  fail: ((route: string, nth: number) => 'before' | 'after' | null) | null = null;
  readonly fetch: FetchLike = async (input, init) => {
    const route = new URL(input).pathname.replace('/sync/v1', '');
    this.calls.push(route);
    const nth = this.calls.filter((r) => r === route).length;
    const when = this.fail?.(route, nth) ?? null;
    if (when === 'before') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    const response = await fetch(input, init);
    if (when === 'after') {
      await response.text();
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    }
    return response;
  };
  reset() {
    this.calls = [];
    this.fail = null;
  }
}

interface Pc {
  core: Core;
  dataDir: string;
  net: Network;
  conn: ReturnType<typeof connect>;
}

const cores: Core[] = [];

function newCore(dataDir: string, net: Network, extra: Partial<CoreDeps> = {}): Core {
  const core = new Core({
    paths: { dataDir, migrationsDir: MIGRATIONS_DIR },
    clock: systemClock,
    logger: silentLogger,
    secrets: new FileSecretStore(dataDir, () => {}),
    fetch: net.fetch,
    syncPullPageSize: 7,
    ...extra,
  });
  cores.push(core);
  return core;
}

function newPc(): Pc {
  const dataDir = tempDir('recurra-pc-');
  const net = new Network();
  return { core: newCore(dataDir, net), dataDir, net, conn: connect() };
}

async function login(p: Pc, businessId: string) {
  await call(p.core, p.conn, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
}

async function addCustomers(p: Pc, n: number, prefix: string) {
  for (let i = 0; i < n; i++) await call(p.core, p.conn, 'customers.create', { name: `${prefix} ${i}`, email: `${prefix.toLowerCase()}${i}@example.com` });
}

const digestOf = (p: Pc) => call(p.core, p.conn, 'sync.digest', {});

/** Each PC syncs until both have what the other wrote (a join's own audit row included). */
async function settle(...pcs: Pc[]) {
  for (let round = 0; round < 2; round++) for (const p of pcs) await call(p.core, p.conn, 'sync.now', {});
}

describe('a sync that stops midway', () => {
  let server: TestServer;
  let a: Pc;
  let businessId: string;
  beforeAll(async () => {
    server = await startTestServer('pglite');
    a = newPc();
    const made = await signUp(a.core);
    a.conn = made.conn;
    businessId = made.businessId;
    await addCustomers(a, 20, 'First');
    const code = (await createInvite(server.storage.db, server.clock.now())).code;
    await call(a.core, a.conn, 'sync.connect', { server: server.url, inviteCode: code, deviceName: 'Desk' });
  });
  afterEach(() => a?.net.reset());
  afterAll(async () => {
    for (const core of cores) core.close();
    await server?.stop();
  });

  async function pair() {
    return (await call(a.core, a.conn, 'sync.pair', {})).code;
  }

  it('leaves no business on a PC whose join stopped, gives the device back, and a new code joins', async () => {
    const b = newPc();
    b.net.fail = (route, nth) => (route === '/pull' && nth === 3 ? 'before' : null);
    const error = await callError(b.core, b.conn, 'sync.join', { server: server.url, code: await pair(), deviceName: 'Broken' });
    expect(error.message).toContain('Cannot reach the sync server');
    expect(error.message).toContain('Nothing was kept on this PC');
    expect(await call(b.core, b.conn, 'business.list', {})).toEqual([]);
    expect(fs.readdirSync(path.join(b.dataDir, 'businesses'))).toEqual([]);
    expect(fs.existsSync(path.join(b.dataDir, 'secrets.json')) ? fs.readFileSync(path.join(b.dataDir, 'secrets.json'), 'utf8') : '').not.toContain(businessId);
    // The device the server made for the failed join is revoked, not left dangling.
    const status = await call(a.core, a.conn, 'sync.status', {});
    expect(status.devices.find((d) => d.name === 'Broken')).toMatchObject({ revoked: true });

    b.net.reset();
    const joined = await call(b.core, b.conn, 'sync.join', { server: server.url, code: await pair(), deviceName: 'Laptop' });
    expect(joined.business.id).toBe(businessId);
    await login(b, businessId);
    await settle(b, a);
    expect(await digestOf(b)).toEqual(await digestOf(a));
  });

  it('writes a joined business encrypted from its first byte: plain SQLite never reads the file, its WAL or the temporary one', async () => {
    const b = newPc();
    const folder = path.join(b.dataDir, 'businesses');
    const seen: string[] = [];
    /** Every file in the folder while the business arrives: none is a plain SQLite file or holds a customer's name. */
    const checkFolder = () => {
      for (const name of fs.readdirSync(folder)) {
        const file = path.join(folder, name);
        const bytes = fs.readFileSync(file);
        if (bytes.length === 0) continue;
        seen.push(name);
        expect(bytes.subarray(0, 16).toString('latin1'), name).not.toBe('SQLite format 3\0');
        expect(bytes.includes('First 1'), name).toBe(false);
        if (!name.endsWith('-wal') && !name.endsWith('-shm')) {
          const plain = new Database(file, { readonly: true, fileMustExist: true });
          try {
            expect(() => plain.prepare('SELECT count(*) FROM customers').get(), name).toThrow('file is not a database');
          } finally {
            plain.close();
          }
        }
      }
    };
    // Looked at before each page of the download is fetched (after the first pages were written) and after the join.
    b.net.fail = (route) => {
      if (route === '/pull') checkFolder();
      return null;
    };
    await call(b.core, b.conn, 'sync.join', { server: server.url, code: await pair(), deviceName: 'Encrypted' });
    checkFolder();
    expect(seen.some((name) => name.startsWith('.restore-') && name.endsWith('.tmp'))).toBe(true);
    expect(seen.some((name) => name.endsWith('.tmp-wal'))).toBe(true);
    const file = path.join(folder, `${businessId}.sqlite`);
    expect(fileKind(file)).toBe('encrypted');
    // Its own fresh key, in this PC's secret store, opens it; it is not the first PC's key.
    const keys = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as Record<string, string>;
    expect(keys(b.dataDir)[keyAccount(businessId)]).toMatch(/^[0-9a-f]{64}$/);
    expect(keys(b.dataDir)[keyAccount(businessId)]).not.toBe(keys(a.dataDir)[keyAccount(businessId)]);
    await login(b, businessId);
    expect((await call(b.core, b.conn, 'customers.list', { search: 'First 1', limit: 5 })).rows.length).toBeGreaterThan(0);
  });

  it('resumes a pull from the last page it applied, and pushes again a batch whose answer was lost', async () => {
    const b = newPc();
    await call(b.core, b.conn, 'sync.join', { server: server.url, code: await pair(), deviceName: 'Tablet' });
    await login(b, businessId);
    await addCustomers(a, 15, 'Second');
    await call(a.core, a.conn, 'sync.now', {});

    const db = b.core.businesses.get(businessId);
    const before = readSyncState(db).cursor;
    b.net.reset();
    b.net.fail = (route, nth) => (route === '/pull' && nth === 3 ? 'before' : null);
    const stopped = await callError(b.core, b.conn, 'sync.now', {});
    expect(stopped.message).toContain('Cannot reach the sync server');
    const midway = readSyncState(db).cursor;
    expect(midway).toBeGreaterThan(before); // two pages applied and kept
    b.net.reset();
    const resumed = await call(b.core, b.conn, 'sync.now', {});
    expect(resumed.pulled).toBeGreaterThan(0);
    expect(b.net.calls.filter((r) => r === '/pull').length).toBeGreaterThan(1);
    await settle(a, b);
    expect(await digestOf(b)).toEqual(await digestOf(a));

    // The server stores a push whose answer never arrives; the PC pushes it again and the server counts duplicates.
    await addCustomers(b, 3, 'Lost');
    b.net.fail = (route) => (route === '/push' ? 'after' : null);
    await callError(b.core, b.conn, 'sync.now', {});
    // Three customers wait, as a person counts them (each also logged a timeline line and an audit row).
    expect((await call(b.core, b.conn, 'sync.status', {})).pending).toBe(3);
    b.net.reset();
    expect((await call(b.core, b.conn, 'sync.now', {})).pushed).toBeGreaterThan(3);
    expect((await call(b.core, b.conn, 'sync.status', {})).pending).toBe(0);
    await settle(a, b);
    const names = (await call(a.core, a.conn, 'customers.list', { search: 'Lost', limit: 50 })).rows.map((c) => c.name).sort();
    expect(names).toEqual(['Lost 0', 'Lost 1', 'Lost 2']);
    expect(await digestOf(b)).toEqual(await digestOf(a));
  });

  it('pulls everything again when the server is behind the PC (409 cursor_ahead)', async () => {
    const b = newPc();
    await call(b.core, b.conn, 'sync.join', { server: server.url, code: await pair(), deviceName: 'Restored' });
    await login(b, businessId);
    const db = b.core.businesses.get(businessId);
    writeSyncState(db, { cursor: 10_000_000 });
    await addCustomers(a, 2, 'Third');
    await call(a.core, a.conn, 'sync.now', {});
    const result = await call(b.core, b.conn, 'sync.now', {});
    expect(result.pulled).toBeGreaterThan(2);
    expect(readSyncState(db).cursor).toBeLessThan(10_000_000);
    await settle(a, b);
    expect(await digestOf(b)).toEqual(await digestOf(a));
  });

  // Syncing by itself (auto-sync.ts) is tested in tests/unit/sync/auto-sync.test.ts and, with the real server, tests/e2e/sync.spec.ts.

  it('keeps the billing timer quiet on a PC that is not the billing PC, and refuses its billing.run', async () => {
    const b = newPc();
    await call(b.core, b.conn, 'sync.join', { server: server.url, code: await pair(), deviceName: 'Back office' });
    await login(b, businessId);
    const refused = await callError(b.core, b.conn, 'billing.run', { asOf: '2026-01-01' });
    expect(refused).toMatchObject({ code: 'conflict' });
    expect(refused.message).toContain('"Desk"');
    b.core.close();
    cores.splice(cores.indexOf(b.core), 1);

    const ticks: (() => void)[] = [];
    const scheduler: Scheduler = { every: (_ms, task) => (ticks.push(task), { cancel() {} }) };
    const runsIn = (dataDir: string) => {
      const file = openBusinessFile(path.join(dataDir, 'businesses', `${businessId}.sqlite`), { readonly: true });
      try {
        return file.prepare('SELECT count(*) FROM billing_runs').pluck().get() as number;
      } finally {
        file.close();
      }
    };
    const timerB = newCore(b.dataDir, b.net, { billingTimer: true, scheduler });
    await call(timerB, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    for (const tick of ticks) tick();
    await timerB.billing.idle();
    expect(runsIn(b.dataDir)).toBe(0);

    const timerA = newCore(a.dataDir, a.net, { billingTimer: true, scheduler });
    await call(timerA, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    await timerA.billing.idle();
    expect(runsIn(a.dataDir)).toBeGreaterThan(0);
  });
});
