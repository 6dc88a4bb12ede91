import { createPublicKey, randomBytes, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStorage, type ServerDb, type Storage } from '../../src-server/db/open';
import { planRotation, rotateServerKey } from '../../src-server/key-rotation';
import { KeyRotationError, signingKeyOf, SigningKeyLockedError, signLicenseFile } from '../../src-server/licenses/signing';
import { startServer, type RunningServer } from '../../src-server/server';
import { parseServerKey, SealedValueError } from '../../src-server/server-key';
import { createInvite } from '../../src-server/sync/store';
import { runServer, runServerToEnd } from './server-process';
import { call, freshDatabase, storageKinds, TestClock, type StorageKind } from './support';

// `npm run server -- admin rotate-key` (server-key.ts, key-rotation.ts): every
// license signing key re-encrypted from the current server key to a new one in
// one transaction, plain rows from before sealing included; a key that does not
// open them changes nothing. On PGlite and PostgreSQL. The first rotation runs
// the real command (a process of its own, its exit code, JSON and stderr), as
// do its refusal while a server runs and its help; the other cases call what
// the command calls (rotateServerKey) in this process, on one open database,
// since every process and every PGlite open costs about a second of CPU.

const newKey = () => randomBytes(32).toString('base64');
const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const aadOf = (businessId: string) => `license_signing_keys.private_key:${businessId}`;
type Row = { business_id: string; public_key: string; private_key: string };

describe('what admin rotate-key refuses before touching the database', () => {
  it('needs a current key, a new one where it cannot write it, and a different one', () => {
    const dataDir = tempDir('recurra-rotate-');
    // PGlite without server.key or the variable: nothing to rotate from (and no key is made).
    expect(() => planRotation({ dataDir })).toThrow(/No server key: RECURRA_SERVER_KEY is not set and there is no .*server\.key/);
    expect(fs.existsSync(path.join(dataDir, 'server.key'))).toBe(false);
    // The key from the variable (PostgreSQL, or PGlite with it set): the operator gives the new one.
    const current = newKey();
    expect(() => planRotation({ dataDir, databaseUrl: 'postgres://x@127.0.0.1:1/x', envKey: current })).toThrow(/Set RECURRA_SERVER_NEW_KEY .*openssl rand -base64 32/);
    expect(() => planRotation({ dataDir, envKey: current })).toThrow(/Set RECURRA_SERVER_NEW_KEY/);
    expect(() => planRotation({ dataDir, databaseUrl: 'postgres://x@127.0.0.1:1/x', envNewKey: newKey() })).toThrow(/DATABASE_URL is set but RECURRA_SERVER_KEY is not/);
    expect(() => planRotation({ dataDir, envKey: current, envNewKey: current })).toThrow(/RECURRA_SERVER_NEW_KEY is the key in use/);
    expect(() => planRotation({ dataDir, envKey: current, envNewKey: 'short' })).toThrow(/RECURRA_SERVER_NEW_KEY: .*32 bytes|RECURRA_SERVER_NEW_KEY: not base64/);
    // With server.key on PGlite the new key is made unless given.
    fs.writeFileSync(path.join(dataDir, 'server.key'), `${current}\n`, { mode: 0o600 });
    const plan = planRotation({ dataDir });
    expect(plan).toMatchObject({ generated: true, keyFile: path.join(dataDir, 'server.key') });
    expect(Buffer.from(plan.newText, 'base64')).toHaveLength(32);
    expect(planRotation({ dataDir, envNewKey: newKey() })).toMatchObject({ generated: false, keyFile: path.join(dataDir, 'server.key') });
    // A rotation that committed but could not rename leaves the only copy of the new key in server.key.new: never overwritten.
    fs.writeFileSync(path.join(dataDir, 'server.key.new'), `${newKey()}\n`, { mode: 0o600 });
    expect(() => planRotation({ dataDir })).toThrow(/server\.key\.new exists: an earlier rotation did not finish/);
    expect(() => planRotation({ dataDir, envKey: current, envNewKey: newKey() })).not.toThrow(); // the variable's key: server.key is not used
  });
});

