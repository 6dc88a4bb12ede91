import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { openStorage, type Storage } from './db/open';
import { acquireDataDir, localUrl } from './operator';
import { redact } from './redact';
import { newToken } from './secrets';
import { serverKeyFor, type ServerKey } from './server-key';
import { ownsDatabase, sharesDatabase } from './api/key-cache';
import type { LicenseRates } from './licenses/rate';

export interface ServerOptions {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  /** The master key (base64, as env RECURRA_SERVER_KEY holds it); required with databaseUrl, else server.key in dataDir is used or made. */
  serverKey?: string;
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
  /** The master key this server seals the license signing keys with. */
  serverKey: ServerKey;
  app: FastifyInstance;
  /** Stops taking requests, lets the ones under way finish, closes the database and frees the data folder. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const out = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // PostgreSQL without a key refuses here, before any connection (server-key.ts).
  const envKey = options.databaseUrl ? serverKeyFor({ envKey: options.serverKey, databaseUrl: options.databaseUrl, dataDir: options.dataDir }) : null;
  // PGlite: take the data folder first, so a second process never opens the same database.
  const lock = options.databaseUrl ? null : acquireDataDir(options.dataDir);
  let storage: Storage | undefined;
  try {
    const serverKey = envKey ?? serverKeyFor({ envKey: options.serverKey, dataDir: options.dataDir, log: (line) => out(redact(line)) });
    storage = await openStorage({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
    // API key checks are kept (api/key-cache.ts): a locked PGlite folder has this process as its only writer; PostgreSQL may be shared, so 1 s at most.
    if (lock) ownsDatabase(storage.db);
    else sharesDatabase(storage.db);
    const operatorToken = lock ? newToken() : undefined;
    const app = await buildApp(
      { db: storage.db, now: options.now ?? (() => new Date()), serverKey },
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
      serverKey,
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
