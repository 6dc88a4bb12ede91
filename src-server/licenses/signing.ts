import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { and, eq, like, ne, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { licenseSigningKeys } from '../db/schema';
import { scheduleProjection } from '../projection/catch-up';
import { appendServerChanges } from '../projection/writer';
import { isSealed, SealedValueError, type ServerKey } from '../server-key';

// Each business's Ed25519 key for license files (node:crypto), made on first
// need (a validation, a checkout, GET /v1/licenses/public-key) and kept in
// license_signing_keys. Its public half is written to the synced
// business.license_public_key as a server-made change in the same
// transaction, so every PC shows it after its next sync.
//
// The private half is stored sealed under the server key (server-key.ts:
// AES-256-GCM, bound to the business id), so a copied database or backup does
// not give it away. A row from before that (plain base64 DER) is sealed in
// place the first time it is used, in the transaction that locks it.

export interface SigningKey {
  /** Base64 of the raw 32-byte public key (what the PCs show). */
  publicKey: string;
  /** The same as an SPKI PEM, for other languages' libraries. */
  publicKeyPem: string;
  privateKey: KeyObject;
}

/** The server key does not open a business's stored signing key: the server runs with another key than the one that sealed it. */
export class SigningKeyLockedError extends Error {
  override name = 'SigningKeyLockedError';
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const aadOf = (businessId: string) => `license_signing_keys.private_key:${businessId}`;

function pemOf(publicKey: string): string {
  const der = Buffer.concat([SPKI_ED25519, Buffer.from(publicKey, 'base64')]);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}

function rawPublicOf(privateKey: KeyObject): string {
  return Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x!, 'base64url').toString('base64');
}

function locked(serverKey: ServerKey, businessId: string, cause: unknown): SigningKeyLockedError {
  return new SigningKeyLockedError(
    `The server key (${serverKey.source}) does not open the stored license signing keys (business ${businessId}): ` +
      'start the server with the key they were sealed under (RECURRA_SERVER_KEY, or server.key of the data folder).',
    { cause },
  );
}

/** The private key of a stored row, sealed or (from before sealing) plain; checked against the row's public key. */
function privateKeyOf(serverKey: ServerKey, businessId: string, row: { publicKey: string; privateKey: string }): KeyObject {
  let der: Buffer;
  try {
    der = isSealed(row.privateKey) ? serverKey.open(row.privateKey, aadOf(businessId)) : Buffer.from(row.privateKey, 'base64');
  } catch (error) {
    throw error instanceof SealedValueError ? locked(serverKey, businessId, error) : error;
  }
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (rawPublicOf(privateKey) !== row.publicKey) throw new Error(`The stored license signing key of business ${businessId} does not match its public key.`);
  return privateKey;
}

/**
 * Before sealing anything new with this server key: a key another server key sealed must open with it,
 * else a misconfigured process would seal some rows under a key the others do not have.
 */
async function assertSameServerKey(db: ServerDb, serverKey: ServerKey, businessId: string): Promise<void> {
  const [other] = await db
    .select()
    .from(licenseSigningKeys)
    .where(and(like(licenseSigningKeys.privateKey, 'v%:%'), ne(licenseSigningKeys.businessId, businessId)))
    .limit(1);
  if (other) privateKeyOf(serverKey, other.businessId, other);
}

/** The business's public key only (no need of the server key once it exists). */
export async function publicKeyOf(db: ServerDb, serverKey: ServerKey, businessId: string, now: Date): Promise<Omit<SigningKey, 'privateKey'>> {
  const [existing] = await db.select({ publicKey: licenseSigningKeys.publicKey }).from(licenseSigningKeys).where(eq(licenseSigningKeys.businessId, businessId));
  const publicKey = existing?.publicKey ?? (await signingKeyOf(db, serverKey, businessId, now)).publicKey;
  return { publicKey, publicKeyPem: pemOf(publicKey) };
}

/** The business's signing key, made (once, whoever asks first on whichever process) when it has none. */
export async function signingKeyOf(db: ServerDb, serverKey: ServerKey, businessId: string, now: Date): Promise<SigningKey> {
  const [existing] = await db.select().from(licenseSigningKeys).where(eq(licenseSigningKeys.businessId, businessId));
  if (existing && isSealed(existing.privateKey)) return toSigningKey(existing.publicKey, privateKeyOf(serverKey, businessId, existing));
  if (existing) return sealPlainRow(db, serverKey, businessId);
  await assertSameServerKey(db, serverKey, businessId);
  const pair = generateKeyPairSync('ed25519');
  const publicKey = rawPublicOf(pair.privateKey);
  const privateKey = serverKey.seal(pair.privateKey.export({ format: 'der', type: 'pkcs8' }), aadOf(businessId));
  const made = await db.transaction(async (tx) => {
    const inserted = await tx.insert(licenseSigningKeys).values({ businessId, publicKey, privateKey, createdAt: now }).onConflictDoNothing().returning({ businessId: licenseSigningKeys.businessId });
    if (inserted.length === 0) return false;
    // The business's synced row (its id is the business's own); the PCs show the key after their next sync.
    const [business] = rowsOf<{ row_id: string; old: string | null }>(
      await tx.execute(sql`select row_id, data->>'license_public_key' as old from synced_rows where business_id = ${businessId} and tbl = 'business' and data is not null limit 1`),
    );
    await appendServerChanges(
      tx as unknown as ServerDb,
      businessId,
      [{ table: 'business', rowId: business?.row_id ?? businessId, op: 'upsert', fields: { license_public_key: publicKey, '@base': { license_public_key: business?.old ?? null } } }],
      now,
    );
    return true;
  });
  if (made) scheduleProjection(db, businessId);
  // Whoever won the insert, the stored key is the key (and a plain row is sealed on the way).
  return signingKeyOf(db, serverKey, businessId, now);
}

/** A row stored plain (before sealing): sealed in place under the row's lock, same key pair. */
async function sealPlainRow(db: ServerDb, serverKey: ServerKey, businessId: string): Promise<SigningKey> {
  await assertSameServerKey(db, serverKey, businessId);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(licenseSigningKeys).where(eq(licenseSigningKeys.businessId, businessId)).for('update');
    const privateKey = privateKeyOf(serverKey, businessId, row!);
    // Another process may have sealed it while this one waited for the lock.
    if (!isSealed(row!.privateKey)) {
      const sealed = serverKey.seal(privateKey.export({ format: 'der', type: 'pkcs8' }), aadOf(businessId));
      await tx.update(licenseSigningKeys).set({ privateKey: sealed }).where(eq(licenseSigningKeys.businessId, businessId));
    }
    return toSigningKey(row!.publicKey, privateKey);
  });
}

