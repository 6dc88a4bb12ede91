import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../src-server/sync/store';
import { Core } from '../../src-main/core/core';
import { FileSecretStore } from '../../src-main/core/file-secret-store';
import { silentLogger, systemClock } from '../../src-main/core/ports';
import { call, connect, MIGRATIONS_DIR, OWNER_PASSWORD, signUp, tempDir, type TestConnection, BACKUP_PASSPHRASE } from '../support/core';
import { call as http, startTestServer, storageKinds, type TestServer } from './support';

// The restore trap: a pull leaves out a PC's own changes (it has them), so a
// PC whose business file goes back to a copy taken before some of its pushes
// (a file-level backup put back by hand, a disk image) would never get those
// changes back: the server and the other PCs have them, this PC lost them.
// The server tells the PC when it holds newer changes of this device than the
// file has (status `ownAhead`), and the PC then pulls everything again with
// its own changes (`own=1`); applying what it has changes nothing.

describe.each(storageKinds)('a PC whose business file went back to an older copy (%s)', (kind) => {
  let server: TestServer;
  const cores: Core[] = [];
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    for (const core of cores) core.close();
    await server?.stop();
  });

  const open = (dataDir: string) => {
    const core = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, clock: systemClock, logger: silentLogger, secrets: new FileSecretStore(dataDir, () => {}) });
    cores.push(core);
    return core;
  };
  const login = async (core: Core, businessId: string) => {
    const conn: TestConnection = connect();
    await call(core, conn, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    return conn;
  };
  const close = (core: Core) => {
    core.close();
    cores.splice(cores.indexOf(core), 1);
  };

  it('gets back the changes it had pushed after the copy was taken; digests equal the other PC', async () => {
    const dirA = tempDir('recurra-restore-a-');
    let a = open(dirA);
    const made = await signUp(a, { timezone: 'UTC' });
    const businessId = made.businessId;
    let ca: TestConnection = made.conn as TestConnection;
    await call(a, ca, 'customers.create', { name: 'Before', email: 'before@example.com' });
    await call(a, ca, 'sync.connect', { server: server.url, inviteCode: (await createInvite(server.storage.db, new Date())).code, deviceName: 'A' });
    const b = open(tempDir('recurra-restore-b-'));
    const cb: TestConnection = connect();
    await call(b, cb, 'sync.join', { server: server.url, code: (await call(a, ca, 'sync.pair', {})).code, deviceName: 'B' });
    await call(b, cb, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });

    // The copy (the app closed, the file copied), then more work on A, synced.
    const file = path.join(dirA, 'businesses', `${businessId}.sqlite`);
    close(a);
    const copy = path.join(tempDir('recurra-restore-copy-'), 'copy.sqlite');
    fs.copyFileSync(file, copy);
    a = open(dirA);
    ca = await login(a, businessId);
    const after = await call(a, ca, 'customers.create', { name: 'After', email: 'after@example.com' });
    await call(a, ca, 'customers.update', { id: after.id, notes: 'pushed after the copy' });
    await call(a, ca, 'sync.now', {});
    await call(b, cb, 'sync.now', {});
    expect((await call(b, cb, 'customers.get', { id: after.id })).customer.notes).toBe('pushed after the copy');

    // The copy goes back in place (the app closed); the token is still in the secret store.
    close(a);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    fs.copyFileSync(copy, file);
    a = open(dirA);
    ca = await login(a, businessId);
    expect(a.businesses.get(businessId).sqlite.prepare('SELECT count(*) FROM customers WHERE id = ?').pluck().get(after.id)).toBe(0);
    // Offline edits made on the old copy are kept too.
    await call(a, ca, 'customers.create', { name: 'On the copy', email: 'copy@example.com' });

    const result = await call(a, ca, 'sync.now', {});
    expect(result.pulled).toBeGreaterThan(0);
    expect((await call(a, ca, 'customers.get', { id: after.id })).customer.notes).toBe('pushed after the copy');
    await call(b, cb, 'sync.now', {});
    await call(a, ca, 'sync.now', {});
    expect(await call(a, ca, 'sync.digest', {})).toEqual(await call(b, cb, 'sync.digest', {}));
    // Once recovered, the next sync does not pull everything again.
    expect((await call(a, ca, 'sync.now', {})).pulled).toBe(0);
  });

  it('a backup restored in the app is a new business, not connected: it never speaks as the original PC', async () => {
    const dir = tempDir('recurra-restore-app-');
    const a = open(dir);
    const made = await signUp(a, { timezone: 'UTC' });
    const ca = made.conn as TestConnection;
    await call(a, ca, 'customers.create', { name: 'Kept', email: 'kept@example.com' });
    await call(a, ca, 'sync.connect', { server: server.url, inviteCode: (await createInvite(server.storage.db, new Date())).code, deviceName: 'A' });
    await call(a, ca, 'customers.create', { name: 'Unpushed', email: 'unpushed@example.com' });
    const backup = await call(a, ca, 'backup.create', { passphrase: BACKUP_PASSPHRASE });
    const picked = { ...ca, imports: { open: async () => ({ path: backup.path!, name: path.basename(backup.path!) }) } };
    const restored = (await call(a, picked, 'backup.restore', { passphrase: BACKUP_PASSPHRASE })).business!;
    const copy = a.businesses.get(restored.id);
    const cc = await login(a, restored.id);
    expect(await call(a, cc, 'sync.status', {})).toMatchObject({ server: null, deviceId: null, pending: 0 });
    expect(copy.sqlite.prepare('SELECT count(*) FROM sync_changes').pluck().get()).toBe(0);
    await call(a, cc, 'customers.create', { name: 'On the copy', email: 'copy@example.com' });
    expect(copy.sqlite.prepare('SELECT count(*) FROM sync_changes').pluck().get()).toBe(0);
    expect(copy.sqlite.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(3);
    // The original syncs on as before.
    expect((await call(a, ca, 'sync.now', {})).pushed).toBeGreaterThan(0);
    expect((await call(a, ca, 'sync.status', {})).server).toBe(server.url);

    // A copy of the file made by hand beside it gets its own id when listed: not connected either.
    close(a);
    fs.copyFileSync(path.join(dir, 'businesses', `${made.businessId}.sqlite`), path.join(dir, 'businesses', 'by-hand.sqlite'));
    const again = open(dir);
    const byHand = (await call(again, connect(), 'business.list', {})).find((x) => x.name.endsWith('(copy)'))!;
    expect(byHand).toMatchObject({ syncServer: null });
    const ch = await login(again, byHand.id);
    expect(await call(again, ch, 'sync.status', {})).toMatchObject({ server: null, pending: 0 });
    expect((await call(again, connect(), 'business.list', {})).find((x) => x.id === made.businessId)).toMatchObject({ syncServer: server.url });
  });

  it('the server names the device\'s newest change only when asked, and own=1 includes the device\'s own changes', async () => {
    const { connectNewBusiness, makeChange } = await import('./support');
    const one = await connectNewBusiness(server);
    const status = async (query: string) => (await http(server, 'GET', `/sync/v1/status${query}`, { token: one.token })).body;
    expect((await status('?own=1')).ownNewest).toBeNull();
    await http(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: [makeChange(one.deviceId, 1), makeChange(one.deviceId, 2)] } });
    const [first, second] = [makeChange(one.deviceId, 1).id, makeChange(one.deviceId, 2).id];
    expect((await status('')).ownNewest).toBeUndefined();
    expect((await status('?own=1')).ownNewest).toBe(second);
    expect((await http(server, 'GET', '/sync/v1/pull?after=0', { token: one.token })).body.changes).toEqual([]);
    expect((await http(server, 'GET', '/sync/v1/pull?after=0&own=1', { token: one.token })).body.changes.map((c: { id: string }) => c.id)).toEqual([first, second]);
    expect((await http(server, 'GET', '/sync/v1/pull?after=0&own=yes', { token: one.token })).status).toBe(400);
  });
});
