import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite, PUSH_ORDER_WAIT_MS } from '../../src-server/sync/store';
import { Core } from '../../src-main/core/core';
import { silentLogger, systemClock } from '../../src-main/core/ports';
import { pendingCount } from '../../src-main/core/sync';
import type { FetchLike } from '../../src-main/core/sync-client/http';
import { PUSH_BATCH_BYTES, tokenAccount } from '../../src-main/core/sync-client/sync-client';
import { LEGACY_MAX_PUSH_CHANGES, MAX_PUSH_BYTES, MAX_PUSH_CHANGES, pushRequest } from '@shared/sync/server-wire';
import { parse, parsePush } from '../../src-server/sync/routes';
import { call, callError, MIGRATIONS_DIR, signUp, tempDir } from '../support/core';
import { call as http, connectNewBusiness, joinDevice, makeChange, pullAll, startTestServer, storageKinds, type TestServer } from './support';

// The push path at volume: the server's insert (built from each change's
// fields serialized once) keeps every field exactly and counts what it
// stored, and a pull sets the puller's last sync; the PC's push loop, which reads
// the next batch while the server stores one and marks a batch after sending
// the next, still pushes in the log's order and loses nothing when an answer
// is lost midway.

describe("the server's hand check of a push body", () => {
  /** zod's answer: the changes, or the refusal's status and field. */
  const viaZod = (body: unknown) => {
    try {
      return parse(pushRequest, body);
    } catch (error) {
      return { error: { status: (error as { status: number }).status, param: (error as { param?: string }).param } };
    }
  };
  const viaHand = (body: unknown) => {
    try {
      return parsePush(body);
    } catch (error) {
      return { error: { status: (error as { status: number }).status, param: (error as { param?: string }).param } };
    }
  };
  const good = { id: 'a', hlc: '1700000000000-000000000-dev', table: 'customers', rowId: 'c1', op: 'upsert', fields: { name: 'A', n: 1, nested: { x: [1] } } };

  it('accepts what zod accepts, with the same values, and refuses what it refuses, naming the same field', () => {
    const variants: unknown[] = [
      { changes: [] },
      { changes: [good] },
      { changes: [good, { ...good, id: 'b', op: 'delete', fields: undefined }] },
      { changes: [{ ...good, extra: 'dropped' }] },
      { changes: [{ ...good, id: 'x'.repeat(200), rowId: 'r'.repeat(200), hlc: `1700000000000${'-'.repeat(87)}` }] },
      { changes: [{ ...good, fields: {} }] },
      { changes: [{ ...good, table: '_t9' }] },
      null,
      [],
      'text',
      {},
      { changes: {} },
      { changes: [null] },
      { changes: [[good]] },
      { changes: [good, 'x'] },
      { changes: [{ ...good, id: '' }] },
      { changes: [{ ...good, id: 'x'.repeat(201) }] },
      { changes: [{ ...good, id: 7 }] },
      { changes: [{ ...good, hlc: '170000000000' }] },
      { changes: [{ ...good, hlc: `1700000000000${'-'.repeat(88)}` }] },
      { changes: [{ ...good, hlc: 'x1700000000000' }] },
      { changes: [{ ...good, table: 'Customers' }] },
      { changes: [{ ...good, table: `t${'a'.repeat(63)}` }] },
      { changes: [{ ...good, table: '9t' }] },
      { changes: [{ ...good, rowId: '' }] },
      { changes: [{ ...good, rowId: null }] },
      { changes: [{ ...good, op: 'insert' }] },
      { changes: [{ ...good, fields: null }] },
      { changes: [{ ...good, fields: [1] }] },
      { changes: [{ ...good, fields: 'x' }] },
      { changes: [good, { ...good, id: 'b', table: 'BAD' }] },
      { changes: [good, { ...good, id: 'b', table: 'BAD' }, { ...good, id: 'c', op: 'nope' }] },
      { after: 'a', changes: [good] },
      { after: 'x'.repeat(200), changes: [] },
      { after: '', changes: [good] },
      { after: 'x'.repeat(201), changes: [good] },
      { after: 3, changes: [good] },
      { after: null, changes: [good] },
    ];
    for (const body of variants) expect(viaHand(body), JSON.stringify(body)).toEqual(viaZod(body));
    expect(viaHand({ changes: [{ ...good, table: 'BAD' }] })).toEqual({ error: { status: 400, param: 'changes.0.table' } });
  });
});

