import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCli } from '../scripts/build-cli.mjs';
import { latency, note, percentile, type BenchResult } from './support';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = 11;

/**
 * How long `recurra business list --json` takes to start, run and exit, as a
 * script would spawn it, against `node -e "require('better-sqlite3')"` (a Node
 * start that loads SQLite and does nothing else) timed in the same loop.
 * Medians of interleaved runs, so a busy machine weighs on both alike.
 */
export async function cliBench(dataDir: string): Promise<BenchResult[]> {
  note('cli: building the bundle (npm run build:cli)');
  await buildCli();
  const env: NodeJS.ProcessEnv = { ...process.env, RECURRA_DATA_DIR: dataDir, RECURRA_DEBUG: '' };
  const spawnMs = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...env, ...extraEnv }, encoding: 'utf8' });
    const ms = performance.now() - started;
    if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${run.stderr}`);
    return ms;
  };
  const bin = path.join(ROOT, 'bin', 'recurra.js');
  // One business, so the list has something to read.
  spawnMs(
    [bin, 'business', 'create', '--json', '--name', 'Bench Yoga', '--currency', 'USD', '--timezone', 'UTC',
      '--owner-name', 'Bench Owner', '--owner-email', 'bench@example.com'],
    { RECURRA_PASSWORD: 'bench password 1' },
  );
  const cli: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    raw.push(spawnMs(['-e', "require('better-sqlite3')"]));
    cli.push(spawnMs([bin, 'business', 'list', '--json']));
  }
  return [latency('cli', 'start.business-list', percentile(cli, 50), percentile(raw, 50), 2)];
}
