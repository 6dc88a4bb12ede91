import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { licenseSigningKeys } from '../db/schema';
import { scheduleProjection } from '../projection/catch-up';
import { appendServerChanges } from '../projection/writer';

// Each business's Ed25519 key for license files (node:crypto), made on first
// need (a validation, a checkout, GET /v1/licenses/public-key) and kept in
// license_signing_keys. Its public half is written to the synced
// business.license_public_key as a server-made change in the same
// transaction, so every PC shows it after its next sync.

export interface SigningKey {
  /** Base64 of the raw 32-byte public key (what the PCs show). */
  publicKey: string;
  /** The same as an SPKI PEM, for other languages' libraries. */
  publicKeyPem: string;
  privateKey: KeyObject;
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

function toSigningKey(row: { publicKey: string; privateKey: string }): SigningKey {
  const privateKey = createPrivateKey({ key: Buffer.from(row.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(row.publicKey, 'base64')]);
  const pem = `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
  return { publicKey: row.publicKey, publicKeyPem: pem, privateKey };
}

/** The business's signing key, made (once, whoever asks first on whichever process) when it has none. */
export async function signingKeyOf(db: ServerDb, businessId: string, now: Date): Promise<SigningKey> {
  const [existing] = await db.select().from(licenseSigningKeys).where(eq(licenseSigningKeys.businessId, businessId));
  if (existing) return toSigningKey(existing);
  const pair = generateKeyPairSync('ed25519');
  const publicKey = Buffer.from(pair.publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
  const privateKey = pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
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
  // Whoever won the insert, the stored key is the key.
  const [stored] = await db.select().from(licenseSigningKeys).where(eq(licenseSigningKeys.businessId, businessId));
  return toSigningKey(stored!);
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