describe.each(storageKinds)('a push on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses a push whose `after` the business does not have (nothing stored), takes it once it has, and says it checks", async () => {
    const one = await connectNewBusiness(server);
    const other = await connectNewBusiness(server);
    const first = makeChange(one.deviceId, 1);
    const second = makeChange(one.deviceId, 2);
    const early = await http(server, 'POST', '/sync/v1/push', { token: one.token, body: { after: first.id, changes: [second] } });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'push_out_of_order', param: 'after' });
    // Another business's change does not count.
    const elsewhere = await http(server, 'POST', '/sync/v1/push', { token: other.token, body: { changes: [makeChange(other.deviceId, 1)] } });
    expect(elsewhere.status).toBe(200);
    const foreign = await http(server, 'POST', '/sync/v1/push', { token: one.token, body: { after: makeChange(other.deviceId, 1).id, changes: [second] } });
    expect(foreign.body.error).toMatchObject({ code: 'push_out_of_order' });
    const stored = await http(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: [first] } });
    expect(stored.body).toMatchObject({ accepted: 1, lastSeq: 1, ordered: true });
    const then = await http(server, 'POST', '/sync/v1/push', { token: one.token, body: { after: first.id, changes: [second] } });
    expect(then.body).toMatchObject({ accepted: 1, lastSeq: 2, ordered: true });
    const bad = await http(server, 'POST', '/sync/v1/push', { token: one.token, body: { after: '', changes: [second] } });
    expect(bad.body.error).toMatchObject({ code: 'invalid_field', param: 'after' });
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

/**
 * Node's fetch, losing the answer of the push `failPush` names (the server has stored it); with
 * `legacy`, refusing pushes of more than 1,000 changes as servers before the limit's rise did.
 */
class Network {
  pushes = 0;
  failPush: number | null = null;
  legacy = false;
  /** Changes per push the server was sent (refused ones too). */
  sizes: number[] = [];
  bytes: number[] = [];
  /** The nth push waits this long before it goes out (so the push after it overtakes it). */
  delayPush: { nth: number; ms: number } | null = null;
  /** The server's answer code of each push (`ok` or the error code), in the order they came back. */
  answers: string[] = [];
  readonly fetch: FetchLike = async (input, init) => {
    const isPush = new URL(input).pathname.endsWith('/push');
    const nth = isPush ? ++this.pushes : 0;
    if (isPush && this.delayPush?.nth === nth) await new Promise((resolve) => setTimeout(resolve, this.delayPush!.ms));
    if (isPush) {
      const count = (JSON.parse(String(init.body)) as { changes: unknown[] }).changes.length;
      this.sizes.push(count);
      this.bytes.push(Buffer.byteLength(String(init.body)));
      if (this.legacy && count > LEGACY_MAX_PUSH_CHANGES) {
        const message = `A push carries at most ${LEGACY_MAX_PUSH_CHANGES} changes; this one has ${count}. Send them in batches.`;
        return new Response(JSON.stringify({ error: { type: 'invalid_request', code: 'too_many_changes', message, param: 'changes' } }), { status: 413 });
      }
    }
    const response = await fetch(input, init);
    if (isPush) {
      const answer = (await response.clone().json()) as { error?: { code: string } };
      this.answers.push(answer.error?.code ?? 'ok');
      // Sent again once the push before it is in: counted once.
      if (answer.error?.code === 'push_out_of_order') {
        this.sizes.pop();
        this.bytes.pop();
      }
    }
    if (isPush && nth === this.failPush) {
      await response.text();
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    }
    return response;
  };
}

/** Changes per push in this test (the default fills 1 MB: thousands). */
const BATCH = 1000;

