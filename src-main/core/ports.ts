// What the core needs from the outside world, injected so the same code runs
// under Electron, the CLI, the browser host, tests (fake clock) and benchmarks.

export interface Clock {
  /** The current instant. Only the app's timer and audit stamps read it; billing rules never do. */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Scheduler {
  every(ms: number, task: () => void): { cancel(): void };
}

export const systemScheduler: Scheduler = {
  every(ms, task) {
    const handle = setInterval(task, ms);
    handle.unref?.();
    return { cancel: () => clearInterval(handle) };
  },
};

export interface Paths {
  /** Folder holding registry.sqlite and businesses/*.sqlite. */
  dataDir: string;
  /** Folder of the SQL migrations drizzle-kit generated (shipped with the app). */
  migrationsDir: string;
  /** better-sqlite3's compiled addon when the process is not plain Node (Electron's ABI). */
  sqliteNativeBinding?: string | undefined;
}

/** Secrets (sync tokens, SMTP passwords) live in the OS keychain, never in the SQLite file. */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export class InMemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();
  async get(account: string) {
    return this.secrets.get(account) ?? null;
  }
  async set(account: string, secret: string) {
    this.secrets.set(account, secret);
  }
  async delete(account: string) {
    return this.secrets.delete(account);
  }
}

/** Preferences of this PC: theme, last business, window bounds. */
export interface PreferencesStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

export class InMemoryPreferencesStore implements PreferencesStore {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string) {
    return this.values.get(key) as T | undefined;
  }
  set(key: string, value: unknown) {
    this.values.set(key, value);
  }
}

/** An export file being written, wherever it goes. */
export interface ExportFile {
  stream: NodeJS.WritableStream;
  /** Where it was saved (app dialog, CLI --out), if a path. */
  path: string | null;
  /** In the browser host, the one-time URL the page downloads once the file is written. */
  downloadUrl: string | null;
  /** Called after the stream has finished. */
  done?(): void;
}

/**
 * Where exports go: a save dialog in the app, a download in the browser host,
 * --out in the CLI. `open` resolves to null when the user cancels.
 */
export interface ExportDestination {
  open(suggestedName: string): Promise<ExportFile | null>;
}

/**
 * Where a file the user picks comes from (a backup to restore): the open
 * dialog in the app, an upload in the browser host, --file in the CLI.
 */
export interface ImportSource {
  open(kind: 'backup'): Promise<{ path: string; name: string } | null>;
}

export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (m, d) => console.info(m, d ?? ''),
  warn: (m, d) => console.warn(m, d ?? ''),
  error: (m, d) => console.error(m, d ?? ''),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
