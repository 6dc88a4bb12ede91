import { createHash, randomBytes } from 'node:crypto';
import type { ApiKey, ApiKeyCreate } from '@shared/contract/api-keys';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { conflict, notFound } from '../errors';
import { newId } from '../ids';

// API keys (spec/server.md "REST API"). A key is `rk_` and 43 base62
// characters (256 random bits); it is shown once and only its SHA-256 is kept
// in `api_keys`, which syncs to the server.

export const API_KEY_PREFIX = 'rk_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 43 base62 characters carry 256 bits (43 x log2 62 = 256.03). */
const KEY_CHARS = 43;
/** How much of the key after `rk_` lists show. */
export const KEY_PREFIX_LENGTH = 8;

/** A new key: bytes drawn from crypto.randomBytes, each below 248 (= 4 x 62) taken modulo 62, so every character is uniform. */
export function generateApiKey(): string {
  let out = '';
  while (out.length < KEY_CHARS) {
    for (const b of randomBytes(64)) {
      if (b >= 248) continue;
      out += BASE62[b % 62];
      if (out.length === KEY_CHARS) break;
    }
  }
  return API_KEY_PREFIX + out;
}

/** Lower-case hex SHA-256 of the whole key, `rk_` included: what the server compares. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

interface ApiKeyRow {
  id: string;
  name: string;
  scope: 'read' | 'write';
  key_prefix: string;
  created_at: string;
  created_by: string | null;
  created_by_name: string | null;
  revoked_at: string | null;
  last_used_on: string | null;
}

const SELECT = `SELECT k.id, k.name, k.scope, k.key_prefix, k.created_at, k.created_by, u.name AS created_by_name, k.revoked_at, k.last_used_on
  FROM api_keys k LEFT JOIN users u ON u.id = k.created_by`;

function toDto(r: ApiKeyRow): ApiKey {
  return {
    id: r.id,
    name: r.name,
    scope: r.scope,
    keyPrefix: r.key_prefix,
    createdAt: r.created_at,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    revokedAt: r.revoked_at,
    lastUsedOn: r.last_used_on,
  };
}

/** Keys in use first, newest first; revoked ones after them. */
export function listApiKeys(db: BusinessDb): ApiKey[] {
  const rows = stmt(db.sqlite, `${SELECT} ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC, k.id DESC`).all() as ApiKeyRow[];
  return rows.map(toDto);
}

export function getApiKey(db: BusinessDb, id: string): ApiKey {
  const row = stmt(db.sqlite, `${SELECT} WHERE k.id = ?`).get(id) as ApiKeyRow | undefined;
  if (!row) throw notFound('That API key', 'id');
  return toDto(row);
}

export function createApiKey(db: BusinessDb, input: ApiKeyCreate, userId: string | null, at: string): { apiKey: ApiKey; key: string } {
  const key = generateApiKey();
  const id = newId();
  stmt(
    db.sqlite,
    `INSERT INTO api_keys (id, name, scope, key_hash, key_prefix, created_at, created_by, revoked_at, last_used_on)
     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
  ).run(id, input.name, input.scope, hashApiKey(key), key.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + KEY_PREFIX_LENGTH), at, userId);
  return { apiKey: getApiKey(db, id), key };
}

export function revokeApiKey(db: BusinessDb, id: string, at: string): { before: ApiKey; after: ApiKey } {
  const before = getApiKey(db, id);
  if (before.revokedAt !== null) throw conflict(`The key "${before.name}" was already revoked`, 'id');
  stmt(db.sqlite, 'UPDATE api_keys SET revoked_at = ? WHERE id = ?').run(at, id);
  return { before, after: getApiKey(db, id) };
}
