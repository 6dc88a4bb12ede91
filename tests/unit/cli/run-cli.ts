import fs from 'node:fs';
import { runCli } from '../../../src-main/cli/main';
import { tempDir } from '../../support/core';

export const OWNER = { email: 'olivia@example.com', password: 'correct horse battery' };

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process with its own environment (never the test process's,
 * so a developer's RECURRA_* variables or real data folder cannot leak in).
 */
export async function runIn(env: NodeJS.ProcessEnv, args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env,
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
  });
  return { code, stdout, stderr };
}

/** A fresh data folder and a `cli(args, extraEnv)` bound to it. */
export function cliWithDataDir() {
  const dataDir = tempDir('recurra-cli-');
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runIn({ RECURRA_DATA_DIR: dataDir, ...env }, args);
  return { dataDir, cli };
}

/**
 * The data folder `business create` made (Sunrise Yoga, USD, as OWNER), once per test file:
 * withBusiness() copies it into a fresh folder, as a sign-up costs about 0.1 s of CPU
 * (the file, its recovery key, the password hash) and the CLI tests make some hundreds.
 * The command itself is tested in business.test.ts.
 */
let made: Promise<{ dataDir: string; businessId: string }> | undefined;
async function createBusiness() {
  const { dataDir, cli } = cliWithDataDir();
  const created = await cli(
    [
      'business', 'create', '--json',
      '--name', 'Sunrise Yoga',
      '--currency', 'USD',
      '--timezone', 'America/New_York',
      '--owner-name', 'Olivia Owner',
      '--owner-email', OWNER.email,
    ],
    { RECURRA_PASSWORD: OWNER.password },
  );
  if (created.code !== 0) throw new Error(`business create failed: ${created.stderr}`);
  return { dataDir, businessId: (JSON.parse(created.stdout) as { business: { id: string } }).business.id };
}

/** A data folder of its own holding one business (Sunrise Yoga, USD) and the env that acts as its owner. */
export async function withBusiness() {
  made ??= createBusiness();
  const template = await made;
  const { dataDir, cli } = cliWithDataDir();
  fs.cpSync(template.dataDir, dataDir, { recursive: true });
  const businessId = template.businessId;
  const asOwner: NodeJS.ProcessEnv = { RECURRA_BUSINESS: businessId, RECURRA_USER: OWNER.email, RECURRA_PASSWORD: OWNER.password };
  return { dataDir, cli, businessId, asOwner };
}

/** The one JSON document a failing --json run leaves on stderr. */
export function errorJson(run: CliRun): unknown {
  const lines = run.stderr.trimEnd().split('\n');
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${run.stderr}`);
  return JSON.parse(lines[0] ?? '');
}
