import path from 'node:path';
import type { Input, MethodName, Output } from '@shared/contract';
import type { Session } from '@shared/contract/auth';
import { Core } from '../core/core';
import { defaultDataDir, sourceMigrationsDir } from '../core/paths';
import { PathExportDestination } from '../core/csv/folder-destination';
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

const LOGIN_FLAGS: FlagNames = { businessId: '--business', email: '--user', password: 'RECURRA_PASSWORD' };

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
    this.session ??= this.logIn();
    return this.session;
  }

  private async logIn(): Promise<Session> {
    const businessId = this.business;
    if (!businessId) {
      throw usageError('Choose a business with --business ID or env RECURRA_BUSINESS (`recurra business list` shows the ids)');
    }
    const email = this.user;
    if (!email) throw new CliError('unauthenticated', 'Say who is acting with --user EMAIL or env RECURRA_USER');
    const password = this.env('RECURRA_PASSWORD');
    if (!password) {
      throw new CliError('unauthenticated', `Set env RECURRA_PASSWORD to the password of ${email} (never a flag: flags show in process lists)`);
    }
    // A PC whose keychain has no key for the business (reinstalled, the folder moved): the recovery key
    // from sign-up unlocks the books and puts the key back (business.unlock).
    const recoveryKey = this.env('RECURRA_RECOVERY_KEY');
    if (recoveryKey) await this.call('business.unlock', { businessId, recoveryKey }, { businessId: '--business', recoveryKey: 'RECURRA_RECOVERY_KEY' });
    return this.call('auth.login', { businessId, email, password }, LOGIN_FLAGS);
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

  private openCore(): Core {
    this.core ??= new Core({
      paths: { dataDir: this.dataDir, migrationsDir: sourceMigrationsDir() },
      // Nothing but the command's output may reach stdout; RECURRA_DEBUG shows the core's log on stderr.
      logger: this.env('RECURRA_DEBUG') ? stderrLogger(this.io) : silentLogger,
      // The run history says a run came from the command line.
      billingRunTrigger: 'cli',
      // No keychain on the command line: device tokens go to a 0600 file in the data folder, with a warning.
      secrets: new FileSecretStore(this.dataDir, (message) => this.io.stderr(`Warning: ${message}\n`)),
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
