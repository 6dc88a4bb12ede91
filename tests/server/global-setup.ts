import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openStorage } from '../../src-server/db/open';
import { postgresBin, startPostgres } from '../support/postgres';

declare module 'vitest' {
  interface ProvidedContext {
    /** A throwaway PostgreSQL cluster for this run (its `postgres` database), or null when none can run. */
    pgUrl: string | null;
    /** A PGlite data folder already created and migrated, for each test server to copy (creating one costs seconds). */
    pgliteTemplate: string;
  }
}

/**
 * Prepares the server tests' two storages: a PGlite template folder, and
 * a throwaway PostgreSQL cluster (tests/support/postgres.ts) stopped and
 * deleted after the run.
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
    return () => {};
  }
  // Durability off: the tests check behaviour, not what a commit costs.
  const cluster = await startPostgres(bin, { prefix: 'recurra-pg-', settings: ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'], stopMode: 'immediate' });
  project.provide('pgUrl', cluster.url);
  return () => cluster.stop();
}
