import { createPrivateKey, createPublicKey, randomBytes, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../../src-server/server';
import { SealedValueError, SERVER_KEY_ENV, ServerKey, ServerKeyError, serverKeyFor } from '../../src-server/server-key';
import { createInvite } from '../../src-server/sync/store';
import { addDays, dateInTimeZone } from '@shared/domain/dates';
import { businessOnNewPc } from './pcs';
import { call, freshDatabase, storageKinds, TestClock, type StorageKind } from './support';

// Each business's license signing key is sealed at rest under the server key
// (server-key.ts, licenses/signing.ts): a copied database or backup does not
// give it away. The key comes from RECURRA_SERVER_KEY, or on PGlite from
// server.key in the data folder; PostgreSQL without the variable refuses to
// start. On PGlite and PostgreSQL, through real servers restarted on one database.

const newKey = () => randomBytes(32).toString('base64');
const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

describe('the server key configuration', () => {
  it('refuses DATABASE_URL without RECURRA_SERVER_KEY, saying how to make one', async () => {
    const configure = () => serverKeyFor({ databaseUrl: 'postgres://recurra@127.0.0.1:1/recurra', dataDir: tempDir('recurra-key-') });
    expect(configure).toThrow(ServerKeyError);
    expect(configure).toThrow(/DATABASE_URL is set but RECURRA_SERVER_KEY is not.*openssl rand -base64 32/s);
    // startServer refuses before any connection (nothing listens on port 1).
    await expect(startServer({ host: '127.0.0.1', port: 0, dataDir: tempDir('recurra-key-'), databaseUrl: 'postgres://recurra@127.0.0.1:1/recurra', log: () => {} })).rejects.toThrow(
      ServerKeyError,
    );
    expect(serverKeyFor({ envKey: newKey(), databaseUrl: 'postgres://x@127.0.0.1:1/x', dataDir: '/nonexistent' }).source).toBe(SERVER_KEY_ENV);
  });

  it('refuses a key that is not 32 bytes of base64, naming the variable', () => {
    expect(() => serverKeyFor({ envKey: randomBytes(16).toString('base64'), dataDir: '/nonexistent' })).toThrow(/RECURRA_SERVER_KEY: the server key must be 32 bytes/);
    expect(() => serverKeyFor({ envKey: 'not a key!', dataDir: '/nonexistent' })).toThrow(/RECURRA_SERVER_KEY: not base64.*openssl rand -base64 32/);
  });

  it('on PGlite without the variable, makes server.key (0600) once, says so once, and reads it back', () => {
    const dataDir = tempDir('recurra-key-');
    const lines: string[] = [];
    const first = serverKeyFor({ dataDir, log: (l) => lines.push(l) });
    const file = path.join(dataDir, 'server.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Made the server key .*server\.key.*Back it up apart from the database/);
    const again = serverKeyFor({ dataDir, log: (l) => lines.push(l) });
    expect(lines).toHaveLength(1);
    expect(again.open(first.seal(Buffer.from('same key'), 'b1'), 'b1').toString()).toBe('same key');
    // The variable wins over the file.
    expect(serverKeyFor({ envKey: newKey(), dataDir }).source).toBe(SERVER_KEY_ENV);
  });

  it('seals bound to its context, and never prints the key', () => {
    const raw = randomBytes(32);
    const key = new ServerKey(raw, SERVER_KEY_ENV);
    const sealed = key.seal(Buffer.from('secret bytes'), 'business-a');
    expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(key.seal(Buffer.from('secret bytes'), 'business-a')).not.toBe(sealed); // a fresh nonce each time
    expect(() => key.open(sealed, 'business-b')).toThrow(SealedValueError);
    expect(() => new ServerKey(randomBytes(32), 'other').open(sealed, 'business-a')).toThrow(/does not open it/);
    const printed = `${JSON.stringify({ key })} ${String(key.toJSON())} ${inspect(key)}`;
    for (const form of [raw.toString('base64'), raw.toString('hex'), raw.toString('base64url')]) expect(printed).not.toContain(form);
  });
});

describe.each(storageKinds)('license signing keys sealed at rest on %s', (kind: StorageKind) => {
  const TZ = 'America/New_York';
  const clock = new TestClock();
  const dataDir = tempDir('recurra-sealed-');
  let databaseUrl: string | undefined;
  let server: RunningServer;
  let lines: string[] = [];
  let failures: string[] = [];
  /** The key the server runs with: on PGlite the server.key it made, on PostgreSQL the variable. */
  let rightKey: string | undefined;
  let businessId: string;
  let license: string;

  async function start(serverKey: string | undefined) {
    lines = [];
    failures = [];
    server = await startServer({ host: '127.0.0.1', port: 0, dataDir, databaseUrl, serverKey, now: clock.now, log: (l) => lines.push(l), logError: (t) => failures.push(t) });
  }
  const stored = async () =>
    ((await server.storage.db.execute(sql`select public_key, private_key from license_signing_keys where business_id = ${businessId}`)) as unknown as { rows: { public_key: string; private_key: string }[] }).rows[0]!;
  const checkout = (fingerprint = 'laptop-1') => call(server, 'POST', '/v1/licenses/checkout', { body: { key: license, fingerprint } });
  const publicKey = async () => (await call(server, 'GET', `/v1/licenses/public-key?business=${businessId}`)).body as { publicKey: string; publicKeyPem: string };
  const verifies = (file: { payload: string; signature: string }, pem: string) =>
    verify(null, Buffer.from(file.payload, 'ascii'), createPublicKey(pem), Buffer.from(file.signature, 'base64url'));

  beforeAll(async () => {
    if (kind === 'pglite') fs.cpSync(inject('pgliteTemplate'), path.join(dataDir, 'pgdata'), { recursive: true });
    else databaseUrl = await freshDatabase();
    rightKey = kind === 'postgres' ? newKey() : undefined;
    await start(rightKey);
    if (kind === 'pglite') {
      expect(lines.some((l) => /Made the server key .*server\.key/.test(l))).toBe(true);
      rightKey = fs.readFileSync(path.join(dataDir, 'server.key'), 'utf8').trim();
    }
    // A business that sells software, its license key issued on its PC and synced, one machine activated.
    const made = await businessOnNewPc('Sealed Software');
    businessId = made.businessId;
    const plan = await made.a.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Pro', '--price', '30.00', '--interval', 'month', '--features', 'Export']);
    await made.a.ok(['sync', 'connect', '--server', server.url, '--invite', (await createInvite(server.storage.db, clock.now())).code]);
    const today = dateInTimeZone(clock.now(), TZ);
    const sub = await made.a.ok<{ subscription: { licenseKey: string } }>(['subscription', 'create', '--customer', made.jane.id, '--plan', plan.plan.id, '--start', addDays(today, -1), '--trial-days', '30', '--license']);
    await made.a.ok(['sync', 'now']);
    license = sub.subscription.licenseKey;
    expect((await call(server, 'POST', '/v1/licenses/activate', { body: { key: license, fingerprint: 'laptop-1', name: 'Laptop' } })).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let firstFile: { payload: string; signature: string };
  let firstPublicKey: { publicKey: string; publicKeyPem: string };

  it('stores the signing key sealed: the column never holds the private key', async () => {
    const out = await checkout();
    expect(out.status).toBe(200);
    firstFile = out.body.file;
    firstPublicKey = await publicKey();
    expect(verifies(firstFile, firstPublicKey.publicKeyPem)).toBe(true);
    const row = await stored();
    expect(row.public_key).toBe(firstPublicKey.publicKey);
    expect(row.private_key).toMatch(/^v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    // The server key opens it to the PKCS#8 DER whose public half is the business's; neither that DER nor its base64 is stored.
    const der = server.serverKey.open(row.private_key, `license_signing_keys.private_key:${businessId}`);
    expect(Buffer.from(createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' }).x!, 'base64url').toString('base64')).toBe(row.public_key);
    for (const form of [der.toString('base64'), der.toString('base64url'), der.toString('hex'), der.subarray(16).toString('base64')]) expect(row.private_key).not.toContain(form);
  });

  it('signs with the same key after a restart with the same server key; the old file still verifies', async () => {
    await server.close();
    await start(kind === 'postgres' ? rightKey : undefined); // PGlite: the server.key it made
    expect(lines.some((l) => /Made the server key/.test(l))).toBe(false);
    expect(await publicKey()).toEqual(firstPublicKey);
    const out = await checkout();
    expect(out.status).toBe(200);
    expect(verifies(out.body.file, firstPublicKey.publicKeyPem)).toBe(true);
    expect(verifies(firstFile, (await publicKey()).publicKeyPem)).toBe(true);
  });

  it('seals a plain row from before on its first use, in place, keeping its key pair', async () => {
    // As the server stored it before sealing: base64 of the PKCS#8 DER.
    const der = server.serverKey.open((await stored()).private_key, `license_signing_keys.private_key:${businessId}`);
    await server.storage.db.execute(sql`update license_signing_keys set private_key = ${der.toString('base64')} where business_id = ${businessId}`);
    // Several at once: one seals it under the row's lock, the others find it sealed.
    const outs = await Promise.all([checkout(), checkout(), checkout(), checkout()]);
    for (const out of outs) {
      expect(out.status).toBe(200);
      expect(verifies(out.body.file, firstPublicKey.publicKeyPem)).toBe(true);
    }
    const row = await stored();
    expect(row.private_key).toMatch(/^v1:/);
    expect(row.private_key).not.toContain(der.toString('base64'));
    expect(row.public_key).toBe(firstPublicKey.publicKey);
    expect(verifies(firstFile, firstPublicKey.publicKeyPem)).toBe(true);
  });

  it('with a wrong server key: 500 and a log line saying the key does not open the signing keys, no key material, nothing sealed under it', async () => {
    const before = await stored();
    await server.close();
    const wrongKey = newKey();
    await start(wrongKey); // starts: sync and the API keep working
    expect((await call(server, 'GET', '/health')).status).toBe(200);
    const out = await checkout();
    expect(out.status).toBe(500);
    expect(out.body.error).toMatchObject({ type: 'server', code: 'internal' });
    expect(failures.join('\n')).toMatch(/SigningKeyLockedError: The server key \(RECURRA_SERVER_KEY\) does not open the stored license signing keys/);
    // The public key is public: still served from the row.
    expect(await publicKey()).toEqual(firstPublicKey);
    // A business without a signing key yet gets none sealed under a key that does not open the others'.
    const invite = await createInvite(server.storage.db, clock.now());
    const other = await call(server, 'POST', '/sync/v1/connect', { body: { inviteCode: invite.code, businessId: `sealed-other-${kind}`, businessName: 'Other', deviceName: 'Desk' } });
    expect(other.status).toBe(200);
    expect((await call(server, 'GET', `/v1/licenses/public-key?business=sealed-other-${kind}`)).status).toBe(500);
    const otherRows = (await server.storage.db.execute(sql`select 1 from license_signing_keys where business_id = ${`sealed-other-${kind}`}`)) as unknown as { rows: unknown[] };
    expect(otherRows.rows).toHaveLength(0);
    expect(await stored()).toEqual(before);
    const der = new ServerKey(Buffer.from(rightKey!, 'base64'), 'test').open(before.private_key, `license_signing_keys.private_key:${businessId}`);
    const logged = [...lines, ...failures].join('\n');
    for (const secret of [wrongKey, rightKey!, der.toString('base64'), der.toString('hex'), before.private_key]) expect(logged).not.toContain(secret);

    // Back with the right key: the same signing key, as before.
    await server.close();
    await start(kind === 'postgres' ? rightKey : undefined);
    const again = await checkout();
    expect(again.status).toBe(200);
    expect(verifies(again.body.file, firstPublicKey.publicKeyPem)).toBe(true);
  });
});
