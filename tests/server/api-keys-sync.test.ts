import { createHash } from 'node:crypto';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changes } from '../../src-server/db/schema';
import { createInvite } from '../../src-server/sync/store';
import { tempDir, openBusinessFile } from '../support/core';
import { runIn } from '../unit/cli/run-cli';
import { startTestServer, storageKinds, type TestServer } from './support';

// API keys are a synced table (spec/server.md "REST API": keys "reach the
// server with the next sync"): the server receives `api_keys` rows with the
// key's SHA-256 and never the key; a revocation and a last-used date travel
// like any other field.

const OWNER = { email: 'olivia@example.com', password: 'correct horse battery' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function pc() {
  const dataDir = tempDir('recurra-pc-');
  const acting: { id?: string } = {};
  const ok = async <T>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> => {
    const run = await runIn(
      { RECURRA_DATA_DIR: dataDir, RECURRA_USER: OWNER.email, RECURRA_PASSWORD: OWNER.password, ...(acting.id ? { RECURRA_BUSINESS: acting.id } : {}), ...env },
      [...args, '--json'],
    );
    if (run.code !== 0) throw new Error(`${args.join(' ')} failed (${run.code}): ${run.stderr}`);
    return JSON.parse(run.stdout) as T;
  };
  return { dataDir, acting, ok };
}

describe.each(storageKinds)('API keys through the sync server on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reach the server as a hash, revocations and last-used dates travel between PCs', async () => {
    const a = pc();
    const created = await a.ok<{ business: { id: string } }>([
      'business', 'create', '--name', 'Sunrise Yoga', '--currency', 'USD', '--timezone', 'UTC', '--owner-name', 'Olivia Owner', '--owner-email', OWNER.email,
    ]);
    const businessId = created.business.id;
    a.acting.id = businessId;
    await a.ok(['sync', 'connect', '--server', server.url, '--invite', (await createInvite(server.storage.db, server.clock.now())).code]);
    const website = await a.ok<{ id: string; key: string }>(['api-key', 'create', '--name', 'Website', '--scope', 'read']);
    const books = await a.ok<{ id: string; key: string }>(['api-key', 'create', '--name', 'Books', '--scope', 'write']);
    await a.ok(['api-key', 'revoke', books.id]);
    await a.ok(['sync', 'now']);

    // On the server: the rows with the hash; the keys themselves nowhere.
    const onServer = await server.storage.db.select().from(changes).where(eq(changes.businessId, businessId));
    const keyChanges = onServer.filter((c) => c.tableName === 'api_keys');
    expect(keyChanges.find((c) => c.rowId === website.id)?.fields).toMatchObject({ name: 'Website', scope: 'read', key_hash: sha256(website.key), key_prefix: website.key.slice(3, 11), revoked_at: null, last_used_on: null });
    expect(keyChanges.filter((c) => c.rowId === books.id).some((c) => typeof c.fields.revoked_at === 'string')).toBe(true);
    const everything = JSON.stringify(onServer);
    expect(everything).not.toContain(website.key);
    expect(everything).not.toContain(books.key);

    // A second PC gets them; a last-used date written there (as the server will write it) comes back to the first.
    const b = pc();
    const code = (await a.ok<{ code: string }>(['sync', 'pair'])).code;
    const joined = await b.ok<{ business: { id: string } }>(['sync', 'join', '--server', server.url, '--code', code], { RECURRA_USER: '', RECURRA_PASSWORD: '' });
    b.acting.id = joined.business.id;
    const listedOnB = await b.ok<{ id: string; revokedAt: string | null }[]>(['api-key', 'list']);
    expect(listedOnB.map((k) => [k.id, k.revokedAt !== null])).toEqual([
      [website.id, false],
      [books.id, true],
    ]);
    const file = openBusinessFile(path.join(b.dataDir, 'businesses', `${businessId}.sqlite`));
    expect(file.prepare('SELECT key_hash FROM api_keys WHERE id = ?').pluck().get(website.id)).toBe(sha256(website.key));
    file.prepare("UPDATE api_keys SET last_used_on = '2026-12-01' WHERE id = ?").run(website.id);
    file.close();
    await b.ok(['sync', 'now']);
    await a.ok(['sync', 'now']);
    expect((await a.ok<{ id: string; lastUsedOn: string | null }[]>(['api-key', 'list'])).find((k) => k.id === website.id)?.lastUsedOn).toBe('2026-12-01');
    expect(await b.ok(['sync', 'digest'])).toEqual(await a.ok(['sync', 'digest']));
  });
});
