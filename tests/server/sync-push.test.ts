import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../src-server/sync/store';
import { Core } from '../../src-main/core/core';
import { silentLogger, systemClock } from '../../src-main/core/ports';
import { pendingCount } from '../../src-main/core/sync';
import type { FetchLike } from '../../src-main/core/sync-client/http';
import { tokenAccount } from '../../src-main/core/sync-client/sync-client';
import { MAX_PUSH_CHANGES } from '@shared/sync/server-wire';
import { call, callError, MIGRATIONS_DIR, signUp, tempDir } from '../support/core';
import { call as http, connectNewBusiness, joinDevice, makeChange, pullAll, startTestServer, storageKinds, type TestServer } from './support';

// The push path at volume: the server's insert (built from each change's
// fields serialized once) keeps every field exactly and counts what it
// stored, and a pull sets the puller's last sync; the PC's push loop, which reads
// the next batch while the server stores one and marks a batch after sending
// the next, still pushes in the log's order and loses nothing when an answer
// is lost midway.

describe.each(storageKinds)('a push on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('stores every field as pushed, numbers the new changes without gaps, and counts them and their bytes', async () => {
    const one = await connectNewBusiness(server);
    const two = await joinDevice(server, one.token);
    const awkward = [
      { name: 'Quote " and backslash \\ and slash /', note: 'line\nbreak\ttab\r', emoji: 'Zoë 🧘 ✓', empty: '' },
      { nested: { a: [1, 2, { b: null }], c: true }, big: 9007199254740991, negative: -12, float: 0.5 },
      { unicode: '\u2028\u2029 and \u00e9', id: 'x', nothing: null },
    ];
    const batch = awkward.map((fields, i) => makeChange(one.deviceId, i + 1, fields));
    const first = await http(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: batch } });
    expect(first.body).toMatchObject({ accepted: 3, duplicates: 0, lastSeq: 3 });
    // A retry with one new change: only it is stored, with the next seq.
    const retry = await http(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: [...batch, makeChange(one.deviceId, 4)] } });
    expect(retry.body).toMatchObject({ accepted: 1, duplicates: 3, lastSeq: 4 });

    const { changes } = await pullAll(server, two.token);
    expect(changes.map((c) => c.seq)).toEqual([1, 2, 3, 4]);
    expect(changes.slice(0, 3).map((c) => c.fields)).toEqual(awkward);
    expect(changes.map((c) => c.id)).toEqual([...batch.map((c) => c.id), makeChange(one.deviceId, 4).id]);

    const sizes = [...batch, makeChange(one.deviceId, 4)].map(
      (c) => Buffer.byteLength(JSON.stringify(c.fields)) + c.id.length + c.rowId.length + c.hlc.length + c.table.length,
    );
    const rows = await server.storage.db.execute(sql`
      select b.last_seq, b.change_count, b.change_bytes, d.last_sync_at
      from businesses b join devices d on d.business_id = b.id where b.id = ${one.businessId} and d.id = ${one.deviceId}`);
    const [row] = (rows as unknown as { rows: Record<string, unknown>[] }).rows;
    expect({ lastSeq: Number(row!.last_seq), count: Number(row!.change_count), bytes: Number(row!.change_bytes) }).toEqual({
      lastSeq: 4,
      count: 4,
      bytes: sizes.reduce((a, b) => a + b, 0),
    });
    expect(row!.last_sync_at).not.toBeNull();
    // The pull set the puller's last sync (in the statement that read its page).
    const puller = await server.storage.db.execute(sql`select last_sync_at from devices where id = ${two.deviceId}`);
    expect((puller as unknown as { rows: { last_sync_at: unknown }[] }).rows[0]!.last_sync_at).not.toBeNull();
  });
});

/** Node's fetch, losing the answer of the push `failPush` names (the server has stored it). */
class Network {
  pushes = 0;
  failPush: number | null = null;
  readonly fetch: FetchLike = async (input, init) => {
    const isPush = new URL(input).pathname.endsWith('/push');
    const nth = isPush ? ++this.pushes : 0;
    const response = await fetch(input, init);
    if (isPush && nth === this.failPush) {
      await response.text();
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    }
    return response;
  };
}

describe('the PC push loop over many batches', () => {
  let server: TestServer;
  let core: Core;
  const net = new Network();
  beforeAll(async () => {
    server = await startTestServer('pglite');
    core = new Core({ paths: { dataDir: tempDir('recurra-pc-'), migrationsDir: MIGRATIONS_DIR }, clock: systemClock, logger: silentLogger, fetch: net.fetch });
  });
  afterAll(async () => {
    core?.close();
    await server?.stop();
  });

  it('pushes in the order of the log, and after a lost answer midway pushes the rest once', async () => {
    const { conn, businessId } = await signUp(core);
    const code = (await createInvite(server.storage.db, server.clock.now())).code;
    await call(core, conn, 'sync.connect', { server: server.url, inviteCode: code, deviceName: 'Desk' });
    const db = core.businesses.get(businessId);
    const total = 2 * MAX_PUSH_CHANGES + 500;
    const insert = db.sqlite.prepare(
      'INSERT INTO customers (id, name, email, email_normalized, payment_method, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const at = new Date().toISOString();
    db.sqlite.transaction(() => {
      for (let i = 0; i < total; i++) insert.run(`bulk-${String(i).padStart(5, '0')}`, `Bulk ${i}`, `bulk${i}@example.com`, `bulk${i}@example.com`, 'manual', at, at);
    })();
    expect(pendingCount(db)).toBe(total);
    const logOrder = db.sqlite.prepare('SELECT id FROM sync_changes WHERE pushed = 0 ORDER BY seq').pluck().all() as string[];

    // The second push's answer is lost: the first batch is marked, the second (stored on the server) is not, the third never went.
    net.pushes = 0;
    net.failPush = 2;
    const error = await callError(core, conn, 'sync.now', {});
    expect(error.message).toContain('Cannot reach the sync server');
    expect(net.pushes).toBe(2);
    expect(pendingCount(db)).toBe(total - MAX_PUSH_CHANGES);

    net.failPush = null;
    const synced = await call(core, conn, 'sync.now', {});
    expect(synced.pushed).toBe(total - MAX_PUSH_CHANGES);
    expect(pendingCount(db)).toBe(0);

    // Another device of the business sees every change once, in the order of the PC's log.
    const token = await core.secrets.get(tokenAccount(businessId));
    const other = await joinDevice(server, token!);
    const { changes } = await pullAll(server, other.token, 0, 1000);
    const bulk = changes.filter((c) => c.rowId.startsWith('bulk-')).map((c) => c.id);
    expect(bulk).toEqual(logOrder);
    expect(new Set(changes.map((c) => c.id)).size).toBe(changes.length);
  });
});
