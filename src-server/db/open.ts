import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type ServerDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Storage {
  db: ServerDb;
  /** 'postgres' with DATABASE_URL; 'pglite' in --data-dir otherwise. */
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const migrationsFolder = path.resolve(here, '../../resources/server-migrations');

// Any fixed number: two server processes starting on one database take turns migrating.
const MIGRATION_LOCK = 727_001;

/**
 * Opens the server's database and runs the committed migrations: real
 * PostgreSQL through `pg` when a URL is given, else embedded PGlite in `dataDir`.
 * Drivers are imported lazily so `--help` and the other mode never load them.
 */
export async function openStorage(options: { databaseUrl?: string; dataDir: string }): Promise<Storage> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir);
}

async function openPostgres(url: string): Promise<Storage> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.PG_POOL_MAX ?? 10) });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(db, { migrationsFolder });
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    lock.release();
  }
  return { db: db as unknown as ServerDb, kind: 'postgres', close: () => pool.end() };
}

async function openPglite(dataDir: string): Promise<Storage> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const client = await PGlite.create(path.join(dataDir, 'pgdata'));
  const db = drizzle(client, { schema });
  try {
    await migrate(db, { migrationsFolder });
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
  return { db: db as unknown as ServerDb, kind: 'pglite', close: () => client.close() };
}

/** A round trip to the database (readiness checks). */
export async function ping(db: ServerDb): Promise<void> {
  await db.execute(sql`select 1`);
}

/** What the server uses of a PGlite client (the PGlite class itself is imported lazily, above). */
export interface PgliteClient {
  query(text: string): Promise<{ rows: unknown[] }>;
  exec(text: string): Promise<unknown>;
  waitReady: Promise<void>;
}

/** The PGlite client behind `db`, or null on PostgreSQL. */
export function pgliteOf(db: ServerDb): PgliteClient | null {
  const client = (db as unknown as { $client?: unknown }).$client as Partial<PgliteClient> | undefined;
  return client && typeof client.exec === 'function' && 'waitReady' in client ? (client as PgliteClient) : null;
}
