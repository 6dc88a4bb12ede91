import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';

// The server's master key: it seals what the database must not give away if
// copied (each business's license signing key, licenses/signing.ts) with
// AES-256-GCM. From env RECURRA_SERVER_KEY (32 bytes, base64) when set; else,
// on PGlite, from server.key in the data folder (made on first start, 0600).
// With DATABASE_URL several processes share the database, so they must share
// the key: without the variable the server refuses to start.

export const SERVER_KEY_ENV = 'RECURRA_SERVER_KEY';
export const SERVER_KEY_FILE = 'server.key';
const MAKE_ONE = 'make one with `openssl rand -base64 32`';

/** A configuration the server refuses to start with (the message says what to do). */
export class ServerKeyError extends Error {
  override name = 'ServerKeyError';
}

/** A stored value this key does not open: another master key sealed it, or it was altered. */
export class SealedValueError extends Error {
  override name = 'SealedValueError';
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The master key, never printed: its bytes live in a private field, and JSON or inspect shows only where it came from. */
export class ServerKey {
  readonly #sealing: Buffer;

  constructor(
    master: Buffer,
    /** Where it came from, for messages: the variable's name or the file's path. */
    readonly source: string,
  ) {
    if (master.length !== 32) throw new ServerKeyError(`${source}: the server key must be 32 bytes (base64), not ${master.length}; ${MAKE_ONE}.`);
    // A key of its own for this purpose (HKDF), so the master key can seal other things later without reuse.
    this.#sealing = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'recurra/sealed/v1', 32));
  }

  /** `v1:<iv>:<tag>:<ciphertext>` (base64url), bound to `context` (e.g. the business id) as associated data. */
  seal(plaintext: Buffer, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#sealing, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join(':');
  }

  /** The plaintext of what `seal` made for the same context; SealedValueError when this key (or this context) does not open it. */
  open(sealed: string, context: string): Buffer {
    const parts = sealed.split(':');
    if (parts[0] !== VERSION || parts.length !== 4) throw new SealedValueError(`not a ${VERSION} sealed value (a newer server's format, or damaged)`);
    const [iv, tag, body] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
    if (iv!.length !== IV_BYTES || tag!.length !== TAG_BYTES) throw new SealedValueError('a damaged sealed value (its nonce or tag has the wrong length)');
    const decipher = createDecipheriv('aes-256-gcm', this.#sealing, iv!, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag!);
    try {
      return Buffer.concat([decipher.update(body!), decipher.final()]);
    } catch {
      throw new SealedValueError(`the server key (${this.source}) does not open it: it was sealed under another key, or altered`);
    }
  }

  toJSON(): string {
    return `[server key from ${this.source}]`;
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}

/** Whether a stored value is sealed (a plain base64 value never holds a colon). */
export const isSealed = (stored: string) => /^v\d+:/.test(stored);

/** A key as text (base64 of 32 bytes), checked; `source` names where it came from in messages. */
export function parseServerKey(text: string, source: string): ServerKey {
  return decode(text, source);
}

/** Whether two keys are the same bytes (a rotation to the key in use is refused). */
export function sameServerKey(a: ServerKey, b: ServerKey): boolean {
  const probe = Buffer.from('recurra/same-key');
  try {
    b.open(a.seal(probe, 'same-key'), 'same-key');
    return true;
  } catch {
    return false;
  }
}

function decode(text: string, source: string): ServerKey {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new ServerKeyError(`${source}: not base64; ${MAKE_ONE}.`);
  return new ServerKey(Buffer.from(trimmed, 'base64'), source);
}

export interface ServerKeyConfig {
  /** The value of env RECURRA_SERVER_KEY, if set. */
  envKey?: string;
  databaseUrl?: string;
  /** The PGlite data folder (held by this process: see operator.ts). */
  dataDir: string;
  /** Told once, when the key file is made. */
  log?: (line: string) => void;
}

/** The server's master key for this start, or a ServerKeyError saying what to set. */
export function serverKeyFor(config: ServerKeyConfig): ServerKey {
  if (config.envKey) return decode(config.envKey, SERVER_KEY_ENV);
  if (config.databaseUrl) {
    throw new ServerKeyError(
      `DATABASE_URL is set but ${SERVER_KEY_ENV} is not. The server encrypts each business's license signing key with it, and every server process ` +
        `on this database must use the same one: ${MAKE_ONE}, keep it apart from the database's backups, and set ${SERVER_KEY_ENV} in every server process's environment ` +
        `(a database moved from a PGlite data folder: use the contents of its ${SERVER_KEY_FILE}).`,
    );
  }
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(config.dataDir, SERVER_KEY_FILE);
  const made = randomBytes(32).toString('base64');
  try {
    fs.writeFileSync(file, `${made}\n`, { flag: 'wx', mode: 0o600 });
    config.log?.(
      `Made the server key ${file} (mode 0600): it encrypts the license signing keys in the database. Back it up apart from the database; ` +
        'without it the businesses need new signing keys and their licenses re-issued.',
    );
    return decode(made, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) {
    fs.chmodSync(file, 0o600);
    config.log?.(`${file} was readable by others (mode ${mode.toString(8)}); set it to 0600.`);
  }
  return decode(fs.readFileSync(file, 'utf8'), file);
}

/**
 * The key the server runs with now, as serverKeyFor finds it, but never made:
 * an operator command that needs the current key (admin rotate-key) must not
 * invent one.
 */
export function currentServerKey(config: Omit<ServerKeyConfig, 'log'>): ServerKey {
  if (config.envKey || config.databaseUrl) return serverKeyFor(config);
  const file = path.join(config.dataDir, SERVER_KEY_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ServerKeyError(`No server key: ${SERVER_KEY_ENV} is not set and there is no ${file}. Give the key the server runs with in ${SERVER_KEY_ENV}, or check --data-dir.`);
  }
  return decode(text, file);
}