/** What `admin rotate-key` did: rows re-sealed under the new key, of which `sealedPlain` were stored plain (from before sealing). */
export interface ResealResult {
  resealed: number;
  sealedPlain: number;
}

/** The current server key does not open a stored signing key: a rotation changes nothing. */
export class KeyRotationError extends Error {
  override name = 'KeyRotationError';
}

/**
 * Re-seals every business's signing key from `oldKey` (or plain, from before
 * sealing) to `newKey`, in one transaction: a row the old key does not open
 * rolls everything back. The table is locked against writes meanwhile, so no
 * process seals a new row under the old key between the read and the commit.
 */
export async function resealSigningKeys(db: ServerDb, oldKey: ServerKey, newKey: ServerKey): Promise<ResealResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table license_signing_keys in exclusive mode`);
    const rows = await tx.select().from(licenseSigningKeys).orderBy(licenseSigningKeys.businessId);
    let sealedPlain = 0;
    for (const row of rows) {
      let privateKey: KeyObject;
      try {
        privateKey = privateKeyOf(oldKey, row.businessId, row);
      } catch (error) {
        if (!(error instanceof SigningKeyLockedError)) throw error;
        throw new KeyRotationError(
          `The current server key (${oldKey.source}) does not open the license signing key of business ${row.businessId}, so it cannot be re-encrypted. ` +
            'Give the key the server runs with (RECURRA_SERVER_KEY, or server.key in --data-dir). Nothing was changed.',
          { cause: error },
        );
      }
      if (!isSealed(row.privateKey)) sealedPlain++;
      const sealed = newKey.seal(privateKey.export({ format: 'der', type: 'pkcs8' }), aadOf(row.businessId));
      await tx.update(licenseSigningKeys).set({ privateKey: sealed }).where(eq(licenseSigningKeys.businessId, row.businessId));
    }
    return { resealed: rows.length, sealedPlain };
  });
}

function toSigningKey(publicKey: string, privateKey: KeyObject): SigningKey {
  return { publicKey, publicKeyPem: pemOf(publicKey), privateKey };
}

/** What a license file holds (spec/server.md "License keys"; docs/licenses.md). */
export interface LicensePayload {
  format: 'recurra-license/1';
  business: string;
  key: string;
  fingerprint: string;
  status: string;
  entitlements: string[];
  maxMachines: number | null;
  issuedAt: string;
  /** The license's expiry date, and the instant it begins in the business's time zone: the file works while now is before expiresAt. */
  expiresOn: string;
  expiresAt: string;
}

export interface LicenseFile {
  /** base64url of the payload's JSON (UTF-8). */
  payload: string;
  /** base64url of the Ed25519 signature of the payload string's bytes (the base64url text itself, so nothing is re-encoded before checking). */
  signature: string;
}

export function signLicenseFile(key: SigningKey, payload: LicensePayload): LicenseFile {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return { payload: body, signature: sign(null, Buffer.from(body, 'ascii'), key.privateKey).toString('base64url') };
}
