import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openStorage } from '../../src-server/db/open';

declare module 'vitest' {
  interface ProvidedContext {
    /** A throwaway PostgreSQL cluster for this run (its `postgres` database), or null when none can run. */
    pgUrl: string | null;
    /** A PGlite data folder already created and migrated, for each test server to copy (creating one costs seconds). */
    pgliteTemplate: string;
  }
}

/** The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<major>/bin), or PG_BIN. */
function postgresBin(): string | null {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/**
 * Prepares the server tests' two storages: a PGlite template folder, and
 * a PostgreSQL cluster: initdb + pg_ctl in a temp
 * folder, on 127.0.0.1 and a free port, stopped and deleted after the run.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-pglite-template-'));
  const [stopPostgres] = await Promise.all([
    startPostgres(project),
    openStorage({ dataDir: templateDir }).then((storage) => storage.close()),
  ]);
  project.provide('pgliteTemplate', path.join(templateDir, 'pgdata'));
  return async () => {
    fs.rmSync(templateDir, { recursive: true, force: true });
    stopPostgres();
  };
}

async function startPostgres(project: TestProject): Promise<() => void> {
  const bin = postgresBin();
  if (!bin) {
    const message = 'No PostgreSQL binaries (/usr/lib/postgresql/*/bin): the server tests run on PGlite only. Install Debian\'s postgresql package to run them on PostgreSQL too.';
    if (process.env.CI) throw new Error(message);
    process.stderr.write(`\n!!! ${message}\n\n`);
    project.provide('pgUrl', null);
    return () => {};
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (file: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'pipe' }) : execFileSync(file, args, { stdio: 'pipe' });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    fs.chownSync(dir, uid, gid);
  }
  const port = await freePort();
  try {
    run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    run(path.join(bin, 'pg_ctl'), [
      '-D', data, '-l', path.join(dir, 'postgres.log'), '-w', '-t', '60',
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      'start',
    ]);
  } catch (error) {
    const log = fs.existsSync(path.join(dir, 'postgres.log')) ? fs.readFileSync(path.join(dir, 'postgres.log'), 'utf8') : '';
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not start PostgreSQL from ${bin}: ${String((error as { stderr?: Buffer }).stderr ?? error)}\n${log}`);
  }
  project.provide('pgUrl', `postgres://postgres@127.0.0.1:${port}/postgres`);
  return () => {
    try {
      run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}
