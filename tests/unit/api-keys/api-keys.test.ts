import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, callError, connect, FakeClock, makeCore, signUp } from '../../support/core';
import { fingerprint } from '../../support/fingerprint';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('API keys', () => {
  it('creates a key shown once: rk_ and 43 base62 characters, stored only as the SHA-256 of the whole key', async () => {
    const { core } = makeCore();
    const { conn, businessId, session } = await signUp(core);
    const made = await call(core, conn, 'apiKeys.create', { name: '  Website  ', scope: 'read' });
    expect(made.key).toMatch(/^rk_[0-9A-Za-z]{43}$/);
    expect(made.apiKey).toMatchObject({
      name: 'Website',
      scope: 'read',
      keyPrefix: made.key.slice(3, 11),
      createdAt: '2026-03-01T12:00:00.000Z',
      createdBy: session.user.id,
      createdByName: 'Olivia Owner',
      revokedAt: null,
      lastUsedOn: null,
    });
    const db = core.businesses.get(businessId).sqlite;
    const row = db.prepare('SELECT * FROM api_keys WHERE id = ?').get(made.apiKey.id) as Record<string, unknown>;
    expect(row.key_hash).toBe(sha256(made.key));
    // The key is nowhere in the file: not in the row, the audit log or the sync log.
    const everything = JSON.stringify([
      db.prepare('SELECT * FROM api_keys').all(),
      db.prepare('SELECT * FROM audit_log').all(),
      db.prepare('SELECT * FROM sync_changes').all(),
    ]);
    expect(everything).not.toContain(made.key);
    const audit = db.prepare("SELECT * FROM audit_log WHERE action = 'apiKeys.create'").get() as { entity_id: string; after: string };
    expect(audit.entity_id).toBe(made.apiKey.id);
    expect(audit.after).not.toContain(row.key_hash as string);
    // Lists never carry the key or its hash.
    const listed = await call(core, conn, 'apiKeys.list', {});
    expect(listed).toEqual([made.apiKey]);
    expect(JSON.stringify(listed)).not.toContain(row.key_hash as string);
    // Two keys differ.
    const other = await call(core, conn, 'apiKeys.create', { name: 'Books', scope: 'write' });
    expect(other.key).not.toBe(made.key);
    core.close();
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const { core } = makeCore();
    const { conn, businessId } = await signUp(core);
    const db = core.businesses.get(businessId).sqlite;
    const before = fingerprint(db);
    const bad: [unknown, string][] = [
      [{ scope: 'read' }, 'name'],
      [{ name: '   ', scope: 'read' }, 'name'],
      [{ name: 'x'.repeat(81), scope: 'read' }, 'name'],
      [{ name: 'Tab\u0007', scope: 'read' }, 'name'],
      [{ name: 42, scope: 'read' }, 'name'],
      [{ name: 'Website' }, 'scope'],
      [{ name: 'Website', scope: 'admin' }, 'scope'],
      [{ name: 'Website', scope: 'read', keyHash: 'abc' }, ''],
    ];
    for (const [input, field] of bad) {
      const error = await callError(core, conn, 'apiKeys.create', input);
      expect(error.code).toBe('validation');
      if (field) expect(error.field).toBe(field);
    }
    expect((await callError(core, conn, 'apiKeys.create', { name: 'Website', scope: 'admin' })).message).toBe('Scope must be read or write');
    expect(fingerprint(db)).toBe(before);
    expect(db.prepare('SELECT count(*) AS n FROM api_keys').get()).toEqual({ n: 0 });
    expect((await call(core, conn, 'apiKeys.create', { name: 'x'.repeat(80), scope: 'write' })).apiKey.name).toHaveLength(80);
    core.close();
  });

  it('revokes: the key stays listed as revoked (after the keys in use), once; an unknown id is not found', async () => {
    const clock = new FakeClock();
    const { core } = makeCore({ clock });
    const { conn, businessId } = await signUp(core);
    const first = await call(core, conn, 'apiKeys.create', { name: 'Old site', scope: 'write' });
    clock.advance(60_000);
    const second = await call(core, conn, 'apiKeys.create', { name: 'New site', scope: 'read' });
    clock.advance(60_000);
    const revoked = await call(core, conn, 'apiKeys.revoke', { id: first.apiKey.id });
    expect(revoked).toMatchObject({ id: first.apiKey.id, name: 'Old site', revokedAt: '2026-03-01T12:02:00.000Z' });
    expect((await call(core, conn, 'apiKeys.list', {})).map((k) => [k.name, k.revokedAt !== null])).toEqual([
      ['New site', false],
      ['Old site', true],
    ]);
    const db = core.businesses.get(businessId).sqlite;
    const before = fingerprint(db);
    expect(await callError(core, conn, 'apiKeys.revoke', { id: first.apiKey.id })).toMatchObject({ code: 'conflict', field: 'id' });
    expect(await callError(core, conn, 'apiKeys.revoke', { id: 'nope' })).toMatchObject({ code: 'not_found', field: 'id' });
    expect(await callError(core, conn, 'apiKeys.revoke', {})).toMatchObject({ code: 'validation', field: 'id' });
    expect(fingerprint(db)).toBe(before);
    const audits = db.prepare("SELECT action, entity_id FROM audit_log WHERE entity = 'api_key' ORDER BY id").all();
    expect(audits).toEqual([
      { action: 'apiKeys.create', entity_id: first.apiKey.id },
      { action: 'apiKeys.create', entity_id: second.apiKey.id },
      { action: 'apiKeys.revoke', entity_id: first.apiKey.id },
    ]);
    core.close();
  });

  it('shows the last-used date the server synced back', async () => {
    const { core } = makeCore();
    const { conn, businessId } = await signUp(core);
    const made = await call(core, conn, 'apiKeys.create', { name: 'Website', scope: 'read' });
    core.businesses.get(businessId).sqlite.prepare("UPDATE api_keys SET last_used_on = '2026-02-28' WHERE id = ?").run(made.apiKey.id);
    expect((await call(core, conn, 'apiKeys.list', {}))[0]!.lastUsedOn).toBe('2026-02-28');
    core.close();
  });

  it('only owners manage keys', async () => {
    const { core } = makeCore();
    const { conn, businessId } = await signUp(core);
    const made = await call(core, conn, 'apiKeys.create', { name: 'Website', scope: 'read' });
    await call(core, conn, 'users.create', { name: 'Sam', email: 'staff@example.com', role: 'staff', password: 'password one' });
    const staff = connect();
    await call(core, staff, 'auth.login', { businessId, email: 'staff@example.com', password: 'password one' });
    expect(await callError(core, staff, 'apiKeys.list', {})).toMatchObject({ code: 'forbidden' });
    expect(await callError(core, staff, 'apiKeys.create', { name: 'Mine', scope: 'write' })).toMatchObject({ code: 'forbidden' });
    expect(await callError(core, staff, 'apiKeys.revoke', { id: made.apiKey.id })).toMatchObject({ code: 'forbidden' });
    core.close();
  });
});
