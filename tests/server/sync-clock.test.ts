import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STAMP_AHEAD_MS, stampMs } from '@shared/sync/server-wire';
import { createInvite } from '../../src-server/sync/store';
import { Core } from '../../src-main/core/core';
import { FileSecretStore } from '../../src-main/core/file-secret-store';
import { silentLogger, systemClock } from '../../src-main/core/ports';
import { pendingChanges } from '../../src-main/core/sync';
import { call, connect, MIGRATIONS_DIR, OWNER_PASSWORD, signUp, tempDir, type TestConnection } from '../support/core';
import { startTestServer, type TestServer } from './support';

// Spec: "never a change stamped in the future". A PC whose clock jumped a day
// ahead while it was offline stamped its edits a day ahead (the HLC reads the
// OS clock plus the last correction the server gave). The server refuses such
// stamps; the PC re-stamps its unpushed changes with the corrected clock before
// it pushes, so its sync is not refused forever, and the other PCs' later edits
// are not beaten by stamps from tomorrow.

const DAY = 24 * 3_600_000;

describe('a PC whose clock jumped a day ahead while offline', () => {
  let server: TestServer;
  const cores: Core[] = [];
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => {
    for (const core of cores) core.close();
    await server?.stop();
  });

  const newCore = () => {
    const dataDir = tempDir('recurra-clock-');
    const core = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, clock: systemClock, logger: silentLogger, secrets: new FileSecretStore(dataDir, () => {}) });
    cores.push(core);
    return core;
  };

  it('syncs without a refusal, its edits re-stamped in order; later edits elsewhere still win; digests equal', async () => {
    const a = newCore();
    const { conn: ca, businessId } = await signUp(a, { timezone: 'UTC' });
    const ann = await call(a, ca, 'customers.create', { name: 'Ann', email: 'ann@example.com' });
    await call(a, ca, 'sync.connect', { server: server.url, inviteCode: (await createInvite(server.storage.db, new Date())).code, deviceName: 'A' });
    const b = newCore();
    const cb: TestConnection = connect();
    await call(b, cb, 'sync.join', { server: server.url, code: (await call(a, ca, 'sync.pair', {})).code, deviceName: 'B' });
    await call(b, cb, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });

    // Offline, A's clock jumps a day ahead (the correction from the server's last answer stays as it was).
    const dbA = a.businesses.get(businessId);
    dbA.sqlite.prepare('UPDATE sync_clock SET offset_ms = offset_ms + ?').run(DAY);
    await call(a, ca, 'customers.update', { id: ann.id, notes: 'first on A' });
    await call(a, ca, 'customers.update', { id: ann.id, notes: 'then on A' });
    const zed = await call(a, ca, 'customers.create', { name: 'Zed', email: 'zed@example.com' });
    const ahead = pendingChanges(dbA, 100);
    expect(ahead.length).toBeGreaterThan(3);
    expect(Math.min(...ahead.map((c) => stampMs(c.hlc)))).toBeGreaterThan(Date.now() + DAY - 60_000);

    // The sync goes through (no refusal), and what reached the server is stamped near its time, in the same order.
    const synced = await call(a, ca, 'sync.now', {});
    expect(synced.pushed).toBe(ahead.length);
    const log = dbA.sqlite.prepare("SELECT hlc, fields FROM sync_changes WHERE remote = 0 AND tbl = 'customers' AND row_id = ? ORDER BY seq").all(ann.id) as { hlc: string; fields: string }[];
    for (const c of log) expect(stampMs(c.hlc)).toBeLessThanOrEqual(Date.now() + MAX_STAMP_AHEAD_MS);
    const stamps = log.map((c) => c.hlc);
    expect([...stamps].sort()).toEqual(stamps);

    await call(b, cb, 'sync.now', {});
    const annOnB = () => call(b, cb, 'customers.get', { id: ann.id });
    expect((await annOnB()).customer.notes).toBe('then on A');
    expect((await call(b, cb, 'customers.get', { id: zed.id })).customer.name).toBe('Zed');

    // B edits after that: B's edit wins on both (a stamp from tomorrow would have beaten it for a day).
    await call(b, cb, 'customers.update', { id: ann.id, notes: 'later on B' });
    await call(b, cb, 'sync.now', {});
    await call(a, ca, 'sync.now', {});
    expect((await call(a, ca, 'customers.get', { id: ann.id })).customer.notes).toBe('later on B');

    // A's next edit stamps at the corrected time again, after what it has seen.
    await call(a, ca, 'customers.update', { id: ann.id, notes: 'A again' });
    const next = pendingChanges(dbA, 10);
    expect(Math.max(...next.map((c) => stampMs(c.hlc)))).toBeLessThanOrEqual(Date.now() + MAX_STAMP_AHEAD_MS);
    await call(a, ca, 'sync.now', {});
    await call(b, cb, 'sync.now', {});
    await call(a, ca, 'sync.now', {});
    expect((await annOnB()).customer.notes).toBe('A again');
    expect(await call(b, cb, 'sync.digest', {})).toEqual(await call(a, ca, 'sync.digest', {}));
  });
});
