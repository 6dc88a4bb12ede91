import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSuspended } from '../../src-server/admin/store';
import { createInvite } from '../../src-server/sync/store';
import { FileSecretStore } from '../../src-main/core/file-secret-store';
import { normalizeServerUrl, SyncHttpClient, SyncRemoteError } from '../../src-main/core/sync-client/http';
import { enableSync, markPushedBatch, pendingChanges, readPushBatch } from '../../src-main/core/sync';
import { MAX_PUSH_BYTES, MAX_PUSH_CHANGES, pushRequest } from '@shared/sync/server-wire';
import { makeCore, signUp } from '../support/core';
import { makeChange, startTestServer, type TestServer } from './support';

// The PC's HTTP client against the real server (PGlite, in this process, on
// 127.0.0.1): every route, and every refusal mapped to a clear error that
// names the server's code.

async function refusal(promise: Promise<unknown>): Promise<SyncRemoteError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SyncRemoteError);
  return error as SyncRemoteError;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe('the sync client over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('enrols, pairs, joins, pushes, pulls, takes the billing PC and disconnects, parsing every answer', async () => {
    const invite = await createInvite(server.storage.db, server.clock.now());
    const anonymous = new SyncHttpClient(server.url);
    const one = await anonymous.connect({ inviteCode: invite.code, businessId: 'client-biz-1', businessName: 'Client Co', deviceName: 'Desk' });
    expect(one).toMatchObject({ businessId: 'client-biz-1', billingDevice: { id: one.deviceId, name: 'Desk' } });
    const a = new SyncHttpClient(server.url, one.token);
    const code = await a.pair();
    const two = await anonymous.join({ code: code.code.toLowerCase(), deviceName: 'Laptop' });
    const b = new SyncHttpClient(server.url, two.token);

    const pushed = await a.push([makeChange(one.deviceId, 1), makeChange(one.deviceId, 2)]);
    expect(pushed).toMatchObject({ accepted: 2, duplicates: 0 });
    const page = await b.pull(0, 1);
    expect(page.changes).toHaveLength(1);
    expect(page.hasMore).toBe(true);
    const rest = await b.pull(page.next);
    expect(rest.changes.map((c) => c.rowId)).toEqual(['c2']);
    expect(rest.hasMore).toBe(false);

    const ahead = await refusal(b.pull(rest.next + 10));
    expect(ahead.serverCode).toBe('cursor_ahead');
    expect(ahead.code).toBe('conflict');

    expect((await b.takeBillingDevice()).billingDevice).toEqual({ id: two.deviceId, name: 'Laptop' });
    expect((await a.status()).billingDevice).toEqual({ id: two.deviceId, name: 'Laptop' });

    expect(await b.disconnect()).toEqual({ disconnected: true });
    const revoked = await refusal(b.status());
    expect(revoked).toMatchObject({ code: 'forbidden', serverCode: 'device_revoked', status: 403 });
    expect(revoked.message).toMatch(/no longer accepts this PC: .+\(device_revoked\)$/);
  });

  it('says what is wrong with an invite or a code, naming the field and the server code', async () => {
    const anonymous = new SyncHttpClient(server.url);
    const wrong = await refusal(anonymous.connect({ inviteCode: 'AAAA-BBBB-CCCC-DDDD', businessId: 'client-biz-2', businessName: 'X', deviceName: 'D' }));
    expect(wrong).toMatchObject({ code: 'validation', field: 'inviteCode', serverCode: 'invalid_invite' });
    expect(wrong.message).toContain('(invalid_invite)');

    const invite = await createInvite(server.storage.db, server.clock.now());
    await anonymous.connect({ inviteCode: invite.code, businessId: 'client-biz-3', businessName: 'X', deviceName: 'D' });
    const used = await refusal(anonymous.connect({ inviteCode: invite.code, businessId: 'client-biz-4', businessName: 'X', deviceName: 'D' }));
    expect(used).toMatchObject({ code: 'conflict', serverCode: 'invite_used' });

    const badCode = await refusal(anonymous.join({ code: 'ZZZZ-ZZZZ-ZZZZ', deviceName: 'D' }));
    expect(badCode).toMatchObject({ code: 'validation', field: 'code', serverCode: 'invalid_pairing_code' });

    const noToken = await refusal(new SyncHttpClient(server.url, 'x'.repeat(43)).status());
    expect(noToken).toMatchObject({ code: 'unauthenticated', serverCode: 'unauthenticated' });
  });

  it('reports a suspended business as forbidden with the server message', async () => {
    const invite = await createInvite(server.storage.db, server.clock.now());
    const one = await new SyncHttpClient(server.url).connect({ inviteCode: invite.code, businessId: 'client-biz-5', businessName: 'S', deviceName: 'D' });
    await setSuspended(server.storage.db, 'client-biz-5', true, server.clock.now());
    const client = new SyncHttpClient(server.url, one.token);
    expect((await client.status()).suspended).toBe(true);
    const push = await refusal(client.push([makeChange(one.deviceId, 1)]));
    expect(push).toMatchObject({ code: 'forbidden', serverCode: 'business_suspended', status: 403 });
    expect(push.message).toContain('suspended');
  });

  it('says a server it cannot reach, and one that is not a sync server, plainly', async () => {
    const port = await closedPort();
    const down = await refusal(new SyncHttpClient(`http://127.0.0.1:${port}`).pair());
    expect(down).toMatchObject({ code: 'conflict', serverCode: 'unreachable', status: null, offline: true });
    expect(down.message).toContain(`Cannot reach the sync server at http://127.0.0.1:${port}`);
    expect(down.message).toContain('ECONNREFUSED');

    const notSync = await refusal(new SyncHttpClient(`${server.url}/elsewhere`).status());
    expect(notSync.status).toBe(404);
    expect(notSync.message).toMatch(/Recurra sync server/);
  });

  it('normalizes the server address and refuses what is not one', () => {
    expect(normalizeServerUrl(' https://sync.example.com/ ')).toBe('https://sync.example.com');
    expect(normalizeServerUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(() => normalizeServerUrl('sync.example.com')).toThrow(/address/);
    expect(() => normalizeServerUrl('ftp://sync.example.com')).toThrow(/https/);
    expect(() => normalizeServerUrl('https://u:p@sync.example.com')).toThrow(/credentials/);
  });

  it('cuts pushes at MAX_PUSH_CHANGES and 4 MB, the body made of the log as it is, and refuses one change over 4 MB', async () => {
    const { core } = makeCore();
    try {
      const { businessId } = await signUp(core);
      const db = core.businesses.get(businessId);
      enableSync(db, 'dev1');
      const insert = db.sqlite.prepare('INSERT INTO customers (id, name, email, email_normalized, payment_method, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      const add = (id: string, notes: string) => insert.run(id, `Name "${id}" \\ é`, `${id}@example.com`, `${id}@example.com`, 'manual', notes, 'x', 'x');
      db.sqlite.transaction(() => {
        for (let i = 0; i < MAX_PUSH_CHANGES + 500; i++) add(`small-${i}`, 'tab\tline\n');
      })();
      // By count (with room to spare in bytes), then by bytes.
      const batch = readPushBatch(db, 0, MAX_PUSH_CHANGES, 16 * MAX_PUSH_BYTES)!;
      expect(batch.ids).toHaveLength(MAX_PUSH_CHANGES);
      expect(batch.bytes).toBe(Buffer.byteLength(batch.body));
      // The body is what the server parses: the same changes pendingChanges reads, fields and all.
      const body = pushRequest.parse(JSON.parse(batch.body));
      expect(body.changes).toEqual(pendingChanges(db, MAX_PUSH_CHANGES));
      const rest = readPushBatch(db, batch.lastSeq, MAX_PUSH_CHANGES, 16 * MAX_PUSH_BYTES)!;
      expect(rest.ids).toHaveLength(500);
      expect(rest.firstSeq).toBeGreaterThan(batch.lastSeq);
      // Marked by its range: those are pushed, the rest still waits.
      markPushedBatch(db, batch);
      expect(pendingChanges(db, 10_000)).toHaveLength(500);
      markPushedBatch(db, rest);
      expect(pendingChanges(db, 10_000)).toHaveLength(0);

      db.sqlite.transaction(() => {
        for (let i = 0; i < 10; i++) add(`big-${i}`, 'x'.repeat(1024 * 1024));
      })();
      const big = readPushBatch(db, 0, MAX_PUSH_CHANGES, MAX_PUSH_BYTES)!;
      expect(big.ids).toHaveLength(3);
      expect(big.bytes).toBeLessThanOrEqual(MAX_PUSH_BYTES);
      markPushedBatch(db, big);
      expect(readPushBatch(db, 0, MAX_PUSH_CHANGES, MAX_PUSH_BYTES)!.ids).toHaveLength(3);
      // Filled to a smaller target, a change bigger than the target still goes, alone.
      expect(readPushBatch(db, 0, MAX_PUSH_CHANGES, MAX_PUSH_BYTES, 1024)!.ids).toHaveLength(1);
      db.sqlite.prepare('UPDATE sync_changes SET pushed = 1').run();
      add('huge', 'x'.repeat(MAX_PUSH_BYTES));
      expect(() => readPushBatch(db, 0, MAX_PUSH_CHANGES, MAX_PUSH_BYTES)).toThrow(/over the server's 4 MB limit/);
    } finally {
      core.close();
    }
  });
});

describe('the secret store without a keychain', () => {
  it('keeps secrets in a 0600 file in the data folder and warns once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-secrets-'));
    try {
      const warnings: string[] = [];
      const store = new FileSecretStore(dir, (m) => warnings.push(m));
      expect(await store.get('sync-token:a')).toBeNull();
      await store.set('sync-token:a', 'one');
      await store.set('sync-token:b', 'two');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(path.join(dir, 'secrets.json'));
      expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
      const again = new FileSecretStore(dir, () => {});
      expect(await again.get('sync-token:a')).toBe('one');
      expect(await again.delete('sync-token:a')).toBe(true);
      expect(await again.delete('sync-token:a')).toBe(false);
      expect(await store.get('sync-token:b')).toBe('two');
      expect(fs.readdirSync(dir)).toEqual(['secrets.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
