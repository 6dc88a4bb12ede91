import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EventName, Input, MethodName, Output, RpcErrorBody } from '@shared/contract';
import { fileKind, keyAccount, openExisting } from '../../src-main/core/db/keyring';
import { Core } from '../../src-main/core/core';
import type { Clock } from '../../src-main/core/ports';
import { silentLogger } from '../../src-main/core/ports';
import type { Connection } from '../../src-main/core/rpc';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../resources/migrations');

export function tempDir(prefix = 'recurra-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A business file opened directly, as a test looks into it: keyed with its data key from the data
 * folder's secrets.json (the file store tests use) when it is encrypted, plain when plain.
 */
export function openBusinessFile(file: string, opts: { readonly?: boolean } = {}): Database.Database {
  const secrets = path.join(path.dirname(path.dirname(file)), 'secrets.json');
  const stored = fs.existsSync(secrets) ? (JSON.parse(fs.readFileSync(secrets, 'utf8')) as Record<string, string>) : {};
  const named = stored[keyAccount(path.basename(file, '.sqlite'))];
  if (named || fileKind(file) !== 'encrypted') return openExisting(file, { ...opts, ...(named ? { key: Buffer.from(named, 'hex') } : {}) });
  // A file under another name (a copy made by hand): whichever business key opens it.
  for (const [account, hex] of Object.entries(stored)) {
    if (!account.startsWith('business-key:')) continue;
    try {
      return openExisting(file, { ...opts, key: Buffer.from(hex, 'hex') });
    } catch {
      // not this one
    }
  }
  return openExisting(file, opts);
}

/** A backup file opened directly, as anyone holding it and its passphrase could (plain if it is a plain file). */
export function openBackupFile(file: string, opts: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(file, { fileMustExist: true, readonly: opts.readonly ?? false });
  if (fileKind(file) === 'encrypted') {
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.pragma(`key = '${BACKUP_PASSPHRASE}'`);
  }
  return db;
}

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(private current = new Date('2026-03-01T12:00:00Z')) {}
  now() {
    return new Date(this.current);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
  /** Sets the clock to an instant (moving it back is allowed: a test sets the day it needs). */
  set(instant: Date) {
    this.current = new Date(instant);
  }
}

export function makeCore(opts: { dataDir?: string; clock?: Clock } = {}) {
  const dataDir = opts.dataDir ?? tempDir();
  const clock = opts.clock ?? new FakeClock();
  const core = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, clock, logger: silentLogger });
  return { core, dataDir, clock };
}

let connSeq = 0;
export interface TestConnection extends Connection {
  events: { event: EventName; payload: unknown }[];
}

export function connect(): TestConnection {
  const events: TestConnection['events'] = [];
  return {
    id: `test-${++connSeq}`,
    sessionId: null,
    events,
    send(event, payload) {
      events.push({ event, payload });
    },
  };
}

export class CallError extends Error {
  constructor(readonly body: RpcErrorBody) {
    super(`${body.code}${body.field ? ` (${body.field})` : ''}: ${body.message}`);
  }
}

/** Calls a method and returns its data, or throws CallError with the typed error. */
export async function call<M extends MethodName>(core: Core, conn: Connection, method: M, input: Input<M>): Promise<Output<M>> {
  const result = await core.dispatch(conn, method, input);
  if (!result.ok) throw new CallError(result.error);
  return result.data as Output<M>;
}

/** Calls and expects a failure; returns the error body. */
export async function callError(core: Core, conn: Connection, method: unknown, input: unknown): Promise<RpcErrorBody> {
  const result = await core.dispatch(conn, method, input);
  if (result.ok) throw new Error(`${String(method)} was expected to fail but returned ${JSON.stringify(result.data)}`);
  return result.error;
}

export const OWNER_PASSWORD = 'correct horse battery';
/** The passphrase test backups are made with (RECURRA_BACKUP_PASSPHRASE on the command line). */
export const BACKUP_PASSPHRASE = 'a backup passphrase';

/** The sign-up the tests' business is made with. */
export const SIGN_UP: Input<'business.signUp'> = {
  businessName: 'Sunrise Yoga',
  currency: 'USD',
  timezone: 'America/New_York',
  ownerName: 'Olivia Owner',
  ownerEmail: 'olivia@example.com',
  password: OWNER_PASSWORD,
};

export async function signUp(core: Core, overrides: Partial<Input<'business.signUp'>> = {}) {
  const conn = connect();
  const session = await call(core, conn, 'business.signUp', { ...SIGN_UP, ...overrides });
  return { conn, session, businessId: session.business.id };
}

/** The sign-ups signedUpCopy copies, one per set of overrides, made once per test file. */
const signedUp = new Map<string, Promise<{ dataDir: string; businessId: string }>>();

/**
 * A business as signUp(core, overrides) makes it, in a data folder of its own: a copy of one
 * made once per test file for these overrides, logged in on a new connection. About half the CPU
 * of a sign-up (no new file, recovery key or password hash to make), for tests that make many
 * businesses to test something else. The copies share the original's ids, and their audit logs
 * have the login after the sign-up.
 */
export async function signedUpCopy(overrides: Partial<Input<'business.signUp'>> = {}) {
  const key = JSON.stringify(overrides);
  let made = signedUp.get(key);
  if (!made) {
    made = (async () => {
      const { core, dataDir } = makeCore();
      const { businessId } = await signUp(core, overrides);
      core.close();
      return { dataDir, businessId };
    })();
    signedUp.set(key, made);
  }
  const template = await made;
  const dataDir = tempDir();
  fs.cpSync(template.dataDir, dataDir, { recursive: true });
  const { core, clock } = makeCore({ dataDir });
  const conn = connect();
  const { ownerEmail: email, password } = { ...SIGN_UP, ...overrides };
  const session = await call(core, conn, 'auth.login', { businessId: template.businessId, email, password });
  return { core, dataDir, clock, conn, session, businessId: template.businessId };
}