/** `count` new customers in one transaction: as many log rows. */
function addCustomers(db: ReturnType<Core['businesses']['get']>, count: number, prefix = 'bulk') {
  const insert = db.sqlite.prepare('INSERT INTO customers (id, name, email, email_normalized, payment_method, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const at = new Date().toISOString();
  db.sqlite.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`${prefix}-${String(i).padStart(5, '0')}`, `Bulk ${i}`, `${prefix}${i}@example.com`, `${prefix}${i}@example.com`, 'manual', at, at);
  })();
}

describe('the PC push loop over many batches', () => {
  let server: TestServer;
  let core: Core;
  const net = new Network();
  beforeAll(async () => {
    server = await startTestServer('pglite');
    core = new Core({
      paths: { dataDir: tempDir('recurra-pc-'), migrationsDir: MIGRATIONS_DIR },
      clock: systemClock,
      logger: silentLogger,
      fetch: net.fetch,
      syncPushBatchSize: BATCH,
    });
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
    const total = 2 * BATCH + 500;
    addCustomers(db, total);
    expect(pendingCount(db)).toBe(total);
    const logOrder = db.sqlite.prepare('SELECT id FROM sync_changes WHERE pushed = 0 ORDER BY seq').pluck().all() as string[];

    // The second push's answer is lost: the first batch is marked, the second (stored on the server) is not; the
    // third went beside it (two in flight after the first answer said the server checks the order) and is not marked either.
    net.pushes = 0;
    net.failPush = 2;
    const error = await callError(core, conn, 'sync.now', {});
    expect(error.message).toContain('Cannot reach the sync server');
    expect(net.pushes).toBe(3);
    expect(pendingCount(db)).toBe(total - BATCH);

    net.failPush = null;
    const synced = await call(core, conn, 'sync.now', {});
    expect(synced.pushed).toBe(total - BATCH);
    expect(pendingCount(db)).toBe(0);

    // Another device of the business sees every change once, in the order of the PC's log.
    const token = await core.secrets.get(tokenAccount(businessId));
    const other = await joinDevice(server, token!);
    const { changes } = await pullAll(server, other.token, 0, 1000);
    const bulk = changes.filter((c) => c.rowId.startsWith('bulk-')).map((c) => c.id);
    expect(bulk).toEqual(logOrder);
    expect(new Set(changes.map((c) => c.id)).size).toBe(changes.length);

    // The progress of an upload of more than one push: after each push, of how many, ending finished.
    addCustomers(db, 2 * BATCH + 10, 'more');
    conn.events.length = 0;
    await call(core, conn, 'sync.now', {});
    const progress = conn.events.filter((e) => e.event === 'sync-progress').map((e) => e.payload as { phase: string; uploaded: number; total: number });
    expect(progress.map((p) => [p.phase, p.uploaded, p.total])).toEqual([
      ['uploading', BATCH, 2 * BATCH + 10],
      ['uploading', 2 * BATCH, 2 * BATCH + 10],
      ['uploading', 2 * BATCH + 10, 2 * BATCH + 10],
      ['finished', 2 * BATCH + 10, 2 * BATCH + 10],
    ]);
    // A sync of one push says nothing.
    addCustomers(db, 5, 'few');
    conn.events.length = 0;
    await call(core, conn, 'sync.now', {});
    expect(conn.events.filter((e) => e.event === 'sync-progress')).toEqual([]);
  });

  it('with two pushes in flight, one that overtakes the push before it is refused and sent again: the server stores the log in its order', async () => {
    const { conn, businessId } = await signUp(core);
    const code = (await createInvite(server.storage.db, server.clock.now())).code;
    await call(core, conn, 'sync.connect', { server: server.url, inviteCode: code, deviceName: 'Desk' });
    const db = core.businesses.get(businessId);
    const total = 4 * BATCH + 200;
    addCustomers(db, total, 'over');
    const logOrder = db.sqlite.prepare('SELECT id FROM sync_changes WHERE pushed = 0 ORDER BY seq').pluck().all() as string[];
    // Push 1 alone (its answer says the server checks the order), then 2 and 3 in flight together: 2 is held
    // back so long that 3, which arrives first, waits for it in vain on the server (PUSH_ORDER_WAIT_MS).
    net.pushes = 0;
    net.answers = [];
    net.sizes = [];
    net.delayPush = { nth: 2, ms: PUSH_ORDER_WAIT_MS + 500 };
    try {
      const synced = await call(core, conn, 'sync.now', {});
      expect(synced.pushed).toBe(total);
    } finally {
      net.delayPush = null;
    }
    expect(net.answers).toContain('push_out_of_order');
    expect(net.answers.filter((a) => a === 'ok')).toHaveLength(5);
    expect(net.sizes.reduce((a, b) => a + b, 0)).toBe(total);
    expect(pendingCount(db)).toBe(0);
    const token = await core.secrets.get(tokenAccount(businessId));
    const other = await joinDevice(server, token!);
    const { changes } = await pullAll(server, other.token, 0, 1000);
    expect(changes.filter((c) => c.rowId.startsWith('over-')).map((c) => c.id)).toEqual(logOrder);
    expect(new Set(changes.map((c) => c.id)).size).toBe(changes.length);
  });
});