describe.each(storageKinds)('admin rotate-key on %s', (kind: StorageKind) => {
  const clock = new TestClock();
  const dataDir = tempDir('recurra-rotate-');
  const keyFile = path.join(dataDir, 'server.key');
  let databaseUrl: string | undefined;
  let server: RunningServer | undefined;
  /** The key the rows are sealed under: on PGlite the server.key the server made, on PostgreSQL the variable. */
  let currentKey: string;
  const ids = ['a', 'b', 'c'].map((x) => `rotate-${x}-${kind}`);
  const publicKeys = new Map<string, string>();
  /** Each business's PKCS#8 DER, as the first server key opened it: what every later key must open to. */
  const ders = new Map<string, Buffer>();

  async function start(serverKey: string | undefined) {
    await release();
    server = await startServer({ host: '127.0.0.1', port: 0, dataDir, databaseUrl, serverKey, now: clock.now, log: () => {}, logError: () => {} });
    return server;
  }
  async function stop() {
    await server?.close();
    server = undefined;
  }
  /** The rows, read through an open database (a running server's, or the test's own). */
  async function rowsOf(db: ServerDb): Promise<Row[]> {
    return ((await db.execute(sql`select business_id, public_key, private_key from license_signing_keys order by business_id`)) as unknown as { rows: Row[] }).rows;
  }
  /** The database opened by the test with no server running (PGlite is one process's database): close it before a server or the command opens it. */
  let own: Storage | undefined;
  async function db(): Promise<ServerDb> {
    own ??= await openStorage({ databaseUrl, dataDir });
    return own.db;
  }
  async function release() {
    await own?.close();
    own = undefined;
  }
  const rows = async () => rowsOf(await db());
  /** `npm run server -- admin rotate-key --json` as a real process. */
  async function rotate(env: Record<string, string | undefined>) {
    await release();
    return runServerToEnd(['admin', 'rotate-key', '--json', '--data-dir', dataDir], { DATABASE_URL: databaseUrl, RECURRA_SERVER_KEY: kind === 'postgres' ? currentKey : undefined, ...env });
  }
  /** What the command runs once it has the keys from its environment and the database open, here in this process. */
  const rotateHere = async (keys: { envKey?: string; envNewKey?: string }) =>
    rotateServerKey(await db(), { databaseUrl, dataDir, envKey: kind === 'postgres' ? currentKey : undefined, ...keys });

  beforeAll(async () => {
    if (kind === 'pglite') fs.cpSync(inject('pgliteTemplate'), path.join(dataDir, 'pgdata'), { recursive: true });
    else databaseUrl = await freshDatabase();
    const given = kind === 'postgres' ? newKey() : undefined;
    await start(given);
    currentKey = given ?? fs.readFileSync(keyFile, 'utf8').trim();
    // Three businesses, each with its signing key (made on the first public-key request).
    for (const businessId of ids) {
      const invite = await createInvite(server!.storage.db, clock.now());
      expect((await call(server!, 'POST', '/sync/v1/connect', { body: { inviteCode: invite.code, businessId, businessName: businessId, deviceName: 'Desk' } })).status).toBe(200);
      const reply = await call(server!, 'GET', `/v1/licenses/public-key?business=${businessId}`);
      expect(reply.status).toBe(200);
      publicKeys.set(businessId, (reply.body as { publicKey: string }).publicKey);
    }
    const key = parseServerKey(currentKey, 'test');
    for (const row of await rowsOf(server!.storage.db)) ders.set(row.business_id, key.open(row.private_key, aadOf(row.business_id)));
    await stop();
    expect([...ders.keys()]).toEqual(ids);
  }, 120_000);
  afterAll(async () => {
    await release();
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a key that does not open every row changes nothing, even rows it could open; the message says so', async () => {
    // As the server stored it before sealing: b plain. And c sealed under some other key.
    const storage = await db();
    await storage.execute(sql`update license_signing_keys set private_key = ${ders.get(ids[1]!)!.toString('base64')} where business_id = ${ids[1]!}`);
    const stray = parseServerKey(newKey(), 'stray').seal(ders.get(ids[2]!)!, aadOf(ids[2]!));
    await storage.execute(sql`update license_signing_keys set private_key = ${stray} where business_id = ${ids[2]!}`);
    const mixedBefore = await rows();
    // a (sealed) and b (plain) open; c does not: the transaction that re-sealed a and b rolls back.
    const mixed = rotateHere({ envNewKey: newKey() });
    await expect(mixed).rejects.toThrow(KeyRotationError);
    await expect(mixed).rejects.toThrow(new RegExp(`does not open the license signing key of business ${ids[2]}.*Nothing was changed`));
    expect(await rows()).toEqual(mixedBefore);
    if (kind === 'pglite') {
      expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(currentKey);
      expect(fs.existsSync(`${keyFile}.new`)).toBe(false);
    }
    // Put c back under the current key.
    const resealed = parseServerKey(currentKey, 'test').seal(ders.get(ids[2]!)!, aadOf(ids[2]!));
    await storage.execute(sql`update license_signing_keys set private_key = ${resealed} where business_id = ${ids[2]!}`);

    // A wrong current key (RECURRA_SERVER_KEY): a clear message (the command prints it as `Error: …` and exits 1,
    // as the refusal below shows), no key material in it, nothing changed.
    const before = await rows();
    const wrong = newKey();
    const newOne = newKey();
    const refused = await rotateHere({ envKey: wrong, envNewKey: newOne }).then(
      () => expect.unreachable('a wrong current key must be refused'),
      (error: unknown) => error as Error,
    );
    expect(refused).toBeInstanceOf(KeyRotationError);
    expect(refused.message).toMatch(/^The current server key \(RECURRA_SERVER_KEY\) does not open the license signing key of business rotate-a-.*Nothing was changed\.$/);
    for (const secret of [wrong, newOne, currentKey]) expect(refused.message).not.toContain(secret);
    expect(await rows()).toEqual(before);
    if (kind === 'pglite') expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(currentKey);
  }, 60_000);

  if (kind === 'pglite') {
    it('refuses while a server runs on the folder (it keeps the old key in memory)', async () => {
      const before = await rows();
      const running = await start(undefined);
      try {
        const out = await rotate({});
        expect(out.code).toBe(1);
        expect(out.stderr).toMatch(/^Error: Stop the server first: it keeps the current key in memory\. The data folder .* is in use by process .*\n$/);
        // Read through the running server: the rows did not change.
        expect(await rowsOf(running.storage.db)).toEqual(before);
      } finally {
        await stop();
      }
      expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(currentKey);
    }, 60_000);
  }

  it('re-encrypts every row under the new key, the plain one too, and the server signs with the same keys under it', async () => {
    const before = await rows();
    expect(before.filter((r) => !r.private_key.startsWith('v1:')).map((r) => r.business_id)).toEqual([ids[1]]);
    const given = kind === 'postgres' ? newKey() : undefined;
    const out = await rotate(given ? { RECURRA_SERVER_NEW_KEY: given } : {});
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as { resealed: number; sealedPlain: number; newKeyIn: string; generated: boolean };
    expect(result).toEqual({ resealed: 3, sealedPlain: 1, newKeyIn: kind === 'pglite' ? keyFile : 'RECURRA_SERVER_KEY', generated: kind === 'pglite' });
    // PGlite: the made key replaced server.key (0600, nothing left beside it); the old key is gone from disk.
    const rotatedKey = given ?? fs.readFileSync(keyFile, 'utf8').trim();
    expect(rotatedKey).not.toBe(currentKey);
    if (kind === 'pglite') {
      expect(Buffer.from(rotatedKey, 'base64')).toHaveLength(32);
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('server.key'))).toEqual(['server.key']);
    }
    for (const secret of [rotatedKey, currentKey]) expect(out.stdout + out.stderr).not.toContain(secret);

    // The server started with the new key: the rows it reads, the same public keys, and a file it signs verifies with them.
    const running = await start(kind === 'postgres' ? rotatedKey : undefined);
    try {
      const after = await rowsOf(running.storage.db);
      const oldKey = parseServerKey(currentKey, 'old');
      const newServerKey = parseServerKey(rotatedKey, 'new');
      for (const row of after) {
        const was = before.find((r) => r.business_id === row.business_id)!;
        expect(row.public_key).toBe(was.public_key);
        expect(row.private_key).toMatch(/^v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
        expect(row.private_key).not.toBe(was.private_key);
        // The same private key, now only under the new key.
        expect(newServerKey.open(row.private_key, aadOf(row.business_id)).equals(ders.get(row.business_id)!)).toBe(true);
        expect(() => oldKey.open(row.private_key, aadOf(row.business_id))).toThrow(SealedValueError);
      }
      for (const businessId of ids) {
        expect((await call(running, 'GET', `/v1/licenses/public-key?business=${businessId}`)).body).toMatchObject({ publicKey: publicKeys.get(businessId) });
        const key = await signingKeyOf(running.storage.db, running.serverKey, businessId, clock.now());
        const file = signLicenseFile(key, {
          format: 'recurra-license/1', business: businessId, key: 'K', fingerprint: 'f', status: 'active', entitlements: [], maxMachines: null,
          issuedAt: clock.now().toISOString(), expiresOn: '2099-01-01', expiresAt: '2099-01-01T00:00:00.000Z',
        });
        expect(verify(null, Buffer.from(file.payload, 'ascii'), createPublicKey(key.publicKeyPem), Buffer.from(file.signature, 'base64url'))).toBe(true);
      }
    } finally {
      await stop();
    }
    // The old key opens nothing any more.
    if (kind === 'postgres') {
      const stale = await start(currentKey);
      try {
        await expect(signingKeyOf(stale.storage.db, stale.serverKey, ids[0]!, clock.now())).rejects.toThrow(SigningKeyLockedError);
      } finally {
        await stop();
      }
    }
    currentKey = rotatedKey;
  }, 120_000);

  it('rotates again from the new key (the command is repeatable), the help names the variables', async () => {
    const given = newKey();
    expect(await rotateHere({ envNewKey: given })).toEqual({ resealed: 3, sealedPlain: 0, newKeyIn: kind === 'pglite' ? keyFile : 'RECURRA_SERVER_KEY', generated: false });
    if (kind === 'pglite') {
      expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(given);
      expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('server.key'))).toEqual(['server.key']);
    }
    const key = parseServerKey(given, 'given');
    for (const row of await rows()) expect(key.open(row.private_key, aadOf(row.business_id)).equals(ders.get(row.business_id)!)).toBe(true);
    if (kind === 'pglite') {
      const help = runServer(['admin', 'rotate-key', '--help']);
      await help.exited;
      expect(help.stdout).toMatch(/RECURRA_SERVER_KEY[\s\S]*RECURRA_SERVER_NEW_KEY/);
    }
  }, 60_000);
});
