import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openStorage } from '../../src-server/db/open';
import { postgresBin, startPostgres } from '../support/postgres';

declare module 'vitest' {
  interface ProvidedContext {
    /** A throwaway PostgreSQL cluster for this run (its `postgres` database), or null when none can run. */
    pgUrl: string | null;
    /** A database on that cluster already migrated, for each test's fresh database to be created from (CREATE DATABASE … TEMPLATE). */
    pgTemplate: string | null;
    /** A PGlite data folder already created and migrated, for each test server to copy (creating one costs seconds). */
    pgliteTemplate: string;
  }
}

/**
 * Prepares the server tests' two storages: a PGlite template folder, and
 * a throwaway PostgreSQL cluster (tests/support/postgres.ts) stopped and
 * deleted after the run, with a migrated template database. Both templates
 * are made by the server's own migration of an empty storage, so that path
 * runs on every run; the tests then copy them instead of migrating again.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-pglite-template-'));
  const [stopPostgres] = await Promise.all([
    startTestPostgres(project),
    openStorage({ dataDir: templateDir }).then((storage) => storage.close()),
  ]);
  project.provide('pgliteTemplate', path.join(templateDir, 'pgdata'));
  return async () => {
    fs.rmSync(templateDir, { recursive: true, force: true });
    stopPostgres();
  };
}

async function startTestPostgres(project: TestProject): Promise<() => void> {
  const bin = postgresBin();
  if (!bin) {
    const message = 'No PostgreSQL binaries (/usr/lib/postgresql/*/bin): the server tests run on PGlite only. Install Debian\'s postgresql package to run them on PostgreSQL too.';
    if (process.env.CI) throw new Error(message);
    process.stderr.write(`\n!!! ${message}\n\n`);
    project.provide('pgUrl', null);
    project.provide('pgTemplate', null);
    return () => {};
  }
  // Durability off: the tests check behaviour, not what a commit costs.
  const cluster = await startPostgres(bin, { prefix: 'recurra-pg-', settings: ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'], stopMode: 'immediate' });
  try {
    const template = 'recurra_migrated';
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await client.query(`CREATE DATABASE ${template}`).finally(() => client.end());
    const storage = await openStorage({ dataDir: os.tmpdir(), databaseUrl: cluster.url.replace(/\/postgres$/, `/${template}`) });
    await storage.close();
    project.provide('pgTemplate', template);
  } catch (error) {
    cluster.stop();
    throw error;
  }
  project.provide('pgUrl', cluster.url);
  return () => cluster.stop();
}
