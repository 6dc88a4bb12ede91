import path from 'node:path';
import type { Input, MethodName, Output } from '@shared/contract';
import type { Session } from '@shared/contract/auth';
import { Core } from '../core/core';
import { defaultDataDir, sourceMigrationsDir } from '../core/paths';
import { PathExportDestination } from '../core/csv/folder-destination';
import { makeStoredSession, resumeStoredSession, storedSessionAccount, type StoredSession } from '../core/auth/stored-session';
import { FileSecretStore } from '../core/file-secret-store';
import { silentLogger, type Logger } from '../core/ports';
import type { Connection } from '../core/rpc';
import { CliError, usageError } from './errors';
import type { CliIo } from './output';

/** The options every command accepts, before the subcommand or after it. */
export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  user?: string;
  business?: string;
}

/** Contract field -> how the caller typed it, so a human error names the flag they can fix. */
export type FlagNames = Readonly<Record<string, string>>;

const LOGIN_FLAGS: FlagNames = { businessId: '--business', email: '--user', password: 'RECURRA_PASSWORD', code: 'RECURRA_TOTP' };

let connectionSeq = 0;

/**
 * One CLI invocation: the data folder, who is acting, and a Core opened on
 * first use. Everything goes through `core.dispatch`, exactly like the
 * desktop app, so validation, roles and transactions cannot drift apart.
 */
export class CliContext {
  readonly json: boolean;
  readonly dataDir: string;
  private readonly user: string | undefined;
  private readonly business: string | undefined;
  private core: Core | undefined;
  // Events (data-changed, session-ended) matter to windows, not to a one-shot command.
  // Mutable so `exportTo` can name the file; without it the core would write into the app's own exports folder.
  private readonly conn: { -readonly [K in keyof Connection]: Connection[K] } = {
    id: `cli-${process.pid}-${++connectionSeq}`,
    sessionId: null,
    send() {},
    // A read-only command leaves no audit row; a write records the login with its own.
    deferLoginRecord: true,
  };
  /** One login per run, however many steps of a command ask for it. */
  private session: Promise<Session> | undefined;

  constructor(
    private readonly io: CliIo,
    options: GlobalOptions,
  ) {
    this.json = options.json === true;
    if (options.dataDir === '') throw usageError('--data-dir needs a folder');
    this.dataDir = options.dataDir ? path.resolve(options.dataDir) : defaultDataDir(io.env);
    this.user = options.user || this.env('RECURRA_USER');
    this.business = options.business || this.env('RECURRA_BUSINESS');
  }

  /** A non-empty environment variable, or undefined (an empty one counts as unset). */
  env(name: string): string | undefined {
    return this.io.env[name] || undefined;
  }

  /** A value the command cannot run without that only comes from the environment (passwords). */
  requireEnv(name: string, what: string): string {
    const value = this.env(name);
    if (value === undefined) throw usageError(`Set env ${name} to ${what}`);
    return value;
  }

  /** Calls one contract method; a refusal becomes a CliError with the core's code, message and field. */
  async call<M extends MethodName>(method: M, input: Input<M>, flags: FlagNames = {}): Promise<Output<M>> {
    const result = await this.openCore().dispatch(this.conn, method, input);
    if (!result.ok) throw CliError.fromBody(result.error, flags);
    return result.data as Output<M>;
  }

  /**
   * Logs in as --user on --business with RECURRA_PASSWORD. A missing business
   * is a usage error (2): it says what to act on, like a required option.
   * A missing user or password is `unauthenticated` (3): the credentials are
   * absent, the same answer the app gives a caller who has not logged in, so
   * scripts treat "no credentials" and "wrong credentials" alike.
   * A run logs in once: later calls get the same session (or the same refusal).
   * The login is verified at once (argon2) but recorded in the audit log only
   * with the run's first write: a read-only command writes nothing.
   */
  login(): Promise<Session> {
    this.session ??= this.logIn(true);
    return this.session;
  }

  /**
   * `recurra login`: always with the password (and RECURRA_TOTP when two-factor
   * is on), then the session is kept for 12 hours in the secret store, so the
   * runs that follow need neither. Returns the session and when it ends.
   */
  async loginAndKeep(): Promise<{ session: Session; expiresAt: string }> {
    this.session = this.logIn(false);
    const session = await this.session;
    const core = this.openCore();
    const kept = makeStoredSession(core.businesses.get(session.business.id), session.user.id, session.user.email, core.clock.now());
    await this.secrets().set(storedSessionAccount(kept.businessId, kept.email), JSON.stringify(kept));
    return { session, expiresAt: kept.expiresAt };
  }

  /** `recurra logout`: forgets the kept session of --business and --user. Says whether there was one. */
  async forgetKeptSession(): Promise<boolean> {
    const { businessId, email } = this.whoIsActing();
    return this.secrets().delete(storedSessionAccount(businessId, email));
  }

  private whoIsActing(): { businessId: string; email: string } {
    const businessId = this.business;
    if (!businessId) {
      throw usageError('Choose a business with --business ID or env RECURRA_BUSINESS (`recurra business list` shows the ids)');
    }
    const email = this.user;
    if (!email) throw new CliError('unauthenticated', 'Say who is acting with --user EMAIL or env RECURRA_USER');
    return { businessId, email };
  }