describe('batches sized by bytes, and a server that takes 1,000 changes per push', () => {
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

  it('fills a push to about 1 MB; an older server refuses more than 1,000 and gets batches of 1,000 from then on', async () => {
    const { conn, businessId } = await signUp(core);
    const code = (await createInvite(server.storage.db, server.clock.now())).code;
    await call(core, conn, 'sync.connect', { server: server.url, inviteCode: code, deviceName: 'Desk' });
    const db = core.businesses.get(businessId);
    // Rows of about 450 bytes: 1 MB holds about 2,300 of them, more than 1,000 and fewer than MAX_PUSH_CHANGES.
    const note = 'n'.repeat(100);
    const insert = db.sqlite.prepare(
      'INSERT INTO customers (id, name, email, email_normalized, payment_method, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const at = new Date().toISOString();
    db.sqlite.transaction(() => {
      for (let i = 0; i < 6000; i++) insert.run(`wide-${i}`, `Wide ${i}`, `wide${i}@example.com`, `wide${i}@example.com`, 'manual', note, at, at);
    })();
    net.sizes = [];
    net.bytes = [];
    expect((await call(core, conn, 'sync.now', {})).pushed).toBe(6000);
    // Each push but the last is full: the next change would not have fitted 1 MB.
    expect(net.sizes.reduce((a, b) => a + b, 0)).toBe(6000);
    for (const size of net.sizes.slice(0, -1)) expect(size).toBeGreaterThan(LEGACY_MAX_PUSH_CHANGES);
    for (const size of net.sizes) expect(size).toBeLessThan(MAX_PUSH_CHANGES);
    for (const bytes of net.bytes) expect(bytes).toBeLessThanOrEqual(PUSH_BATCH_BYTES);
    expect(net.bytes[0]).toBeGreaterThan(PUSH_BATCH_BYTES - 2000);
    expect(PUSH_BATCH_BYTES).toBeLessThanOrEqual(MAX_PUSH_BYTES);

    net.legacy = true;
    net.sizes = [];
    addCustomers(db, 2500, 'old');
    expect((await call(core, conn, 'sync.now', {})).pushed).toBe(2500);
    // The refused push was a full one (more than 1,000 changes); then 1,000 at a time.
    expect(net.sizes[0]).toBeGreaterThan(LEGACY_MAX_PUSH_CHANGES);
    expect(net.sizes.slice(1)).toEqual([1000, 1000, 500]);
    expect(pendingCount(db)).toBe(0);
    const token = await core.secrets.get(tokenAccount(businessId));
    const other = await joinDevice(server, token!);
    const { changes } = await pullAll(server, other.token, 0, 1000);
    expect(changes.filter((c) => c.rowId.startsWith('old-'))).toHaveLength(2500);
  });
});
