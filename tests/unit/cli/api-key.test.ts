import { createHash } from 'node:crypto';
import { openBusinessFile } from '../../support/core';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorJson, withBusiness } from './run-cli';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('recurra api-key', () => {
  it('create prints the key once (--json: {id, name, scope, key, keyPrefix, createdAt}); the file holds its SHA-256 only', async () => {
    const { cli, asOwner, dataDir, businessId } = await withBusiness();
    const run = await cli(['api-key', 'create', '--name', 'Website', '--scope', 'read', '--json'], asOwner);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const made = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.keys(made).sort()).toEqual(['createdAt', 'id', 'key', 'keyPrefix', 'name', 'scope']);
    expect(made).toMatchObject({ name: 'Website', scope: 'read', key: expect.stringMatching(/^rk_[0-9A-Za-z]{43}$/) });
    expect(made.keyPrefix).toBe(made.key!.slice(3, 11));
    const db = openBusinessFile(path.join(dataDir, 'businesses', `${businessId}.sqlite`), { readonly: true });
    expect(db.prepare('SELECT key_hash FROM api_keys').all()).toEqual([{ key_hash: sha256(made.key!) }]);
    db.close();

    // For people: the key on its own line, and the warning.
    const human = await cli(['api-key', 'create', '--name', 'Books', '--scope', 'write'], asOwner);
    expect(human.code).toBe(0);
    const key = /^(rk_[0-9A-Za-z]{43})$/m.exec(human.stdout)?.[1];
    expect(key).toBeDefined();
    expect(human.stdout).toContain('it will not be shown again');
    expect(human.stdout).toContain('next sync');

    // The list never shows a key or a hash.
    const list = await cli(['api-key', 'list', '--json'], asOwner);
    const listed = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(listed.map((k) => k.name)).toEqual(['Books', 'Website']);
    expect(list.stdout).not.toContain(made.key!.slice(11));
    expect(list.stdout).not.toContain(sha256(made.key!));
    expect(list.stdout).not.toContain(key!.slice(11));
    expect(Object.keys(listed[0]!)).not.toContain('keyHash');
  });

  it('lists for people with "never" for unused keys, and revokes: the key stays listed as revoked', async () => {
    const { cli, asOwner } = await withBusiness();
    const made = JSON.parse((await cli(['api-key', 'create', '--name', 'Website', '--scope', 'write', '--json'], asOwner)).stdout) as { id: string; keyPrefix: string };
    const table = await cli(['api-key', 'list'], asOwner);
    expect(table.stdout).toMatch(/^ID +Name +Scope +Key +Created +Last used +Status$/m);
    expect(table.stdout).toMatch(new RegExp(`Website +write +rk_${made.keyPrefix}… +\\d{4}-\\d\\d-\\d\\d +never +active`));
    const revoked = await cli(['api-key', 'revoke', made.id, '--json'], asOwner);
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ apiKey: { id: made.id, revokedAt: expect.any(String) } });
    expect((await cli(['api-key', 'list'], asOwner)).stdout).toMatch(/never +revoked \d{4}-\d\d-\d\d/);
    const again = await cli(['api-key', 'revoke', made.id, '--json'], asOwner);
    expect(again.code).toBe(1);
    expect(errorJson(again)).toMatchObject({ error: { code: 'conflict', field: 'id' } });
    const missing = await cli(['api-key', 'revoke', 'nope'], asOwner);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(/api key nope/);
  });

  it('refuses a bad name or scope naming the flag (exit 1), a missing flag (exit 2), and staff (exit 3)', async () => {
    const { cli, asOwner } = await withBusiness();
    const badScope = await cli(['api-key', 'create', '--name', 'Website', '--scope', 'admin', '--json'], asOwner);
    expect(badScope.code).toBe(1);
    expect(errorJson(badScope)).toEqual({ error: { code: 'validation', field: 'scope', message: 'Scope must be read or write' } });
    expect((await cli(['api-key', 'create', '--name', 'Website', '--scope', 'admin'], asOwner)).stderr).toBe('Error: --scope: Scope must be read or write\n');
    const longName = await cli(['api-key', 'create', '--name', 'x'.repeat(81), '--scope', 'read', '--json'], asOwner);
    expect(errorJson(longName)).toMatchObject({ error: { code: 'validation', field: 'name' } });
    expect((await cli(['api-key', 'create', '--scope', 'read'], asOwner)).code).toBe(2);
    expect(JSON.parse((await cli(['api-key', 'list', '--json'], asOwner)).stdout)).toEqual([]);

    await cli(['user', 'create', '--name', 'Sam', '--email', 'sam@example.com', '--role', 'staff'], { ...asOwner, RECURRA_NEW_PASSWORD: 'staff password' });
    const asSam = { ...asOwner, RECURRA_USER: 'sam@example.com', RECURRA_PASSWORD: 'staff password' };
    expect((await cli(['api-key', 'create', '--name', 'Mine', '--scope', 'write'], asSam)).code).toBe(3);
    expect((await cli(['api-key', 'list'], asSam)).code).toBe(3);
  });
});