  /**
   * Env RECURRA_RECOVERY_KEY, when set (business.unlock): on a PC whose keychain has no key for the
   * business (reinstalled, the folder moved) it unlocks the books and puts the key back; on a file that
   * opens but that the key cannot unlock yet (encrypted on upgrade, restored, joined) it sets that up.
   * Says on stderr what it did. Returns the business's id (a locked file listed by its name,
   * `--business my-books` for my-books.sqlite, has its id inside), null when the variable is not set.
   */
  async useRecoveryKey(businessId: string): Promise<string | null> {
    const recoveryKey = this.env('RECURRA_RECOVERY_KEY');
    if (!recoveryKey) return null;
    const done = await this.call('business.unlock', { businessId, recoveryKey }, { businessId: '--business', recoveryKey: 'RECURRA_RECOVERY_KEY' });
    if (done.keyRestored) this.io.stderr("The recovery key unlocked the business; its key is back in this PC's key store.\n");
    if (done.recoverySetUp) this.io.stderr("The recovery key can now also unlock this business's encrypted file, should this PC lose its key.\n");
    if (done.businessId !== businessId) this.io.stderr(`${businessId}.sqlite holds the business with id ${done.businessId}: use --business ${done.businessId} from now on.\n`);
    return done.businessId;
  }

  private async logIn(mayResume: boolean): Promise<Session> {
    const { businessId, email } = this.whoIsActing();
    if (mayResume && (await this.resumeKeptSession(businessId, email))) return this.call('auth.session', {}).then((s) => s!);
    const password = this.env('RECURRA_PASSWORD');
    if (!password) {
      throw new CliError('unauthenticated', `Set env RECURRA_PASSWORD to the password of ${email} (never a flag: flags show in process lists)`);
    }
    const unlockedId = (await this.useRecoveryKey(businessId)) ?? businessId;
    const code = this.env('RECURRA_TOTP');
    try {
      return await this.call('auth.login', { businessId: unlockedId, email, password, ...(code ? { code } : {}) }, LOGIN_FLAGS);
    } catch (error) {
      if (error instanceof CliError && error.field === 'code' && !code) {
        throw new CliError(
          'unauthenticated',
          `Two-factor login is on for ${email}: set env RECURRA_TOTP to the current 6-digit code of the authenticator app (or a recovery code), or run \`recurra login\` once to keep a session for 12 hours.`,
          'code',
          'RECURRA_TOTP',
        );
      }
      throw error;
    }
  }

  /** A session kept by `recurra login` for this business and user, if it is still good (see resumeStoredSession). */
  private async resumeKeptSession(businessId: string, email: string): Promise<boolean> {
    const account = storedSessionAccount(businessId, email);
    const text = await this.secrets().get(account);
    if (text === null) return false;
    let kept: StoredSession;
    try {
      kept = JSON.parse(text) as StoredSession;
    } catch {
      return false;
    }
    const core = this.openCore();
    if (!this.businessExists(core, businessId)) return false; // auth.login then says so, as without a kept session
    if (resumeStoredSession(core, this.conn, kept, businessId, email)) return true;
    // Expired or stale (a password or two-factor change): forget it, and log in with what the env gives.
    await this.secrets().delete(account);
    return false;
  }

  private businessExists(core: Core, businessId: string): boolean {
    try {
      core.businesses.get(businessId);
      return true;
    } catch {
      return false;
    }
  }

  /** Who is acting (--user or env RECURRA_USER), without logging in: a restore checks it against the backup. */
  get actingUser(): string | undefined {
    return this.user;
  }

  /** Exports made by the calls that follow are written to this file (the `--out` of `recurra export`). */
  exportTo(file: string): void {
    this.conn.exports = new PathExportDestination(file);
  }

  /** Files the calls that follow ask for (a backup to restore) come from this path (`--file`). */
  importFrom(file: string): void {
    const resolved = path.resolve(file);
    this.conn.imports = { open: async () => ({ path: resolved, name: path.basename(resolved) }) };
  }

  close(): void {
    this.core?.close();
    this.core = undefined;
  }

  private secretStore: FileSecretStore | undefined;
  /** No keychain on the command line: device tokens and kept sessions go to a 0600 file in the data folder, with a warning. */
  private secrets(): FileSecretStore {
    this.secretStore ??= new FileSecretStore(this.dataDir, (message) => this.io.stderr(`Warning: ${message}\n`));
    return this.secretStore;
  }

  private openCore(): Core {
    this.core ??= new Core({
      paths: { dataDir: this.dataDir, migrationsDir: sourceMigrationsDir() },
      // Nothing but the command's output may reach stdout; RECURRA_DEBUG shows the core's log on stderr.
      logger: this.env('RECURRA_DEBUG') ? stderrLogger(this.io) : silentLogger,
      // The run history says a run came from the command line.
      billingRunTrigger: 'cli',
      secrets: this.secrets(),
      // Preferences stay in memory: a script must not change which business the desktop app opens.
    });
    return this.core;
  }
}

function stderrLogger(io: CliIo): Logger {
  const write = (level: string) => (message: string, data?: Record<string, unknown>) =>
    io.stderr(`[${level}] ${message}${data ? ` ${JSON.stringify(data)}` : ''}\n`);
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
