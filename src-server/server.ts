import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { openStorage, type Storage } from './db/open';
import { acquireDataDir, localUrl } from './operator';
import { newToken } from './secrets';
import { ownsDatabase } from './api/key-cache';
import type { LicenseRates } from './licenses/rate';

export interface ServerOptions {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  now?: () => Date;
  log?: (line: string) => void;
  /** Where failures go (stderr by default). */
  logError?: (text: string) => void;
  trustProxy?: boolean;
  /** Requests a second per API key (per process); see api/limits.ts. */
  apiRatePerSecond?: number;
  /** The license endpoints' rates (per process); see licenses/rate.ts. */
  licenseRates?: Partial<LicenseRates>;
}

export interface RunningServer {
  url: string;
  port: number;
  storage: Storage;
  app: FastifyInstance;
  /** Stops taking requests, lets the ones under way finish, closes the database and frees the data folder. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // PGlite: take the data folder first, so a second process never opens the same database.
  const lock = options.databaseUrl ? null : acquireDataDir(options.dataDir);
  let storage: Storage | undefined;
  try {
    storage = await openStorage({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
    // This process alone writes to a locked PGlite folder: API key checks may be kept (api/key-cache.ts).
    if (lock) ownsDatabase(storage.db);
    const operatorToken = lock ? newToken() : undefined;
    const app = await buildApp(
      { db: storage.db, now: options.now ?? (() => new Date()) },
      { log: options.log, logError: options.logError, operatorToken, trustProxy: options.trustProxy, apiRatePerSecond: options.apiRatePerSecond, licenseRates: options.licenseRates },
    );
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    lock?.update({ url: localUrl(options.host, port), token: operatorToken });
    const opened = storage;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
      port,
      storage: opened,
      app,
      close: () =>
        (closing ??= (async () => {
          await app.close();
          await opened.close();
          lock?.release();
        })()),
    };
  } catch (error) {
    await storage?.close().catch(() => {});
    lock?.release();
    throw error;
  }
}
